"""Stage: ODE risk over time for power-law mixtures across the mean exponent beta and d."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.anisotropic_mixture import power_law_mixture
    from hdsgd.observables.sgd_vs_ode import geometric_times
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.exact_closed_forms import binary_separation
    from hdsgd.theory.exact_ode import solve_exact_ode

    f, o = snakemake.params.fig, snakemake.params.ode
    betas = np.linspace(f["betas"]["start"], f["betas"]["stop"], f["betas"]["num"])
    dims = np.asarray(f["d"])
    t = geometric_times(1.0, f["t_max"], f["n_times"], int(dims.max()))
    risk = np.empty((dims.size, betas.size, t.size))
    delta2 = np.empty((dims.size, betas.size))
    prog = Progress(dims.size * betas.size, "phase sweep (d, beta)")
    for i, d in enumerate(dims):
        for j, beta in enumerate(betas):
            mix = power_law_mixture(int(d), alphas=tuple(f["alphas"]), beta=float(beta))
            risk[i, j] = solve_exact_ode(mix, "logistic", [f["gamma"]], t, dt=f["dt"],
                                         n_nodes=o["n_nodes"])["risk"][0]
            delta2[i, j] = binary_separation(mix.means[0], *mix.eigs)
            prog.update(1)
    save_stage(snakemake.output[0], {"d": dims, "betas": betas, "t": t, "risk": risk,
                                     "delta2": delta2},
               params={"fig": f, "ode": o})
