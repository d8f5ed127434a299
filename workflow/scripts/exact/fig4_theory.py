"""Stage (theory): Fig 4's ODE sweep over the mean exponent beta and d, and the closed-form
separation mu^T (K1+K2)^-1 mu against d."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.exact_run import phase_sweep

    f, o = snakemake.params.fig, snakemake.params.ode
    out = phase_sweep(f, n_nodes=o["n_nodes"], rel_step=o["rel_step"],
                      progress=Progress(len(f["d"]), "phase sweep (d)"))
    save_stage(snakemake.output[0], out)
