"""Stage: online SGD of the two-layer XOR network, iterates (W, v) kept at the checkpoints."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.xor import XorMixture
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage
    from hdsgd.training.online_sgd import checkpoint_steps, checkpoint_times
    from hdsgd.training.xor_sgd import run_xor_sgd

    p = snakemake.params.run
    K, d = p["K"], p["d"]
    delta = p["c_delta"] / d
    steps = checkpoint_steps(checkpoint_times(p["t_max"], **p["checkpoints"]), delta)
    W0 = rng(p["seed"], "init").standard_normal((1, K, d)) / np.sqrt(d)   # W_i ~ N(0, I_d/d)
    v0 = p["v_init_scale"] * rng(p["seed"], "init-v").standard_normal((1, K))
    W, v = run_xor_sgd(XorMixture(d, p["lam"]), W0, v0, beta=p["beta"], delta=delta,
                       steps=steps, rng=rng(p["seed"], "sgd"))
    save_stage(snakemake.output[0], {"steps": steps, "times": steps * delta, "W": W[:, 0],
                                     "v": v[:, 0]}, params=p, seed=p["seed"])
