"""Stage: the per-mode ODE of one run, all learning rates integrated together."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.data.anisotropic_mixture import DiagonalMixture
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.exact_ode import solve_exact_ode

    p, o = snakemake.params.run, snakemake.params.ode
    st = load_stage(snakemake.input.mixture)
    mix = DiagonalMixture(st["means"], st["eigs"], st["probs"], st["labels"])
    out = solve_exact_ode(mix, p["loss"], p["gammas"], st["t"], dt=o["dt"], probes=st["probes"],
                          n_nodes=o["n_nodes"], progress=Progress(st["t"].size, "ode"))
    print("final risk per gamma:", dict(zip(p["gammas"], out["risk"][:, -1].round(5))))
    save_stage(snakemake.output[0], {"gammas": p["gammas"], **out},
               params={"run": p, "ode": o}, inputs=[snakemake.input.mixture])
