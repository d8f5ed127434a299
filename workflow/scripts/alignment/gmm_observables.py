"""Stage (observables): top eigenpairs of every Hessian and G-matrix diagonal block on the
held-out test sample at each checkpoint, the alignment of each class vector with the top-k
eigenspaces of its blocks, and the test accuracy."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.models.softmax_regression import accuracy
    from hdsgd.observables.spectra import block_spectra_along_trajectory, initial_block
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage

    p, sp = snakemake.params.run, snakemake.params.spectra
    k = p["k"]
    data = load_stage(snakemake.input.data)
    sim = load_stage(snakemake.input.simulation)
    X0 = initial_block(data["means"], 2 * k, sp["n_eig"], rng(p["seed"], "eigensolver-start"))
    # converge the top k of every block and n_bulk more eigenvalues of H_11 (Fig 2.3: its k
    # outliers, then the top of its bulk); G_11 has an unknown number of outliers, so the top of
    # its bulk is measured on the complement of span(mu, x) (Fig 9.2)
    n_check = np.full(2 * k, k)
    n_check[0] += sp["n_bulk"]
    tol = np.repeat([sp["tol_hessian"], sp["tol_g"]], k)
    out = block_spectra_along_trajectory(
        sim["x"], data["test_labels"], data["test_Y"], X0, beta=p["beta"], n_check=n_check,
        tol=tol, maxiter=sp["maxiter"], dtype=np.dtype(sp["dtype"]).type,
        include_ridge=sp["g_include_ridge"], threads=snakemake.threads, keep_vectors=[0, k],
        bulk_blocks=[k], means=data["means"], tol_bulk=sp["tol_bulk"])
    acc = np.array([accuracy(x, data["test_labels"], data["test_Y"]) for x in sim["x"]])
    cpu = out.pop("cpu_seconds")  # timing: logged, never stored (byte-identical stages)
    print(f"solver: {cpu.sum():.1f} CPU-s")
    print(f"column products: {out['column_applies'].sum()}; test accuracy {acc[0]:.3f} -> "
          f"{acc[-1]:.3f}")
    save_stage(snakemake.output[0], {"times": sim["times"], "accuracy": acc, **out},
               seed=p["seed"],
               inputs=[snakemake.input.data, snakemake.input.simulation],
               allow_nonfinite=["h_vals", "g_vals"])  # NaN: eigenvalues not converged (guards)
