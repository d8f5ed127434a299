"""Stage (series): Fig 2.4's curves (layerwise alignments) and its checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.xor import fig2_4_rows
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    obs = load_stage(snakemake.input.observables)
    times = obs["times"]
    frames = []
    for n in ("hessian", "G"):
        a = obs[f"w_alignment_{n}"]
        n_t, K = a.shape
        frames.append(pd.DataFrame({"panel": f"W_{n}", "time": np.repeat(times, K),
                                    "unit": np.tile(np.arange(1, K + 1), n_t),
                                    "alignment": a.ravel()}))
        frames.append(pd.DataFrame({"panel": f"v_{n}", "time": times, "unit": 0,
                                    "alignment": obs[f"v_alignment_{n}"]}))
    series = pd.concat(frames, ignore_index=True)
    series["alignment_sq"] = series["alignment"] ** 2
    inputs = [snakemake.input.observables]
    write_table(series, snakemake.output.series, inputs=inputs)
    rows = fig2_4_rows(obs, f)
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
