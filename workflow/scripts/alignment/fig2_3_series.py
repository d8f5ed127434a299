"""Stage: Fig 2.3's series (H_11 eigenvalues, x^1 . mu_a; ODE and bulk-edge theory) and checks."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.observables.gmm_localisation import outlier_separation
    from hdsgd.stages import load_stage, read_table, write_table

    p, f = snakemake.params.run, snakemake.params.fig
    k = p["k"]
    data, sgd = load_stage(snakemake.input.data), load_stage(snakemake.input.sgd)
    sp, th = load_stage(snakemake.input.spectra), load_stage(snakemake.input.theory)
    t_sim, t_th = sgd["times"], th["times"]
    m_sim = sgd["x"][:, 0] @ data["means"].T  # (n_ckpt, k): x^1 . mu_a
    m_th = np.stack([np.interp(t_sim, t_th, th["m"][:, 0, a]) for a in range(k)], axis=1)
    vals = sp["h_vals"][:, 0]  # (n_ckpt, n_eig), descending
    edge_at_sim = np.interp(t_sim, t_th, th["edge_h11"])

    frames = []
    for j in range(vals.shape[1]):
        frames.append(pd.DataFrame({"panel": "eigenvalues", "series": f"lambda_{j + 1}",
                                    "source": "simulation", "time": t_sim, "value": vals[:, j]}))
    frames.append(pd.DataFrame({"panel": "eigenvalues", "series": "bulk_edge",
                                "source": "theory", "time": t_th, "value": th["edge_h11"]}))
    for a in range(k):
        frames.append(pd.DataFrame({"panel": "overlaps", "series": f"a={a + 1}",
                                    "source": "simulation", "time": t_sim,
                                    "value": m_sim[:, a]}))
        frames.append(pd.DataFrame({"panel": "overlaps", "series": f"a={a + 1}",
                                    "source": "theory", "time": t_th,
                                    "value": th["m"][:, 0, a]}))
    inputs = [snakemake.input[name] for name in ("data", "sgd", "spectra", "theory", "accuracy")]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series,
                params={"run": p, "fig": f}, inputs=inputs)

    scale = np.abs(m_th[:, 0]).max()
    top_vec = sp["h_vecs"][-1, 0][:, 0]
    acc = read_table(snakemake.input.accuracy)
    acc_gap = np.abs(acc["test_accuracy"] - np.interp(acc["time"], t_th, th["accuracy"])).max()
    rows = [
        agreement_row("fig2_3", "alignment",
                      "x^1.mu_a, SGD vs effective-dynamics ODE: "
                      "max_{t,a} |gap| / max_t ODE x^1.mu_1",
                      np.abs(m_sim - m_th).max() / scale, f["max_ode_gap"], "<="),
        agreement_row("fig2_3", "alignment",
                      "top k eigenvalues of H_11 separated from the bulk at every checkpoint: "
                      "min_t (l_k - l_k+1) / (l_k+1 - l_n)",
                      outlier_separation(vals, k).min(), f["min_outlier_separation"], ">="),
        agreement_row("fig2_3", "alignment",
                      "H_11 bulk edge, l_k+1 vs weighted Marchenko-Pastur edge from the ODE: "
                      "max_t relative gap",
                      np.abs(vals[:, k] / edge_at_sim - 1).max(), f["max_edge_gap"], "<="),
        agreement_row("fig2_3", "alignment",
                      "top eigenvector of H_11 along mu_1 at the end: |<v_1, mu_1>|^2",
                      float(top_vec[np.argmax(data["means"][0])] ** 2),
                      f["min_top_vector_overlap"], ">="),
        agreement_row("fig2_3", "alignment",
                      "test accuracy, SGD vs the ODE's prediction: max_t |gap|",
                      acc_gap, f["max_accuracy_gap"], "<="),
    ]
    write_agreement(snakemake.output.agreement, rows, params={"run": p, "fig": f},
                    inputs=inputs)
    for r in rows:
        print(r)
