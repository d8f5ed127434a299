"""Stage (series): Kolmogorov distances and outlier gaps of the Hessian block against its
limiting law at every d, at x = 0 and at time t, the fitted rates (bootstrap over the runs)
and the figure's rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.geometry_scaling import (
        limiting_law_at,
        scaling_fits,
        scaling_rows,
        scaling_series,
        squared_gaps,
    )
    from hdsgd.stages import load_stage, write_table

    run, s = snakemake.params.run, snakemake.params.scaling
    obs, th = load_stage(snakemake.input.observables), load_stage(snakemake.input.theory)
    theory = {"x0": limiting_law_at(th, "hessian", 0.0),
              "train": limiting_law_at(th, "hessian", s["time"])}
    gaps = squared_gaps(obs, theory, lam=run["lam"], phi=run["phi"], **s["sample_law"],
                        min_separation=s["min_separation"])
    fits = scaling_fits(obs["sizes"], gaps, seed=s["bootstrap_seed"])
    rows = scaling_rows(fits, s)
    inputs = [snakemake.input.observables, snakemake.input.theory]
    write_table(pd.DataFrame(scaling_series(fits, s)), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
