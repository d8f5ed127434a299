"""Stage (simulation): SGD runs of the scaling figure's model to its time t at one dimension d
that the edge-trend runs do not cover (same layout as the edge-trend simulation)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.training.geometry_runs import run_sgd

    c, run = snakemake.params.common, snakemake.params.sgd
    delta = c["c_delta"] / run["d"]
    steps = np.array([int(round(snakemake.params.time / delta))])
    out = run_sgd(run, c, steps, stream=f"scaling-d{run['d']}")
    save_stage(snakemake.output[0], {"times": steps * delta, "steps": steps, **out},
               seed=c["seed"])
