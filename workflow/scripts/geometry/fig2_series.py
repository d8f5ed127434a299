"""Stage: Fig 2 series (outliers, edge and overlaps along training) and their agreement."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.observables.spectral_agreement import (
        outlier_relative_errors,
        separated,
    )
    from hdsgd.stages import load_stage, write_table
    from hdsgd.theory.limiting_spectra import quantile_from_grid

    c, tol = snakemake.params.common, snakemake.params.agreement
    k = c["k"]
    ode, th = load_stage(snakemake.input.ode), load_stage(snakemake.input.theory)
    em = load_stage(snakemake.input.empirical)
    times = th["times"]
    if not np.allclose(times, em["times"]):
        raise ValueError("theory and SGD checkpoints differ")
    rows, agree = [], []
    for j, kind in enumerate(("hessian", "g")):
        label = {"hessian": "Hessian", "g": "G-matrix"}[kind]
        top = em["eigenvalues"][:, :, j, ::-1][:, :, : k + 2].mean(axis=1)   # (t, k+2)
        ov = em["overlaps_top"][:, :, j]                                    # (t, seeds, k)
        level = tol["bulk_quantile"]
        emp_q = np.quantile(em["eigenvalues"][:, :, j], level, axis=-1).mean(axis=1)   # (t,)
        out_err, q_err, ov_err = [], [], []
        for i, t in enumerate(times):
            edge, locs = th[f"{kind}_right"][i], th[f"{kind}_outliers"][i]
            n_out = int(th[f"{kind}_n_outliers"][i])
            emp_ov = ov[i, :, :n_out].sum(axis=1).mean()
            th_q = quantile_from_grid(level, th[f"{kind}_grid"][i], th[f"{kind}_cdf"][i],
                                      c["phi"])
            rows += [{"matrix": kind, "source": "theory", "quantity": "outlier", "index": a,
                      "time": t, "value": v} for a, v in enumerate(locs) if np.isfinite(v)]
            rows += [{"matrix": kind, "source": "empirical", "quantity": "eigenvalue",
                      "index": a, "time": t, "value": v} for a, v in enumerate(top[i])]
            rows += [{"matrix": kind, "source": "theory", "quantity": "edge", "index": 0,
                      "time": t, "value": edge},
                     {"matrix": kind, "source": "theory", "quantity": "quantile", "index": 0,
                      "time": t, "value": th_q},
                     {"matrix": kind, "source": "empirical", "quantity": "quantile", "index": 0,
                      "time": t, "value": emp_q[i]},
                     {"matrix": kind, "source": "theory", "quantity": "overlap", "index": 0,
                      "time": t, "value": th[f"{kind}_overlap"][i]},
                     {"matrix": kind, "source": "empirical", "quantity": "overlap", "index": 0,
                      "time": t, "value": emp_ov}]
            out_err += list(outlier_relative_errors(locs, edge, top[i], tol["separation"]))
            q_err.append(abs(emp_q[i] - th_q) / th_q)
            if n_out and separated(locs, edge, tol["separation"]).sum() == n_out:
                ov_err.append(abs(emp_ov - th[f"{kind}_overlap"][i]))
        agree += [
            agreement_row("geometry_fig2", "local_geometry",
                          f"{label} block: outlier location along training, max relative error "
                          f"(ODE theory vs SGD mean)", max(out_err, default=np.nan),
                          tol["outlier_rel"]),
            agreement_row("geometry_fig2", "local_geometry",
                          f"{label} block: {level:g}-quantile of the bulk along training, max "
                          f"relative error", max(q_err), tol["edge_rel"]),
            agreement_row("geometry_fig2", "local_geometry",
                          f"{label} block: mass of mu_c in the outlier eigenspace, max abs error",
                          max(ov_err, default=np.nan), tol["overlap_abs"]),
        ]
    n_g = th["g_n_outliers"]
    agree.append(agreement_row(
        "geometry_fig2", "local_geometry",
        "dynamical transition: G-matrix outliers lost along training (theory count t=0 minus "
        "t_max)", n_g[0] - n_g[-1], 1, ">="))
    g_top_end = em["eigenvalues"][-1, :, 1, -1].mean()
    agree.append(agreement_row(
        "geometry_fig2", "local_geometry",
        "dynamical transition seen empirically: top G eigenvalue at t_max above the theory "
        "edge (relative)", g_top_end / th["g_right"][-1] - 1.0, tol["edge_rel"]))
    gram_sgd = em["gram"].mean(axis=1)
    gram_err = np.abs(gram_sgd - ode["gram"]).max(axis=(1, 2)) / np.abs(ode["gram"]).max(
        axis=(1, 2))
    agree.append(agreement_row(
        "geometry_fig2", "local_geometry",
        "effective dynamics: Gram matrix of (x, mu), ODE vs mean of SGD runs, max relative "
        "error", gram_err.max(), tol["gram_rel"]))
    for r in agree:
        print(r["claim"], r["measured"], r["pass"])
    inputs = [snakemake.input.ode, snakemake.input.theory, snakemake.input.empirical]
    write_table(pd.DataFrame(rows), snakemake.output.series, params=c, inputs=inputs)
    write_agreement(snakemake.output.agreement, agree, params={**c, **tol}, inputs=inputs)
