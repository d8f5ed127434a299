"""Stage (theory): the ODE of one run, all learning rates together, and its closed form."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.exact_run import run_theory

    p, o = snakemake.params.run, snakemake.params.ode
    st = load_stage(snakemake.input.data)
    out = run_theory(p, st, dt=o["dt"], n_nodes=o["n_nodes"], rel_step=o["rel_step"],
                     progress=Progress(st["t"].size, "ode (recorded times)"))
    print("final risk per gamma:", dict(zip(p["gammas"], out["risk"][:, -1].round(5))))
    save_stage(snakemake.output[0], {"gammas": p["gammas"], **out},
               inputs=[snakemake.input.data])
