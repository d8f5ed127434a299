"""Stage (theory): where outliers of H_cc and G_cc exist over (lam, t) along the effective
dynamics (Fig 5's maps), for the model of one run with lam varied."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import outlier_map

    c, mp, run = snakemake.params.common, snakemake.params.map, snakemake.params.run
    qd, o = snakemake.params.quadrature, snakemake.params.ode
    lams = np.linspace(**mp["lam"])
    times = np.linspace(0.0, mp["t_max"], mp["n_times"])
    prog = Progress(lams.size, "outlier map over lam")
    out = outlier_map(run, c, lams, times, kinds=("hessian", "g"), n_gh=qd["n_gh"],
                      n_bins=qd["n_bins"], ode=o, progress=prog)
    save_stage(snakemake.output[0], {"lams": lams, "times": times, **out},
               seed=c["seed"])
