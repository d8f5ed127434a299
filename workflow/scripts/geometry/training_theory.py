"""Stage (theory): bulk edges, outliers and overlaps of H_cc and G_cc along the effective
dynamics of one run, at the SGD checkpoints and on a dense track (the curves drawn), in the
limit and, for the G-matrix's far weight tail, for the run's finite test sample (n = phi d);
the bulk quantile at the checkpoints, the bulk density at the full-spectrum times, and the times
where outliers appear or merge, refined on the ODE's dense grid."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.effective_spectrum import MixtureModel, training_theory

    c, run, qd = snakemake.params.common, snakemake.params.run, snakemake.params.quadrature
    ode = load_stage(snakemake.input.ode)
    model = MixtureModel.from_config(run, c["beta"], c["c_delta"])
    n_track = int(round(ode["times"][-1] / qd["track_dt"])) + ode["times"].size
    prog = Progress(n_track * len(run["kinds"]), "theory along the ODE")
    # the law conditioned on the sample's largest weight matters only for the G-matrix's far
    # tail (docs/geometry.md); a Hessian-only run has no finite-d theory
    out = training_theory(ode["times"], ode["dense_times"], ode["dense_gram"], model,
                          c=c["block"], kinds=run["kinds"], n_gh=qd["n_gh"],
                          n_gh_finite=qd["n_gh_finite"], n_bins=qd["n_bins"],
                          n_grid=qd["n_grid"], track_dt=qd["track_dt"],
                          n_sample=(int(round(run["phi"] * run["d"])) if "g" in run["kinds"]
                                    else None),
                          grid_times=run["full_spectrum_times"], n_gh_grid=qd["n_gh_density"],
                          quantile=snakemake.params.quantile, progress=prog)
    save_stage(snakemake.output[0], out, seed=c["seed"],
               inputs=[snakemake.input.ode])
