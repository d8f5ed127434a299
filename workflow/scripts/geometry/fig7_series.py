"""Stage (series): Fig 7 (visible G-matrix transition against d) and its agreement rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.geometry_agreement import edge_trend_comparison
    from hdsgd.stages import load_stage, write_table
    from hdsgd.theory.effective_spectrum import first_component

    c, tr, tol = snakemake.params.common, snakemake.params.trend, snakemake.params.agreement
    trend_obs = [load_stage(p) for p in snakemake.input.observables]
    theory = load_stage(snakemake.input.theory)
    a = first_component(snakemake.params.run["label_map"], c["block"])
    series, rows = edge_trend_comparison(trend_obs, theory, figure="geometry_fig7",
                                         dims=tr["dims"], a=a, tol=tol)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
    inputs = [*snakemake.input.observables, snakemake.input.theory]
    write_table(pd.DataFrame(series), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
