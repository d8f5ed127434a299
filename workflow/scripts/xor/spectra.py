"""Stage: first-layer block eigenpairs (batched over units) and vv-block spectra along training."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.observables.xor_spectra import xor_spectra_along_trajectory
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage

    p, sp = snakemake.params.run, snakemake.params.spectra
    data = load_stage(snakemake.input.data)
    sgd = load_stage(snakemake.input.sgd)
    out = xor_spectra_along_trajectory(
        sgd["W"], sgd["v"], data["test_y"], data["test_Y"], data["test_hidden"],
        beta=p["beta"], n_eig=sp["n_eig"], n_check=sp["n_check"], n_keep_vecs=2,
        tol=sp["tol"], maxiter=sp["maxiter"],
        dtype=np.dtype(sp["dtype"]).type, include_ridge=sp["g_include_ridge"],
        rng=rng(p["seed"], "eigensolver-start"))
    print("LOBPCG iterations (H, G):", out["hw_iters"].tolist(), out["gw_iters"].tolist())
    if not (out["hw_converged"].all() and out["gw_converged"].all()):
        print("WARNING: some first-layer eigenproblems stopped at maxiter")
    save_stage(snakemake.output[0], {"times": sgd["times"], **out},
               params={"run": p, "spectra": sp}, seed=p["seed"],
               inputs=[snakemake.input.data, snakemake.input.sgd])
