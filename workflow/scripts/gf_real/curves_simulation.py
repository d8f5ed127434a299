"""Stage (simulation): linearised mini-batch SGD on one problem's NTK, every configured
(batch size, alpha, beta), ``seeds`` independent runs (run s uses seed s)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid
    from hdsgd.training.network_sgd import BATCH_CHUNK, log_record_steps

    f = snakemake.params.fig
    prob = load_stage(snakemake.input.problem)
    T = f["n_steps"]
    steps = log_record_steps(T, f["n_records"])
    cfgs, seeds = f["configs"], list(range(f["seeds"]))
    runs = np.empty((len(cfgs), len(seeds), steps.size))
    bar = Progress(len(cfgs) * T, "linearised SGD steps")
    for i, c in enumerate(cfgs):
        res = minibatch_sgd_grid(prob["gram"], prob["r0"], [c["alpha"]], [c["beta"]],
                                 batch_size=c["batch_size"], n_steps=T, seeds=seeds,
                                 record_steps=steps, chunk=BATCH_CHUNK,
                                 dtype=np.dtype(snakemake.params.sim_dtype), progress=bar)
        runs[i] = res.losses[:, 0]
    save_stage(snakemake.output[0], {
        "steps": steps, "runs": runs,
        "batch_size": np.array([c["batch_size"] for c in cfgs]),
        "alpha": np.array([c["alpha"] for c in cfgs]),
        "beta": np.array([c["beta"] for c in cfgs]),
    }, seed=0, inputs=[snakemake.input.problem],
               allow_nonfinite=["runs"])  # a diverging configuration records inf
