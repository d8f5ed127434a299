"""Stage (series): Fig 1 histograms vs the limiting density, and Kolmogorov distances."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.geometry_agreement import histogram_comparison
    from hdsgd.stages import load_stage, write_table

    c, run, tol = snakemake.params.common, snakemake.params.run, snakemake.params.agreement
    inputs = [snakemake.input.theory, snakemake.input.observables]
    th, ob = (load_stage(p) for p in inputs)
    series, rows = histogram_comparison(th, ob, figure="geometry_fig1", kinds=run["kinds"],
                                        phi=run["phi"], tol=tol)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
    write_table(pd.DataFrame(series), snakemake.output.series, params={**c, **run}, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, params={**c, **run, **tol}, inputs=inputs)
