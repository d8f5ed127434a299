"""Stage (series): Fig 2.1's curves (alignment of each class vector with E_k of its test-data
Hessian and G-matrix blocks) and its checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.agreement import write_agreement
    from hdsgd.checks.alignment import fig2_1_rows
    from hdsgd.observables.alignment import alignment_frame
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    obs = load_stage(snakemake.input.observables)
    series = alignment_frame(obs["times"], {"hessian": obs["h_alignment"],
                                            "G": obs["g_alignment"]})
    inputs = [snakemake.input.observables]
    write_table(series, snakemake.output.series, inputs=inputs)
    rows = fig2_1_rows(obs["h_alignment"], obs["g_alignment"], f)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r)
