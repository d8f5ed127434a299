"""Stage (data): the XOR mixture's hidden means and the fixed held-out test sample."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.xor import XorMixture
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage

    p = snakemake.params.run
    mix = XorMixture(p["d"], p["lam"])
    n_test = int(round(p["test_factor"] * p["d"]))
    hidden, y, Y = mix.sample(n_test, rng(p["test_seed"], "test"), dtype=np.float32)
    print(f"test sample: {n_test} x {p['d']}")
    save_stage(snakemake.output[0], {"hidden_means": mix.hidden_means, "test_hidden": hidden,
                                     "test_y": y, "test_Y": Y}, seed=p["test_seed"])
