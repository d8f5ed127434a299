"""Stage (observables): top eigenpairs of the (c, c) Hessian / G-matrix blocks at the SGD
iterates of one run, each on tests_per_run fresh test samples (n = phi d); whole spectra at
chosen times."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.observables.empirical_spectra import spectra_along_run
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.geometry_runs import run_mixture

    c, run = snakemake.params.common, snakemake.params.run
    st = load_stage(snakemake.input.simulation)
    times, xs = st["times"], st["iterates"]
    full_at = [int(np.argmin(np.abs(times - t))) for t in run["full_spectrum_times"]]
    mix = run_mixture(run, c["mean_spacing"])
    n_test = int(round(run["phi"] * run["d"]))
    prog = Progress(xs.shape[0] * xs.shape[1] * run["tests_per_run"], "test-data spectra")
    out = spectra_along_run(xs, mix, n_test, c["block"], run["kinds"], run["n_top"],
                            rng(c["seed"], f"geometry-test-{snakemake.wildcards.run}"),
                            tests_per_run=run["tests_per_run"], full_at=full_at, progress=prog)
    save_stage(snakemake.output[0], {"times": times, "full_times": times[full_at], **out},
               seed=c["seed"],
               inputs=[snakemake.input.simulation])
