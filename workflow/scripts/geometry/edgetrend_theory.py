"""Stage (theory): the G-matrix outlier along the effective dynamics, in the limit and for test
samples of n = phi d points at several d (law conditioned on the sample's largest weight); the
limiting absorption time t* and the predicted visible transition (top-outlier overlap with
mu_c falling below the transition level) at each d."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import (
        MixtureModel,
        finite_size_track,
        gram_along_dynamics,
    )

    c, run, tr = snakemake.params.common, snakemake.params.run, snakemake.params.trend
    qd, o = snakemake.params.quadrature, snakemake.params.ode
    times = np.linspace(**tr["theory_times"])
    dims = np.asarray(tr["theory_dims"])
    model = MixtureModel.from_config(run, c["beta"], c["c_delta"])
    grid = np.union1d(np.linspace(0.0, times[-1], int(round(times[-1] / o["dt"])) + 1), times)
    grams, _, _ = gram_along_dynamics(grid, model, dt=o["dt"], n_gh=o["n_gh"])
    out = finite_size_track(grid, grams, times, model, c=c["block"], kind="g",
                            n_gh=qd["n_gh"], n_gh_finite=qd["n_gh_finite"],
                            n_bins=qd["n_bins"],
                            n_samples=np.rint(model.phi * dims).astype(int),
                            level=snakemake.params.level)
    print("limiting absorption t* =", out["t_star"], "; predicted visible transition:",
          dict(zip(dims.tolist(), out["t_visible"].round(2).tolist())))
    save_stage(snakemake.output[0], {"times": times, "dims": dims, **out},
               seed=c["seed"])
