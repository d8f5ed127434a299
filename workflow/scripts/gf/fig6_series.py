"""Stage: Fig 6 series (eq. 30 map, L(alpha), L(beta)) and rows (SE optimum vs alpha* of 28b;
sign of the SE-optimal beta vs eq. 30; eq. 30 vs the derivative of 28b)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.gf_agreement import momentum_rows, refined_minimum
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    sim, th = load_stage(snakemake.input.sim), load_stage(snakemake.input.theory)
    nu, ka = np.meshgrid(th["map_nu"], th["map_kappa"])
    frames = [pd.DataFrame({"panel": "map", "series": "eq. 30", "pair": -1, "x": nu.ravel(),
                            "y": ka.ravel(), "value": th["map_eq30"].ravel()})]
    nu_line = th["map_nu"][th["map_nu"] >= 1]
    frames.append(pd.DataFrame({"panel": "map", "series": "kappa = 2 nu - 1", "pair": -1,
                                "x": nu_line, "y": 2 * nu_line - 1, "value": np.nan}))
    alpha_opt = []
    for i in range(len(f["alpha_curves"])):
        a, loss = sim[f"alpha_grid_{i}"], sim[f"alpha_loss_{i}"]
        alpha_opt.append(refined_minimum(a, np.log(loss)))
        frames.append(pd.DataFrame({"panel": "alpha", "series": "SE loss", "pair": i, "x": a,
                                    "y": loss, "value": np.nan}))
        frames.append(pd.DataFrame({"panel": "alpha", "series": ["SE optimum", "alpha* (28b)"],
                                    "pair": i, "x": [alpha_opt[-1], th["alpha_star"][i]],
                                    "y": np.nan, "value": np.nan}))
    betas, beta_opt = sim["beta_grid"], []
    for i, (pnu, pka) in enumerate(f["beta_pairs"]):
        loss = sim[f"beta_loss_{i}"]
        beta_opt.append(refined_minimum(betas, np.log(loss)))
        frames.append(pd.DataFrame({"panel": "beta", "series": "SE loss", "pair": i, "x": betas,
                                    "y": loss / loss.min(), "value": np.nan}))
        frames.append(pd.DataFrame({"panel": "beta", "series": "point", "pair": i,
                                    "x": [pnu], "y": [pka],
                                    "value": [beta_opt[-1]], "eq30": [th["pair_eq30"][i]],
                                    "d28b": [th["pair_28b"][i]],
                                    "alpha_opt": [float(sim[f"alpha_opt_{i}"])]}))
    rows = momentum_rows("gf_fig6", alpha_pairs=[(c["nu"], c["kappa"]) for c in f["alpha_curves"]],
                         alpha_opt=alpha_opt, alpha_star=th["alpha_star"],
                         beta_pairs=f["beta_pairs"], beta_opt=beta_opt, eq30=th["pair_eq30"],
                         d28b=th["pair_28b"], max_alpha_gap=f["max_alpha_gap"])
    inputs = [snakemake.input.sim, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
