"""Stage: Fig 2 series (every grid cell) and agreement (SGD vs SE stability region/boundary)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    th = load_stage(snakemake.input.theory)
    frames, rows = [], []
    for i, path in enumerate(snakemake.input.sims):
        sim = load_stage(path)
        b = f["panels"][i]["batch_size"]
        alphas, betas = sim["alphas"], sim["betas"]
        a_grid, b_grid = np.meshgrid(alphas, betas)
        converged = ~sim["divergent"]
        region = th[f"region_{i}"]
        frames.append(pd.DataFrame({
            "panel": i, "batch_size": b, "alpha": a_grid.ravel(), "beta": b_grid.ravel(),
            "sim_final_loss": sim["final_loss"].ravel(),
            "sim_converged": converged.ravel(), "theory_converges": region.ravel(),
            "theory_u1": th[f"u1_{i}"].ravel()}))
        rows.append(agreement_row(
            "gf_fig2_synthetic", "generating_functions",
            f"b={b}: fraction of (alpha, beta) cells where SGD and SE agree on convergence",
            np.mean(converged == region), f["min_cell_agreement"], ">="))
        # measured boundary: midpoint between the last converged and the first divergent alpha
        # of each beta row, vs the SE max stable alpha
        predicted = np.interp(betas, th["fine_betas"], th[f"alpha_max_{i}"])
        errors = []
        for j in range(betas.size):
            div = np.flatnonzero(~converged[j])
            if div.size and div[0] > 0 and predicted[j] < alphas[-1]:
                edge = 0.5 * (alphas[div[0] - 1] + alphas[div[0]])
                errors.append(edge / predicted[j] - 1)
        rows.append(agreement_row(
            "gf_fig2_synthetic", "generating_functions",
            f"b={b}: median |alpha_boundary(SGD) / alpha_boundary(SE) - 1| over beta rows",
            np.median(np.abs(errors)) if errors else np.nan, f["max_boundary_error"], "<="))
    inputs = [*snakemake.input.sims, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, params=f,
                inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
