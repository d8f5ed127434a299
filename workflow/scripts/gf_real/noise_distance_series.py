"""Stage (series): Fig 8, the noise distance D_t(tau1, tau2) between the true SGD noise and
its SE form along the exact second-moment trajectory of a Fig 7 panel: level sets at a few
steps, the ellipses' axis ratio, the minimum errors and the best tau2 over time, and the
agreement rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.gf_real_agreement import noise_distance_rows
    from hdsgd.stages import load_stage, write_table
    from hdsgd.theory.noise_distance import noise_distance_form

    f, name = snakemake.params.fig, snakemake.params.name
    th = load_stage(snakemake.input.theory)
    data = str(load_stage(snakemake.input.problem)["label"])
    nd = noise_distance_form(*(th[f"trace_{k}"][0] for k in ("ss", "sa", "sb", "aa", "ab", "bb")))
    t = np.arange(nd.d_min.size)
    rows = []
    for q, v in (("axis_ratio", nd.axis_ratio), ("d_min", nd.d_min),
                 ("d_min_at_1", nd.d_min_at_1), ("tau2_at_1", nd.tau2_at_1),
                 ("tau1_opt", nd.tau_opt[:, 0]), ("tau2_opt", nd.tau_opt[:, 1])):
        rows += [{"quantity": q, "step": int(s), "tau1": np.nan, "tau2": np.nan, "value": float(x)}
                 for s, x in zip(t, v)]
    tau1, tau2 = np.meshgrid(np.linspace(0.0, 2.0, 81), np.linspace(-2.0, 4.0, 81))  # chosen
    for s in f["ellipse_steps"]:
        d = nd.value(tau1, tau2, t=s)
        rows += [{"quantity": "D", "step": int(s), "tau1": float(a), "tau2": float(b),
                  "value": float(x)} for a, b, x in zip(tau1.ravel(), tau2.ravel(), d.ravel())]
    agree = noise_distance_rows(name, data, nd, max_tau2_gap=f["max_tau2_gap"],
                                max_error=f["max_error"], max_axis_ratio=f["max_axis_ratio"])
    frame = pd.DataFrame(rows)
    frame["data"] = data
    inputs = [snakemake.input.theory, snakemake.input.problem]
    write_table(frame, snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, agree, inputs=inputs)
