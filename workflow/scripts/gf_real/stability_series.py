"""Stage: tidy series and agreement rows of a stability figure (Figs 2, 9, 10, 12, 13):
SE critical alpha per (batch size, tau, beta), the simulated boundary, and (Figs 9, 10) the
spectrum with its power-law fits."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.models.ntk import fit_power_law, loss_tail
    from hdsgd.observables.stability_boundary import (
        empirical_critical_alpha,
        region_agreement,
        relative_boundary_gap,
    )
    from hdsgd.stages import load_stage, write_table

    f, name = snakemake.params.fig, snakemake.params.name
    st, prob = load_stage(snakemake.input.stability), load_stage(snakemake.input.problem)
    betas, alphas = st["betas"], st["alphas"]
    rows, agree = [], []
    for i, b in enumerate(st["batch_sizes"]):
        sim_crit = empirical_critical_alpha(alphas, st["sim_converges"][i])
        for bt, a in zip(betas, sim_crit):
            rows.append({"quantity": "critical_alpha", "source": "simulated linearised SGD",
                         "batch_size": int(b), "beta": bt, "x": np.nan, "value": a})
        for j, (tau1, tau2) in enumerate(st["taus"]):
            src = f"SE tau1={tau1:g} tau2={tau2:g}"
            for bt, a in zip(betas, st["critical_alpha"][i, j]):
                rows.append({"quantity": "critical_alpha", "source": src, "batch_size": int(b),
                             "beta": bt, "x": np.nan, "value": a})
            if j > 0:  # claims are made for the main (first) tau; the others are drawn only
                continue
            frac = region_agreement(st["sim_converges"][i], st["theory_converges"][i, j])
            agree.append(agreement_row(name, "gf", f"b={b}: grid cells where simulated and SE "
                                       f"({src}) convergence agree, fraction", frac,
                                       f["min_region_agreement"], ">="))
            # SE boundary restricted to the grid (the region also needs stable modes)
            th_crit = empirical_critical_alpha(alphas, st["theory_converges"][i, j])
            gap = np.nanmedian(relative_boundary_gap(sim_crit, th_crit))
            agree.append(agreement_row(name, "gf", f"b={b}: median relative gap of the simulated "
                                       f"vs SE ({src}) critical alpha over beta", gap,
                                       f["max_boundary_gap"]))
    if f.get("spectrum_fit_ranks"):
        k0, k1 = f["spectrum_fit_ranks"]
        lam, tail = prob["eigvals"], loss_tail(prob["loss_components"])
        for q, v in (("eigenvalue", lam), ("loss_tail", tail)):
            A, e = fit_power_law(v, k0, k1)
            k = np.arange(1, v.size + 1)
            for kk, vv in zip(k, v):
                rows.append({"quantity": q, "source": "data", "batch_size": 0, "beta": np.nan,
                             "x": kk, "value": vv})
            for kk in (k0, k1):
                rows.append({"quantity": q, "source": f"fit exponent {e:.3f}", "batch_size": 0,
                             "beta": np.nan, "x": kk, "value": A * kk**-e})
            pred = np.log(A * k[k0 - 1:k1] ** -e)
            resid = np.log(v[k0 - 1:k1]) - pred
            r2 = 1 - resid.var() / np.log(v[k0 - 1:k1]).var()
            agree.append(agreement_row(name, "gf", f"power-law fit of the {q} on ranks "
                                       f"{k0}..{k1} (exponent {e:.3f}), R^2 in log-log", r2,
                                       f["min_fit_r2"], ">="))
    inputs = [snakemake.input.stability, snakemake.input.problem]
    write_table(pd.DataFrame(rows), snakemake.output.series, params=f, inputs=inputs)
    write_agreement(snakemake.output.agreement, agree, params=f, inputs=inputs)
