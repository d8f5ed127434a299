"""Stage: Fig 2.6 series (sub-optimal run: vv eigenvalues, singular values of [g(W theta)],
accuracy per hidden class) and its checks: rank deficiency <=> fewer than four outliers."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.data.xor import HIDDEN_NAMES
    from hdsgd.stages import read_table, write_table

    f = snakemake.params.fig
    vv = read_table(snakemake.input.vv)
    summ = read_table(snakemake.input.summary)
    cols = [f"sv{j}" for j in range(1, 5)] + [f"accuracy_{n}" for n in HIDDEN_NAMES] + [
        "accuracy", "edge_hessian", "edge_G", "n_outliers_hessian", "n_outliers_G"]
    long = summ.melt(id_vars="time", value_vars=cols, var_name="quantity", value_name="value")
    vv_test = vv[vv["source"] == "test"].assign(
        quantity=lambda x: "eig_" + x["matrix"] + "_" + x["index"].astype(str))
    series = pd.concat([long, vv_test[["time", "quantity", "value"]]], ignore_index=True)
    inputs = [snakemake.input.vv, snakemake.input.summary]
    write_table(series, snakemake.output.series, params=f, inputs=inputs)

    last = summ.iloc[-1]
    sv = last[[f"sv{j}" for j in range(1, 5)]].to_numpy(dtype=float)
    rank = int((sv > f["rank_tol"] * sv[0]).sum())
    class_acc = last[[f"accuracy_{n}" for n in HIDDEN_NAMES]].to_numpy(dtype=float)
    rows = [
        agreement_row("fig2_6", "alignment", "sub-optimal run: Hessian vv outliers at the end",
                      last["n_outliers_hessian"], 3, "<="),
        agreement_row("fig2_6", "alignment", "smallest / largest singular value of [g(W theta)]",
                      sv[-1] / sv[0], f["max_sv_ratio"], "<="),
        agreement_row("fig2_6", "alignment", "theorem: |Hessian vv outliers - rank [g(W theta)]|",
                      abs(last["n_outliers_hessian"] - rank), 0, "<="),
        agreement_row("fig2_6", "alignment", "worst hidden-class test accuracy (unresolved class)",
                      class_acc.min(), f["max_worst_class_accuracy"], "<="),
    ]
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
