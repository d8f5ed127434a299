"""Stage (observables): top eigenpairs of the G-matrix block G_cc along the edge-trend run at one
dimension d, each checkpoint and seed on fresh test data (Lanczos on the matrix-free operator
above d = 1500)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.observables.empirical_spectra import spectra_along_run
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.geometry_runs import run_mixture

    c, run = snakemake.params.common, snakemake.params.run
    st = load_stage(snakemake.input.simulation)
    xs = st["iterates"]
    mix = run_mixture(run, c["mean_spacing"])
    n_test = int(round(run["phi"] * run["d"]))
    prog = Progress(xs.shape[0] * xs.shape[1], f"G-matrix top eigenpairs, d = {run['d']}")
    out = spectra_along_run(xs, mix, n_test, c["block"], ["g"], snakemake.params.n_top,
                            rng(c["seed"], f"geometry-trend-test-d{run['d']}"), progress=prog)
    del out["full"]
    save_stage(snakemake.output[0], {"times": st["times"], **out},
               seed=c["seed"],
               inputs=[snakemake.input.simulation])
