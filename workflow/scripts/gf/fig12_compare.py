"""Stage: Fig 12 series (SGD boundary per beta row and b, SE curve) and agreement."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    sim, th = load_stage(snakemake.input.sim), load_stage(snakemake.input.theory)
    frames, rows = [], []
    for b in f["batch_sizes"]:
        alphas, div = sim[f"alphas_b{b}"], sim[f"divergent_b{b}"]
        edges = np.full(len(f["betas"]), np.nan)
        for j in range(len(f["betas"])):
            first = np.flatnonzero(div[j])
            if first.size and first[0] > 0 and not div[j, :first[0]].any():
                edges[j] = 0.5 * (alphas[j, first[0] - 1] + alphas[j, first[0]])
        theory = th[f"alpha_rows_b{b}"]
        frames.append(pd.DataFrame({"batch_size": b, "beta": f["betas"],
                                    "alpha_sgd": edges, "alpha_se": theory}))
        err = np.abs(edges / theory - 1)
        rows.append(agreement_row(
            "gf_fig12_synthetic", "generating_functions",
            f"b={b}: median |alpha_crit(SGD) / alpha_crit(SE) - 1| over beta "
            f"({np.isfinite(err).sum()}/{err.size} rows with a clean edge)",
            np.nanmedian(err) if np.isfinite(err).any() else np.nan, f["max_boundary_error"]))
    inputs = [snakemake.input.sim, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, params=f,
                inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
