"""Stage: Fig 2.5 series (vv-block eigenvalues over training, test sample and population) and
its checks: one outlier at initialisation, four at the end, population vs test sample."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import read_table, write_table

    f = snakemake.params.fig
    vv = read_table(snakemake.input.vv)
    summ = read_table(snakemake.input.summary)
    edges = pd.concat([pd.DataFrame({"time": summ["time"], "matrix": n, "index": 0,
                                     "value": summ[f"edge_{n}"], "source": "bulk_edge"})
                       for n in ("hessian", "G")])
    series = pd.concat([vv, edges], ignore_index=True)
    inputs = [snakemake.input.vv, snakemake.input.summary]
    write_table(series, snakemake.output.series, params=f, inputs=inputs)

    first, last = summ.iloc[0], summ.iloc[-1]
    rows = [
        agreement_row("fig2_5", "alignment", "Hessian vv outliers at t=0: |count - 1|",
                      abs(first["n_outliers_hessian"] - 1), 0, "<="),
        agreement_row("fig2_5", "alignment", "Hessian vv outliers at the end: |count - 4|",
                      abs(last["n_outliers_hessian"] - 4), 0, "<="),
        agreement_row("fig2_5", "alignment", "G vv at t=0: 1st / 2nd eigenvalue (one dominant "
                      "outlier)", first["gap12_G"], f["min_g_gap12_init"], ">="),
        agreement_row("fig2_5", "alignment", "G vv at the end: 4th / 5th eigenvalue (weak 4th "
                      "outlier)", last["gap45_G"], f["min_g_gap45"], ">="),
    ]
    top = vv[vv["index"] <= 4].pivot_table(index=["time", "matrix", "index"], columns="source",
                                          values="value")
    scale = vv[(vv["index"] == 1) & (vv["source"] == "population")].set_index(
        ["time", "matrix"])["value"]
    for n in ("hessian", "G"):
        t = top.xs(n, level="matrix")
        rel = np.abs(t["test"] - t["population"]).groupby(level="time").max() / scale.xs(
            n, level="matrix")
        rows.append(agreement_row(
            "fig2_5", "alignment", f"theory: max over time of |test - population| top-4 {n} vv "
            "eigenvalues / population top eigenvalue", rel.max(), f["max_population_gap"], "<="))
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
