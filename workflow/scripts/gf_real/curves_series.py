"""Stage: tidy series and agreement rows of a loss-curve figure (Figs 1, 7, 8, 11)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.models.ntk import fit_gd_power_law, fit_power_law, loss_tail
    from hdsgd.stages import load_stage, write_table

    f, name = snakemake.params.fig, snakemake.params.name
    st, prob = load_stage(snakemake.input.curves), load_stage(snakemake.input.problem)
    steps = st["steps"]
    rows, agree = [], []
    later = steps >= 1

    def add(curve, i, values):
        for t, v in zip(steps, values):
            rows.append({"curve": curve, "batch_size": int(st["batch_size"][i]),
                         "alpha": float(st["alpha"][i]), "beta": float(st["beta"][i]),
                         "step": int(t), "loss": float(v)})

    def log_gap(a, b):
        """Mean over recorded steps t >= 1 of |log(a_t / b_t)|."""
        return float(np.mean(np.abs(np.log(a[later] / b[later]))))

    for i in range(st["batch_size"].size):
        lin = st["linearised"][i].mean(axis=0)
        add("linearised SGD", i, lin)
        cfg = f"b={st['batch_size'][i]}, alpha={st['alpha'][i]:g}, beta={st['beta'][i]:g}"
        gaps = []
        for j, (tau1, tau2) in enumerate(st["taus"]):
            add(f"SE tau1={tau1:g} tau2={tau2:g}", i, st["se"][i, j])
            gaps.append(log_gap(st["se"][i, j], lin))
        tau1, tau2 = st["taus"][0]
        agree.append(agreement_row(name, "gf", f"SE (tau1={tau1:g}, tau2={tau2:g}) vs simulated "
                                   f"linearised SGD, mean |log ratio| over t, {cfg}", gaps[0],
                                   f["max_log_gap_se"]))
        if len(gaps) > 1:
            agree.append(agreement_row(name, "gf", f"SE gap with tau2={tau2:g} minus gap with "
                                       f"tau2={st['taus'][-1][1]:g} (first tau fits best), {cfg}",
                                       gaps[0] - gaps[-1], f["tau_order_slack"]))
        if np.isfinite(st["exact"][i]).all():  # exact second moments (Prop. 1): E[L_t]
            ex = st["exact"][i]
            add("exact second moments (Prop. 1)", i, ex)
            agree.append(agreement_row(name, "gf", f"SE (tau1={tau1:g}, tau2={tau2:g}) vs exact "
                                       f"second-moment recursion, mean |log ratio| over t, {cfg}",
                                       log_gap(st["se"][i, 0], ex), f["max_log_gap_se"]))
            agree.append(agreement_row(name, "gf", f"simulated SGD ({st['linearised'].shape[1]} "
                                       f"seeds) vs exact second moments, mean |log ratio|, {cfg}",
                                       log_gap(lin, ex), f["max_log_gap_se"]))
        net_runs = st["network"][i][np.isfinite(st["network"][i]).all(axis=1)]
        if net_runs.size:
            net = net_runs.mean(axis=0)
            add("network SGD", i, net)
            agree.append(agreement_row(name, "gf", f"network vs linearised SGD (same batches, "
                                       f"{len(net_runs)} seeds), mean |log ratio| over t, {cfg}",
                                       log_gap(net, st["linearised"][i][:len(net_runs)].mean(0)),
                                       f["max_log_gap_network"]))
    if "gd" in st:
        gd_steps, gd = st["gd_steps"], st["gd"]
        t0, t1 = f["gd_fit_window"]
        C, xi = fit_gd_power_law(gd, gd_steps, t0, t1)
        k0, k1 = f["spectrum_fit_ranks"]
        _, nu = fit_power_law(prob["eigvals"], k0, k1)
        _, kappa = fit_power_law(loss_tail(prob["loss_components"]), k0, k1)
        shown = np.unique(np.round(np.logspace(0, np.log10(gd_steps[-1]), 200)).astype(int))
        for t in shown:
            rows.append({"curve": "GD (b=N)", "batch_size": prob["r0"].size,
                         "alpha": f["gd_alpha"], "beta": 0.0, "step": int(t), "loss": gd[t]})
        for t in (t0, t1):
            rows.append({"curve": f"GD fit C t^-xi, xi={xi:.3f}", "batch_size": prob["r0"].size,
                         "alpha": f["gd_alpha"], "beta": 0.0, "step": int(t),
                         "loss": C * t**-xi})
        agree.append(agreement_row(name, "gf", f"GD loss exponent xi={xi:.3f} vs spectral "
                                   f"prediction kappa/nu={kappa / nu:.3f} (nu={nu:.3f}, "
                                   f"kappa={kappa:.3f}), relative gap",
                                   abs(xi - kappa / nu) / (kappa / nu),
                                   f["max_rel_gap_gd_exponent"]))
    inputs = [snakemake.input.curves, snakemake.input.problem]
    write_table(pd.DataFrame(rows), snakemake.output.series, params=f, inputs=inputs)
    write_agreement(snakemake.output.agreement, agree, params=f, inputs=inputs)
