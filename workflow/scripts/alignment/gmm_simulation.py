"""Stage (simulation): online SGD on the cross-entropy loss, iterates kept at the checkpoints."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.gmm import GaussianMixture
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.online_sgd import checkpoint_steps, checkpoint_times, run_online_sgd

    p = snakemake.params.run
    data = load_stage(snakemake.input.data)
    mix = GaussianMixture(data["means"], p["lam"], data["probs"])
    delta = p["c_delta"] / p["d"]
    steps = checkpoint_steps(checkpoint_times(p["t_max"], **p["checkpoints"]), delta)
    x0 = rng(p["seed"], "init").standard_normal((1, p["k"], p["d"])) / np.sqrt(p["d"])
    x = run_online_sgd(mix, x0, beta=p["beta"], delta=delta, steps=steps,
                       rng=rng(p["seed"], "sgd"))[:, 0]
    save_stage(snakemake.output[0], {"steps": steps, "times": steps * delta, "x": x},
               seed=p["seed"], inputs=[snakemake.input.data])
