"""Stage (observables): top eigenpairs of every H_cc and G_cc block built from the run's own
training stream (the train-data matrices of Sec. 8), and the alignments, at every
``stride``-th checkpoint (and the last)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.gmm import GaussianMixture
    from hdsgd.observables.spectra import block_spectra_along_trajectory, initial_block
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.sgd_stream import online_sgd_stream

    p, sp, stride = snakemake.params.run, snakemake.params.spectra, snakemake.params.stride
    k = p["k"]
    data, sim = load_stage(snakemake.input.data), load_stage(snakemake.input.simulation)
    mix = GaussianMixture(data["means"], p["lam"], data["probs"])
    n_steps = int(sim["steps"][-1])
    # the same generator ("sgd" stream of the run's seed) that the simulation stage consumed
    labels, Y = online_sgd_stream(mix, n_steps, 1, rng(p["seed"], "sgd"))
    print(f"training stream: {n_steps} samples x {p['d']}")
    idx = np.union1d(np.arange(0, sim["times"].size, stride), [sim["times"].size - 1])
    X0 = initial_block(data["means"], 2 * k, sp["n_eig"],
                       rng(p["seed"], "eigensolver-start-train"))
    tol = snakemake.params.tol  # both blocks: the train-vs-test comparison needs ~1e-3
    out = block_spectra_along_trajectory(
        sim["x"][idx], labels, Y, X0, beta=p["beta"], n_check=k, tol=tol,
        maxiter=sp["maxiter"], dtype=np.dtype(sp["dtype"]).type,
        include_ridge=sp["g_include_ridge"], threads=snakemake.threads)
    cpu = out.pop("cpu_seconds")  # timing: logged, never stored (byte-identical stages)
    print(f"solver: {cpu.sum():.1f} CPU-s")
    print(f"column products: {out['column_applies'].sum()}")
    save_stage(snakemake.output[0], {"times": sim["times"][idx], **out},
               seed=p["seed"],
               inputs=[snakemake.input.data, snakemake.input.simulation],
               allow_nonfinite=["h_vals", "g_vals"])  # NaN: eigenvalues not converged (guards)
