"""Stage (simulation): online SGD of the two-layer XOR network, iterates (W, v) kept at the
checkpoints."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.data.xor import XorMixture
    from hdsgd.stages import save_stage
    from hdsgd.training.xor_sgd import run_xor_sgd_seeds

    p = snakemake.params.run
    steps, W, v = run_xor_sgd_seeds(XorMixture(p["d"], p["lam"]), [p["seed"]], K=p["K"],
                                    beta=p["beta"], c_delta=p["c_delta"],
                                    v_init_scale=p["v_init_scale"], t_max=p["t_max"],
                                    checkpoints=p["checkpoints"])
    save_stage(snakemake.output[0], {"steps": steps, "times": steps * p["c_delta"] / p["d"],
                                     "W": W[:, 0], "v": v[:, 0]}, seed=p["seed"])
