"""Stage: Fig 3 series (phase regions, loss curves, asymptotes, predicted times) and rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.gf_agreement import crossover_rows, divergence_rows
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    sim, th = load_stage(snakemake.input.sim), load_stage(snakemake.input.theory)
    cx, dv = f["crossover"], f["divergence"]
    frames = []
    nu, ka = np.meshgrid(th["phase_nu"], th["phase_kappa"])
    frames.append(pd.DataFrame({"panel": "phase", "series": "region", "batch_size": 0,
                                "x": nu.ravel(), "y": ka.ravel(),
                                "value": th["phase_region"].ravel()}))
    for i, b in enumerate(cx["inv_gamma"]):
        for name, x, y in (("SE loss", sim["crossover_steps"], sim["crossover_loss"][i]),
                           ("L_sig (28a)", th["asymptote_steps"], th["signal_asymptote"][i]),
                           ("L_noise (28b)", th["asymptote_steps"], th["noise_asymptote"][i]),
                           ("t_trans (29)", [th["transition_time"][i]], [np.nan])):
            frames.append(pd.DataFrame({"panel": "crossover", "series": name, "batch_size": b,
                                        "x": x, "y": y, "value": np.nan}))
    steps = sim["divergence_steps"].astype(float)
    frames.append(pd.DataFrame({"panel": "divergence", "series": "noiseless loss",
                                "batch_size": 0, "x": steps, "y": sim["noiseless_loss"],
                                "value": np.nan}))
    for i, b in enumerate(dv["inv_gamma"]):
        asym = th["amplitude"][i] * th["r_L"][i] ** -steps
        model = sim["noiseless_loss"] + asym
        for name, y in (("SE loss", sim["divergence_loss"][i]), ("eq. 24", asym),
                        ("noiseless + eq. 24", model)):
            frames.append(pd.DataFrame({"panel": "divergence", "series": name, "batch_size": b,
                                        "x": steps, "y": y, "value": np.nan}))
        frames.append(pd.DataFrame({"panel": "divergence", "series": "model minimum",
                                    "batch_size": b, "x": [steps[np.argmin(model)]],
                                    "y": [model.min()], "value": th["r_L"][i]}))
    zeta, xi = cx["kappa"] / cx["nu"], 2 - 1 / cx["nu"]
    rows = crossover_rows("gf_fig3", batch_sizes=cx["inv_gamma"],
                          steps=sim["crossover_steps"], loss=sim["crossover_loss"],
                          asym_steps=th["asymptote_steps"], signal=th["signal_asymptote"],
                          noise=th["noise_asymptote"], transition_time=th["transition_time"],
                          zeta=zeta, xi=xi, t_from=1000, max_curve_gap=cx["max_curve_gap"],
                          max_time_gap=cx["max_time_gap"])
    rows += divergence_rows("gf_fig3", batch_sizes=dv["inv_gamma"], steps=steps,
                            loss=sim["divergence_loss"], noiseless=sim["noiseless_loss"],
                            r_l=th["r_L"], amplitude=th["amplitude"],
                            max_rate_gap=dv["max_rate_gap"], max_time_gap=dv["max_time_gap"])
    inputs = [snakemake.input.sim, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
