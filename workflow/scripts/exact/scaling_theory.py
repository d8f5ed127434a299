"""Stage (theory): the ODE of every run of the convergence-in-d figure, and two deliberately
wrong ODEs whose gaps the figure draws for comparison (``gamma``: learning rate x
control_gamma_scale; ``noise``: SGD-noise term dropped)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.stages import save_stage
    from hdsgd.theory.exact_run import scaling_theory

    sc, settings, o = snakemake.params.scaling, snakemake.params.settings, snakemake.params.ode
    kw = {"dt": o["dt"], "n_nodes": o["n_nodes"]}
    out = scaling_theory(sc, settings, **kw)
    for label, wrong in (("gamma", {"gamma_scale": sc["control_gamma_scale"]}),
                         ("noise", {"noise_scale": 0.0})):
        out |= {f"{label}_control_{k}": v
                for k, v in scaling_theory(sc, settings, **kw, **wrong).items()
                if k.endswith("_risk")}
    save_stage(snakemake.output[0], out)
