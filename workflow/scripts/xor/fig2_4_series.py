"""Stage (series): Fig 2.4's curves (layerwise alignments; each unit with its final v_i and
whether the rows score it) and its checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.xor import fig2_4_rows, scored_units
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    obs, sim = load_stage(snakemake.input.observables), load_stage(snakemake.input.simulation)
    times, v_final = obs["times"], sim["v"][-1]
    scored = scored_units(v_final, f["scored_v_fraction"])
    frames = []
    for n in ("hessian", "G"):
        a = obs[f"w_alignment_{n}"]
        n_t, K = a.shape
        frames.append(pd.DataFrame({"panel": f"W_{n}", "time": np.repeat(times, K),
                                    "unit": np.tile(np.arange(1, K + 1), n_t),
                                    "alignment": a.ravel(), "v_final": np.tile(v_final, n_t),
                                    "scored": np.tile(scored, n_t)}))
        frames.append(pd.DataFrame({"panel": f"v_{n}", "time": times, "unit": 0,
                                    "alignment": obs[f"v_alignment_{n}"], "v_final": np.nan,
                                    "scored": True}))
    series = pd.concat(frames, ignore_index=True)
    series["alignment_sq"] = series["alignment"] ** 2
    inputs = [snakemake.input.observables, snakemake.input.simulation]
    write_table(series, snakemake.output.series, inputs=inputs)
    rows = fig2_4_rows(obs, v_final, f)
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
