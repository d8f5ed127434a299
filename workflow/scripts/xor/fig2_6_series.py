"""Stage (series): Fig 2.6's curves (the deficient run: vv eigenvalues and bulk edges, singular
values of [g(W theta)], test accuracy per hidden class) and its checks, at every checkpoint."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.xor import fig2_6_rows
    from hdsgd.data.xor import HIDDEN_NAMES
    from hdsgd.stages import load_stage, write_table

    f, scan = snakemake.params.fig, snakemake.params.scan
    obs = load_stage(snakemake.input.observables)
    times = obs["times"]
    cols = {"accuracy": obs["accuracy"], "rank": obs["rank"],
            "n_outliers_hessian": obs["n_outliers_hessian"], "n_outliers_G": obs["n_outliers_G"],
            "edge_hessian": obs["hvv_edge"], "edge_G": obs["gvv_edge"]}
    cols.update({f"sv{j + 1}": obs["sv"][:, j] for j in range(4)})
    cols.update({f"accuracy_{n}": obs["hidden_accuracy"][:, c] for c, n in enumerate(HIDDEN_NAMES)})
    for m, name in (("h", "hessian"), ("g", "G")):
        cols.update({f"eig_{name}_{j + 1}": obs[f"{m}vv_vals"][:, j]
                     for j in range(obs[f"{m}vv_vals"].shape[1])})
    series = pd.DataFrame(cols).assign(time=times).melt(id_vars="time", var_name="quantity",
                                                         value_name="value")
    inputs = [snakemake.input.observables]
    write_table(series, snakemake.output.series, inputs=inputs)
    rows = fig2_6_rows(obs, f, scan)
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
