from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.scorecard import collect, to_markdown
    from hdsgd.stages import write_table

    df = collect(snakemake.input.tables)
    write_table(df, snakemake.output.csv, inputs=snakemake.input.tables)
    with open(snakemake.output.md, "w") as fh:
        fh.write(to_markdown(df))
    print(f"scorecard: {int(df['pass'].sum())} of {len(df)} checks pass")
