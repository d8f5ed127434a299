"""Stage (series): Fig 1 histograms vs the limiting density, and Kolmogorov distances."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.geometry_agreement import histogram_comparison
    from hdsgd.stages import load_stage, write_table

    run, tol = snakemake.params.run, snakemake.params.agreement
    inputs = [snakemake.input.theory, snakemake.input.observables]
    th, ob = (load_stage(p) for p in inputs)
    series, rows = histogram_comparison(th, ob, figure="geometry_fig1", kinds=run["kinds"],
                                        phi=run["phi"], tol=tol)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
    write_table(pd.DataFrame(series), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
