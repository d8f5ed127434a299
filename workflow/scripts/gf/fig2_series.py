"""Stage: Fig 2 series (every cell of the four maps, the boundary curves and lines, the minima)
and agreement rows (maps vs the closed-form boundary, position of the optimum)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.gf_agreement import (
        TYPICAL_RUN_DIFFERENCE,
        between_edges,
        between_edges_row,
        converged_cells,
        grid_edge,
        map_minimum,
        paper_tau_edge_row,
        stability_map_rows,
    )
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    frames, rows = [], []
    for panel, sim_path, th_path in zip(("mnist", "synthetic"), snakemake.input.sim,
                                        snakemake.input.theory):
        sim, th = load_stage(sim_path), load_stage(th_path)
        alphas, betas = th["alphas"], th["betas"]
        a_grid, b_grid = np.meshgrid(alphas, betas)
        for kind, final, loss0, sig in (("SE", th["final_loss"], float(th["loss0"]), 0.0),
                                        ("simulated", sim["final_loss"], float(sim["loss0"]),
                                         f["smoothing"])):
            conv = converged_cells(final, loss0)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = np.where(conv, np.log10(final / loss0), np.nan)
            frames.append(pd.DataFrame({"panel": panel, "series": f"{kind} map",
                                        "alpha": a_grid.ravel(), "beta": b_grid.ravel(),
                                        "value": z.ravel()}))
            a_star, b_star = map_minimum(alphas, betas, z, sig)
            frames.append(pd.DataFrame({"panel": panel, "series": f"{kind} minimum",
                                        "alpha": [a_star], "beta": [b_star], "value": [np.nan]}))
        fine = th["fine_betas"]
        own = th["own_tau"]
        lines = {"U(1) = 1, paper tau": th["alpha_c_paper"],
                 "noiseless 2(1+beta)": 2 * (1 + fine) / float(th["lambda_max"]),
                 "Prop. 4 2(1-beta)/(gamma lambda_crit)": (1 - fine) * float(th["eff_bound"])}
        if not np.array_equal(own, th["tau"]):
            lines[f"U(1) = 1, tau2 = {own[1]:g}"] = th["alpha_c_own"]
        for name, curve in lines.items():
            frames.append(pd.DataFrame({"panel": panel, "series": name, "alpha": curve,
                                        "beta": fine, "value": np.nan}))
        for name in ("nu", "kappa"):
            frames.append(pd.DataFrame({"panel": panel, "series": [f"fit {name}"],
                                        "alpha": [np.nan], "beta": [np.nan],
                                        "value": [float(th[f"fit_{name}"])]}))
        synthetic = panel == "synthetic"
        main = th["alpha_c_rows_own"] if synthetic else th["alpha_c_rows_paper"]
        kw = dict(alphas=alphas, betas=betas, sim_final=sim["final_loss"],
                  sim_loss0=float(sim["loss0"]), se_final=th["final_loss"],
                  se_loss0=float(th["loss0"]), max_edge_gap=f["max_edge_gap"],
                  min_cell_agreement=f["min_cell_agreement"], smoothing=f["smoothing"])
        label = "(c, d) synthetic" if synthetic else "(a, b) MNIST"
        rows += stability_map_rows(
            "gf_fig2", label, se_alpha_c=th["alpha_c_rows_paper"], sim_alpha_c=main,
            phase="noise" if synthetic else "signal",
            sim_difference=(TYPICAL_RUN_DIFFERENCE
                            if synthetic and f["batch_size"] <= f["heavy_tail_b_max"]
                            else ""), **kw)
        if synthetic:  # the simulated grid edge between the SE edges of tau2 = -1 and +1
            lo, hi = grid_edge(alphas, converged_cells(sim["final_loss"], float(sim["loss0"])))
            inside = between_edges(lo, hi, main, th["alpha_c_rows_paper"], f["between_margin"])
            frames.append(pd.DataFrame({"panel": panel, "series": ["edge between taus"],
                                        "alpha": [np.nansum(inside)],
                                        "beta": [np.isfinite(inside).sum()], "value": [np.nan]}))
            rows.append(between_edges_row(
                "gf_fig2", label, sim_lo=lo, sim_hi=hi, alpha_minus=main,
                alpha_plus=th["alpha_c_rows_paper"], margin=f["between_margin"],
                min_fraction=f["min_between_fraction"]))
            rows.append(paper_tau_edge_row(
                "gf_fig2", label, alphas=alphas, sim_final=sim["final_loss"],
                sim_loss0=float(sim["loss0"]), alpha_c_paper=th["alpha_c_rows_paper"],
                max_edge_gap=f["max_edge_gap"]))
    inputs = [*snakemake.input.sim, *snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
