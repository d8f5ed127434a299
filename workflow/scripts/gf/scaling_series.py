"""Stage (series): relative gap between each draw's exact mean loss and SE against N, the fitted
rates (bootstrap over the draws), the loss curves at the largest N, and the figure's rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.gf_scaling import (
        QUANTITIES,
        curve_series,
        scaling_fits,
        scaling_rows,
        scaling_series,
    )
    from hdsgd.stages import load_stage, write_table

    s = snakemake.params.scaling
    th = load_stage(snakemake.input.theory)
    sizes = [int(n) for n in th["sizes"]]
    exact = [th[f"exact_N{n}"] for n in sizes]
    se = {q: [th[f"se_{q}_N{n}"] for n in sizes] for q in QUANTITIES}
    fits = scaling_fits(sizes, exact, se, seed=s["bootstrap_seed"])
    rows = scaling_rows(fits, snakemake.params.taus, s["n_steps"], s)
    series = scaling_series(fits, s) + curve_series(sizes[-1], exact[-1],
                                                    {q: se[q][-1] for q in QUANTITIES})
    inputs = [snakemake.input.theory]
    write_table(pd.DataFrame(series), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
