"""Stage (series): Fig 5 (Hessian outlier emergence along training, (lam, t) maps) and its
agreement rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.geometry_agreement import emergence_comparison
    from hdsgd.stages import load_stage, write_table
    from hdsgd.theory.effective_spectrum import first_component

    c, runs, tol = snakemake.params.common, snakemake.params.runs, snakemake.params.agreement
    names = list(runs)
    theories = {n: load_stage(p) for n, p in zip(names, snakemake.input.theory)}
    observables = {n: load_stage(p) for n, p in zip(names, snakemake.input.observables)}
    outlier_map = load_stage(snakemake.input.map)
    a = first_component(runs[names[0]]["label_map"], c["block"])
    series, rows = emergence_comparison(theories, observables, outlier_map,
                                        figure="geometry_fig5", runs=runs, a=a, tol=tol)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
    inputs = [*snakemake.input.theory, *snakemake.input.observables, snakemake.input.map]
    write_table(pd.DataFrame(series), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
