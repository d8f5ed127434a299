"""Stage: Fig 5 series (L/L_0 against samples t b, simulated and SE) and rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.gf_agreement import budget_rows
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    sim, th = load_stage(snakemake.input.sim), load_stage(snakemake.input.theory)
    steps = sim["steps"]
    frames = []
    for i, b in enumerate(f["batch_sizes"]):
        for name, loss in (("simulated", sim["loss"][i]), ("SE", th["loss"][i])):
            frames.append(pd.DataFrame({"series": name, "batch_size": b, "step": steps,
                                        "samples": steps * b, "loss_ratio": loss / loss[0]}))
    rows = budget_rows("gf_fig5", batch_sizes=f["batch_sizes"], steps=steps, sim=sim["loss"],
                       se=th["loss"], max_curve_gap=f["max_curve_gap"],
                       max_scaling_gap=f["max_scaling_gap"],
                       min_diminishing=f["min_diminishing"])
    inputs = [snakemake.input.sim, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
