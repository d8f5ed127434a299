"""Stage (theory): where outliers of H_cc and G_cc exist over (lam, t) along the effective
dynamics (Fig 5's maps), for the model of one run with lam varied: t = 0 and log-spaced times."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import outlier_map

    c, mp, run = snakemake.params.common, snakemake.params.map, snakemake.params.run
    lams = np.linspace(**mp["lam"])
    times = np.concatenate([[0.0], np.geomspace(**mp["times"])])
    prog = Progress(lams.size, "outlier map over lam")
    out = outlier_map(run, c, lams, times, kinds=("hessian", "g"), n_gh=mp["n_gh"],
                      n_bins=snakemake.params.quadrature["n_bins"], ode=mp["ode"],
                      progress=prog)
    save_stage(snakemake.output[0], {"lams": lams, "times": times, **out},
               seed=c["seed"])
