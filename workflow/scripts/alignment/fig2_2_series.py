"""Stage: Fig 2.2's series (entries of x^1 and of the top-k eigenvectors of H_11, G_11 at the
end of training) and its checks against the means' support and the effective dynamics."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.observables.gmm_localisation import orient, span_mass
    from hdsgd.stages import load_stage, write_table

    p, f = snakemake.params.run, snakemake.params.fig
    k, d = p["k"], p["d"]
    data, sgd = load_stage(snakemake.input.data), load_stage(snakemake.input.sgd)
    sp, th = load_stage(snakemake.input.spectra), load_stage(snakemake.input.theory)
    means = data["means"]
    x1 = sgd["x"][-1, 0]
    coords = np.arange(1, d + 1)
    vecs = {"hessian": orient(sp["h_vecs"][-1, 0][:, :k]), "G": orient(sp["g_vecs"][-1, 0][:, :k])}
    frames = [pd.DataFrame({"panel": "x1", "series": "x^1", "coordinate": coords, "value": x1})]
    for matrix, V in vecs.items():
        for j in range(k):
            frames.append(pd.DataFrame({"panel": matrix, "series": f"v_{j + 1}",
                                        "coordinate": coords, "value": V[:, j]}))
    inputs = [snakemake.input[name] for name in ("data", "sgd", "spectra", "theory")]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series,
                params={"run": p, "fig": f, "time": float(sgd["times"][-1])}, inputs=inputs)

    # ODE prediction of the fraction of |x^1|^2 in span(mu): m G^{-1} m^T / Q_11 at t_end
    t_end = sgd["times"][-1]
    i_end = int(np.argmin(np.abs(th["times"] - t_end)))
    m1 = th["m"][i_end, 0]
    frac_ode = m1 @ np.linalg.solve(means @ means.T, m1) / th["Q"][i_end, 0, 0]
    support = np.argmax(np.abs(means), axis=1)  # coordinate of each mean (mu_a = e_{i_a})
    rows = [
        agreement_row("fig2_2", "alignment",
                      "fraction of |x^1|^2 in span(mu) at the end: |SGD - ODE|",
                      abs(span_mass(x1, means) - frac_ode), f["max_span_fraction_gap"], "<="),
        agreement_row("fig2_2", "alignment",
                      "largest |entry| of x^1 is at mu_1's coordinate (1 = yes)",
                      float(np.argmax(np.abs(x1)) == support[0]), 1.0, ">="),
        agreement_row("fig2_2", "alignment",
                      "x^1 negative on the other means' coordinates: fraction of a != 1",
                      float(np.mean(x1[support[1:]] < 0)), 1.0, ">="),
        agreement_row("fig2_2", "alignment",
                      "top-k eigenvectors of H_11 on the means' span: |P_mu V|_F^2 / k",
                      span_mass(vecs["hessian"], means).mean(), f["min_span_mass_hessian"],
                      ">="),
        agreement_row("fig2_2", "alignment",
                      "top eigenvector of G_11 on the means' span: |P_mu v_1|^2",
                      span_mass(vecs["G"][:, 0], means), f["min_top_span_mass_g"], ">="),
    ]
    write_agreement(snakemake.output.agreement, rows, params={"run": p, "fig": f},
                    inputs=inputs)
    for r in rows:
        print(r)
