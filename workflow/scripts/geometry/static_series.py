"""Stage (series): Figs 3-4 curves (static transitions at x = 0) and their agreement rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.geometry_agreement import static_comparison
    from hdsgd.stages import load_stage, write_table

    c, sw, tol = snakemake.params.common, snakemake.params.sweep, snakemake.params.agreement
    inputs = [snakemake.input.theory, snakemake.input.observables]
    th, ob = (load_stage(p) for p in inputs)
    series, rows = static_comparison(th, ob, figure=f"geometry_{snakemake.wildcards.gfig}",
                                     sweep=sw, c=c["block"], tol=tol)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
    write_table(pd.DataFrame(series), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
