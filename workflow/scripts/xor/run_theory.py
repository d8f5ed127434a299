"""Stage (theory): population vv blocks E[sigma' h h^T] + beta I and E[grad_v L grad_v L^T] at
every checkpoint, by Monte Carlo over the K-dimensional Gaussian W Y (exact in law)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.xor import XorMixture
    from hdsgd.observables.xor_spectra import population_vv_blocks
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage

    p, pop = snakemake.params.run, snakemake.params.population
    include_ridge = snakemake.params.g_include_ridge
    sim = load_stage(snakemake.input.simulation)
    means = XorMixture(p["d"], p["lam"]).hidden_means
    xi = rng(pop["seed"], "population-vv").standard_normal((4, pop["n_mc"], p["K"]))
    H, G = zip(*[population_vv_blocks(W, v, means, p["lam"], p["beta"], xi,
                                      include_ridge=include_ridge)
                 for W, v in zip(sim["W"], sim["v"])])
    save_stage(snakemake.output[0], {"times": sim["times"],
                                     "hvv_vals": np.linalg.eigvalsh(np.array(H))[:, ::-1],
                                     "gvv_vals": np.linalg.eigvalsh(np.array(G))[:, ::-1]},
               seed=pop["seed"], inputs=[snakemake.input.simulation])
