"""Stage (simulation): online SGD for softmax regression on the k-GMM from x = 0."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.gmm import uniform_mixture
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import training_checkpoints
    from hdsgd.training.online_sgd import run_online_sgd

    c, tr = snakemake.params.common, snakemake.params.training
    k, d = c["k"], tr["d"]
    delta = c["c_delta"] / d
    steps, times = training_checkpoints(tr["t_max"], tr["n_times"], tr["hist_times"], delta)
    mix = uniform_mixture(k, d, c["lam"], c["mean_spacing"])
    xs = run_online_sgd(mix, np.zeros((tr["seeds"], k, d)), beta=c["beta"], delta=delta,
                        steps=steps, rng=rng(c["seed"], "geometry-sgd"))
    save_stage(snakemake.output[0], {"times": times, "steps": steps, "iterates": xs,
                                     "means": mix.means}, params={**c, **tr}, seed=c["seed"])
