"""Stage: top eigenpairs of every Hessian and G-matrix diagonal block at each checkpoint."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.observables.spectra import block_spectra_along_trajectory, initial_block
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage

    p, sp = snakemake.params.run, snakemake.params.spectra
    data = load_stage(snakemake.input.data)
    sgd = load_stage(snakemake.input.sgd)
    X0 = initial_block(data["means"], 2 * p["k"], sp["n_eig"], rng(p["seed"], "eigensolver-start"))
    out = block_spectra_along_trajectory(
        sgd["x"], data["test_labels"], data["test_Y"], X0, beta=p["beta"], n_check=p["k"],
        tol=sp["tol"], maxiter=sp["maxiter"], dtype=np.dtype(sp["dtype"]).type,
        include_ridge=sp["g_include_ridge"])
    save_stage(snakemake.output[0], {"times": sgd["times"], **out},
               params={"run": p, "spectra": sp}, seed=p["seed"],
               inputs=[snakemake.input.data, snakemake.input.sgd])
