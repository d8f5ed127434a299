"""Stage (series): every plotted curve of a loss-curve figure (Figs 1, 7, 9, 10) as a tidy
series.csv, and the figure's agreement rows (hdsgd.observables.gf_real_agreement).

Quantity "loss": the curves; quantity "ratio": what the rows score, each curve divided by the
curve it is scored against (SE and eq. 28a by the reference: the exact second moments where the
figure has them, else the linearised mean; the sampled mean with its standard error by the same
reference; the network by the linearised run on the same batches)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.data.real_datasets import STAND_INS
    from hdsgd.models.ntk import loss_tail
    from hdsgd.observables.gf_real_agreement import (
        late_ratio,
        mc_rows,
        network_rows,
        power_law_rows,
        se_curve_rows,
    )
    from hdsgd.stages import load_stage, write_table

    f, name = snakemake.params.fig, snakemake.params.name
    nets = iter(snakemake.input.network)
    rows, agree = [], []
    base = {}
    for pi, problem in enumerate(snakemake.params.problems):
        sim = load_stage(snakemake.input.simulation[pi])
        th = load_stage(snakemake.input.theory[pi])
        prob = load_stage(snakemake.input.problems[pi])
        net = load_stage(next(nets)) if f["network"] else None
        data = str(prob["label"])
        # stated differences apply only where the data stand in for the paper's
        diffs = f["stand_in_differences"] if snakemake.params.datasets[pi] in STAND_INS else {}
        steps = sim["steps"]
        base.update(problem=problem, data=data)

        def add(quantity, curve, cfg, x, y, err=None):
            err = np.full(len(x), np.nan) if err is None else err
            for xx, yy, ee in zip(x, y, err):
                rows.append({**base, "quantity": quantity, "curve": curve, **cfg, "x": float(xx),
                             "y": float(yy), "y_err": float(ee)})

        claim_kind = f["problem_claims"].get(problem)
        for i, c in enumerate(f["configs"]):
            cfg = {"batch_size": c["batch_size"], "alpha": c["alpha"], "beta": c["beta"]}
            panel = f"{data}, b={c['batch_size']}, alpha={c['alpha']:g}, beta={c['beta']:g}"
            runs = sim["runs"][i]
            mean = runs.mean(axis=0)
            sem = runs.std(axis=0, ddof=1) / np.sqrt(len(runs)) if len(runs) > 1 else None
            lin_name = f"linearised SGD, mean of {len(runs)} runs"
            add("loss", lin_name, cfg, steps, mean, sem)
            se = {}
            for j, (tau1, tau2) in enumerate(th["taus"]):
                label = f"SE tau1={tau1:g} tau2={tau2:g}"
                se[label] = th["se"][i, j]
                add("loss", label, cfg, steps, th["se"][i, j])
            if "exact" in th:
                reference, ref_name = th["exact"][i], "exact second moments"
                add("loss", "exact second moments (Prop. 1)", cfg, steps, reference)
                agree += mc_rows(name, panel, steps, runs, reference,
                                 tolerance=f["max_log_gap_mc"])
            else:
                reference, ref_name = mean, f"linearised SGD (mean of {len(runs)} runs)"
            add("ratio", lin_name, cfg, steps, mean / reference,
                None if sem is None else sem / reference)
            for label, curve in se.items():
                add("ratio", label, cfg, steps, curve / reference)
            agree += se_curve_rows(name, panel, steps, reference, se,
                                   claim=claim_kind or c["claim"], tolerance=f["max_log_gap_se"],
                                   reference_name=ref_name, slack=f["tau_order_slack"],
                                   difference=diffs.get("se_family", ""))
            if net is not None:
                for k, run in enumerate(net["runs"][i]):
                    add("loss", f"network SGD, run {k}", cfg, steps, run)
                add("ratio", "network / linearised run 0 (same batches)", cfg, steps,
                    net["runs"][i][0] / runs[0])
                t_late, ratio = late_ratio(steps, net["runs"][i][0], runs[0])
                add("late_ratio", "network / linearised run 0 (same batches)", cfg, [t_late],
                    [ratio])
                agree += network_rows(name, panel, steps, net["runs"][i][0], runs[0],
                                      tolerance=f["max_log_gap_network"])
        if f["power_law"]:
            pl = f["power_law"]
            scale, nu, r2_nu, k_const, kappa, r2_kappa = th["fit"]
            lam, tail = prob["eigvals"], loss_tail(prob["loss_components"])
            ranks = np.arange(1, lam.size + 1)
            add("eigenvalue", "data", {}, ranks, lam / lam[0])
            add("tail_sum", "data", {}, ranks, tail / tail[0])
            k = np.array(pl["eigval_ranks"])
            add("eigenvalue", f"fit nu={nu:.2f}", {}, k, scale * k**-nu / lam[0])
            k = np.array(pl["tail_ranks"])
            add("tail_sum", f"fit kappa={kappa:.2f}", {}, k, k_const * k**-kappa / tail[0])
            fits = {"nu": nu, "r2_nu": r2_nu, "kappa": kappa, "r2_kappa": r2_kappa}
            agree += power_law_rows(name, data, fits=fits, min_r2=f["min_fit_r2"],
                                    differences=diffs)
            if pl["predict"]:
                zeta = kappa / nu
                for i, c in enumerate(f["configs"]):
                    cfg = {"batch_size": c["batch_size"], "alpha": c["alpha"], "beta": c["beta"]}
                    # the fitted tail ranks are learned while 2 alpha_eff lambda_k t ~ 1
                    a_eff = c["alpha"] / (1 - c["beta"])
                    t0, t1 = (1 / (2 * a_eff * lam[kk - 1]) for kk in pl["tail_ranks"])
                    sel = (steps >= t0) & (steps <= t1)
                    curve = th["asymptotic"][i] * steps[sel].astype(float) ** -zeta
                    mean = sim["runs"][i].mean(axis=0)[sel]
                    add("loss", f"eq. 28a, zeta=kappa/nu={zeta:.2f}", cfg, steps[sel], curve)
                    add("ratio", f"eq. 28a, zeta=kappa/nu={zeta:.2f}", cfg, steps[sel],
                        curve / mean)
                    pred = {"steps": steps[sel], "loss": mean,
                            "zeta": zeta, "curve": curve,
                            "max_rel_exponent": f["max_rel_gap_exponent"],
                            "max_log_gap": f["max_log_gap_asymptotic"]}
                    agree += power_law_rows(
                        name, f"{data}, b={c['batch_size']}", fits=fits, min_r2=f["min_fit_r2"],
                        prediction=pred, differences=diffs)[2:]
    inputs = [*snakemake.input.simulation, *snakemake.input.network, *snakemake.input.theory]
    write_table(pd.DataFrame(rows), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, agree, inputs=inputs)
