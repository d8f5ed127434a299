"""Stage: Fig 5 series (loss vs samples per b, SGD and SE; SE budget curve) and agreement."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    sim, th = load_stage(snakemake.input.sim), load_stage(snakemake.input.theory)
    frames, errors = [], []
    for b in f["batch_sizes"]:
        steps = sim[f"steps_b{b}"]
        se = th[f"loss_b{b}"][steps]
        frames.append(pd.DataFrame({"kind": "curve", "batch_size": b, "samples": b * steps,
                                    "sgd_loss": sim[f"loss_b{b}"], "se_loss": se}))
        late = steps >= 10
        errors.append(np.median(np.abs(sim[f"loss_b{b}"][late] / se[late] - 1)))
    frames.append(pd.DataFrame({"kind": "budget", "batch_size": th["scan_batch_sizes"],
                                "samples": f["budget"], "sgd_loss": np.nan,
                                "se_loss": th["scan_final_loss"]}))
    rows = [agreement_row(
        "gf_fig5", "generating_functions",
        "max over b of median |SGD mean / SE - 1| along the loss-vs-samples curve (t >= 10)",
        max(errors), f["max_curve_error"])]
    inputs = [snakemake.input.sim, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, params=f,
                inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
