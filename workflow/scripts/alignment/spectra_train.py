"""Stage: top eigenpairs of every H_cc and G_cc block built from the run's own training
stream (the train-data matrices of Sec. 8) at each checkpoint."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.gmm import GaussianMixture
    from hdsgd.observables.spectra import block_spectra_along_trajectory, initial_block
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.sgd_stream import online_sgd_stream

    p, sp = snakemake.params.run, snakemake.params.spectra
    data, sgd = load_stage(snakemake.input.data), load_stage(snakemake.input.sgd)
    mix = GaussianMixture(data["means"], p["lam"], data["probs"])
    n_steps = int(sgd["steps"][-1])
    # the same generator ("sgd" stream of the run's seed) that the sgd stage consumed
    labels, Y = online_sgd_stream(mix, n_steps, 1, rng(p["seed"], "sgd"))
    print(f"training stream: {n_steps} samples x {p['d']}")
    X0 = initial_block(data["means"], 2 * p["k"], sp["n_eig"],
                       rng(p["seed"], "eigensolver-start-train"))
    out = block_spectra_along_trajectory(
        sgd["x"], labels, Y, X0, beta=p["beta"], n_check=p["k"], tol=sp["tol"],
        maxiter=sp["maxiter"], dtype=np.dtype(sp["dtype"]).type,
        include_ridge=sp["g_include_ridge"])
    save_stage(snakemake.output[0], {"times": sgd["times"], **out},
               params={"run": p, "spectra": sp}, seed=p["seed"],
               inputs=[snakemake.input.data, snakemake.input.sgd])
