"""Stage (series): Fig 2.5's curves (all vv-block eigenvalues over training on the test sample,
the population blocks' top four, the class-projected bulk edges) and its checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.xor import fig2_5_rows
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    obs, th = load_stage(snakemake.input.observables), load_stage(snakemake.input.theory)
    times = obs["times"]
    frames = []
    for m, name in (("h", "hessian"), ("g", "G")):
        pop = th[f"{m}vv_vals"][:, :4]
        for source, vals in (("test", obs[f"{m}vv_vals"]), ("population", pop)):
            n_t, n = vals.shape
            frames.append(pd.DataFrame({"time": np.repeat(times, n), "matrix": name,
                                        "index": np.tile(np.arange(1, n + 1), n_t),
                                        "value": vals.ravel(), "source": source}))
        frames.append(pd.DataFrame({"time": times, "matrix": name, "index": 0,
                                    "value": obs[f"{m}vv_edge"], "source": "bulk_edge"}))
    inputs = [snakemake.input.observables, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    rows = fig2_5_rows(obs, th, f)
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
