"""Stage: stand-in Fig 9.2's series (G_11's top eigenvalues over training, predicted bulk edge)
and checks: the mu_1 spike of G_11 is an outlier throughout, the bulk edge matches theory."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import load_stage, write_table

    p, f = snakemake.params.run, snakemake.params.fig
    k = p["k"]
    sgd, sp = load_stage(snakemake.input.sgd), load_stage(snakemake.input.spectra)
    th = load_stage(snakemake.input.theory)
    t_sim, vals = sgd["times"], sp["g_vals"][:, 0]
    edge = np.interp(t_sim, th["times"], th["edge_g11"])
    frames = [pd.DataFrame({"series": f"lambda_{j + 1}", "source": "simulation", "time": t_sim,
                            "value": vals[:, j]}) for j in range(vals.shape[1])]
    frames.append(pd.DataFrame({"series": "bulk_edge", "source": "theory", "time": th["times"],
                                "value": th["edge_g11"]}))
    inputs = [snakemake.input[name] for name in ("sgd", "spectra", "theory")]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series,
                params={"run": p, "fig": f}, inputs=inputs)
    # at most k spikes (rank of the population low-rank part); eigenvalues more than the margin
    # above the predicted edge count as outliers, the largest of the others should reach it
    margin = 1.0 + f["edge_margin"]
    n_out = (vals > margin * edge[:, None]).sum(axis=1)
    first_bulk = np.array([v[v <= margin * e].max() for v, e in zip(vals, edge)])
    rows = [
        agreement_row("fig9_2", "alignment",
                      "G_11 top eigenvalue above the predicted bulk edge: min_t l_1 / edge",
                      (vals[:, 0] / edge).min(), f["min_top_over_edge"], ">="),
        agreement_row("fig9_2", "alignment",
                      "G_11 eigenvalues above (1 + margin) x predicted edge: max_t count (<= k "
                      "spikes, else the edge is underestimated)", n_out.max(), k, "<="),
        agreement_row("fig9_2", "alignment",
                      "G_11 largest non-outlier eigenvalue / predicted edge: min_t (edge not "
                      "overestimated)", (first_bulk / edge).min(), 1.0 - f["edge_margin"], ">="),
    ]
    write_agreement(snakemake.output.agreement, rows, params={"run": p, "fig": f},
                    inputs=inputs)
    for r in rows:
        print(r)
