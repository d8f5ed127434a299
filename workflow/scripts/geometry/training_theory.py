"""Stage (theory): bulk edges, outliers and overlaps of H_cc and G_cc along the effective
dynamics of one run, in the limit and for the run's finite test sample (n = phi d), with the
times where outliers appear or merge refined on the ODE's dense grid."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.effective_spectrum import MixtureModel, training_theory

    c, run, qd = snakemake.params.common, snakemake.params.run, snakemake.params.quadrature
    ode = load_stage(snakemake.input.ode)
    model = MixtureModel.from_config(run, c["beta"], c["c_delta"])
    prog = Progress(ode["times"].size * len(run["kinds"]), "theory along the ODE")
    out = training_theory(ode["times"], ode["gram"], ode["dense_times"], ode["dense_gram"],
                          model, c=c["block"], kinds=run["kinds"], n_gh=qd["n_gh"],
                          n_gh_finite=qd["n_gh_finite"], n_bins=qd["n_bins"],
                          n_grid=qd["n_grid"], n_sample=int(round(run["phi"] * run["d"])),
                          progress=prog)
    save_stage(snakemake.output[0], out, seed=c["seed"],
               inputs=[snakemake.input.ode])
