"""Stage (data): the mixture's means and the fixed held-out test sample."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.gmm import uniform_mixture
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage

    p = snakemake.params.run
    mix = uniform_mixture(p["k"], p["d"], p["lam"], p["mean_spacing"])
    n_test = int(round(p["test_factor"] * p["d"]))
    labels, Y = mix.sample(n_test, rng(p["seed"], "test"), dtype=np.float32)
    print(f"test sample: {n_test} x {p['d']}")
    save_stage(snakemake.output[0],
               {"means": mix.means, "probs": mix.probs, "test_labels": labels, "test_Y": Y},
               seed=p["seed"])
