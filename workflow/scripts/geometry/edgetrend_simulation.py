"""Stage (simulation): SGD of the edge-trend run at one dimension d (Fig 7)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.training.geometry_runs import run_sgd

    c, run = snakemake.params.common, snakemake.params.run
    delta = c["c_delta"] / run["d"]
    steps = np.unique(np.rint(np.linspace(**snakemake.params.times) / delta).astype(np.int64))
    out = run_sgd(run, c, steps, stream=f"trend-d{run['d']}")
    save_stage(snakemake.output[0], {"times": steps * delta, "steps": steps, **out},
               seed=c["seed"])
