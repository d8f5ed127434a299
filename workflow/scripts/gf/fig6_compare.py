"""Stage: Fig 6 series (best loss over alpha per beta, SGD and SE) and agreement: curves agree,
the optimal momentum is negative in the noise-dominated phase and positive in the signal phase,
and SGD pays a clear penalty at the wrong-sign extreme momentum."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    frames, rows = [], []
    for phase in ("signal", "noise"):
        sim = load_stage(snakemake.input[f"sim_{phase}"])
        th = load_stage(snakemake.input[f"theory_{phase}"])
        betas = th["betas"]
        best_sim, best_th = sim["loss"].min(axis=1), th["loss"].min(axis=1)
        frames.append(pd.DataFrame({
            "phase": phase, "beta": betas, "sgd_best_loss": best_sim, "se_best_loss": best_th,
            "sgd_best_alpha": sim["alphas"][np.arange(betas.size), sim["loss"].argmin(axis=1)],
            "se_best_alpha": th["alphas"][np.arange(betas.size), th["loss"].argmin(axis=1)]}))
        rows.append(agreement_row(
            "gf_fig6", "generating_functions",
            f"{phase}-dominated: median |SGD best loss / SE best loss - 1| over beta",
            np.median(np.abs(best_sim / best_th - 1)), f["max_curve_error"]))
        b_star = betas[np.argmin(best_th)]
        if phase == "noise":
            rows.append(agreement_row(
                "gf_fig6", "generating_functions",
                "noise-dominated: SE optimal momentum is negative (paper: benefit from "
                "negative momenta)", b_star, 0.0, "<="))
            penalty = best_sim[-1] / best_sim.min()
            claim = "noise-dominated: SGD loss at the largest beta / SGD best loss"
        else:
            rows.append(agreement_row(
                "gf_fig6", "generating_functions",
                "signal-dominated: SE optimal momentum is positive", b_star, 0.0, ">="))
            penalty = best_sim[0] / best_sim.min()
            claim = "signal-dominated: SGD loss at the most negative beta / SGD best loss"
        rows.append(agreement_row("gf_fig6", "generating_functions", claim, penalty,
                                  f["min_penalty"], ">="))
    inputs = list(snakemake.input)
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, params=f,
                inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
