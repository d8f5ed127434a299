"""Stage (series): RMS gap between single SGD runs and the ODE against d for each quantity,
the fitted rates (bootstrap over runs), a few trajectories, and the figure's checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.alignment_scaling import (
        scaling_fits,
        scaling_rows,
        scaling_series,
        theory_noise,
    )
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    sim, th = load_stage(snakemake.input.simulation), load_stage(snakemake.input.theory)
    keys = ("m", "Q", "accuracy")
    claim = slice(1, None)  # every checkpoint after t = 0 (both start from the same law)
    ode = {q: th[q][claim] for q in keys}
    fits = scaling_fits(sim["sizes"], {q: sim[q][:, claim] for q in keys}, ode,
                        seed=f["bootstrap_seed"])
    rows = scaling_rows(fits, theory_noise(ode, {q: th[f"replica_{q}"][claim] for q in keys}),
                        f)
    # trajectories of x^1 . mu_1: every run at the smallest and the largest size, and the ODE
    frames = [pd.DataFrame(scaling_series(fits, f["expected_slope"]))]
    for i in (0, len(sim["sizes"]) - 1):
        for r in range(sim["m"].shape[2]):
            frames.append(pd.DataFrame({"panel": "trajectory", "source": "simulation",
                                        "size": sim["sizes"][i], "run": r,
                                        "time": sim["times"], "value": sim["m"][i, :, r, 0, 0]}))
    frames.append(pd.DataFrame({"panel": "trajectory", "source": "theory", "time": th["times"],
                                "value": th["m"][:, 0, 0]}))
    inputs = [snakemake.input.simulation, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r)
