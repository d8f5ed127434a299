"""Stage: Fig 6 theory: the eq. 30 map over (nu, kappa) as the authors evaluate it; at each
beta pair its eq. 30 value and the beta-derivative of the (28b) constant at the (28b)-optimal
alpha; the (28b)-optimal alpha of the alpha-curve pairs."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.power_law import power_law_coefficients, power_law_spectrum
    from hdsgd.stages import save_stage
    from hdsgd.theory.power_law_phases import (
        eq30_criterion,
        momentum_derivative_28b,
        optimal_alpha_28,
    )

    f, tau = snakemake.params.fig, snakemake.params.tau
    m = f["map"]
    nus, kappas = np.linspace(*m["nu"], m["n"]), np.linspace(*m["kappa"], m["n"])
    out = {"map_nu": nus, "map_kappa": kappas,
           "map_eq30": eq30_criterion(nus[None, :], kappas[:, None], m["n_modes"])}
    n = f["n_modes"]
    kw = dict(batch_size=f["batch_size"], n_data=n, tau1=tau[0], tau2=tau[1])

    def problem(nu, kappa):
        lam = power_law_spectrum(n, nu)
        return lam, power_law_coefficients(lam, nu, kappa / nu)

    out["alpha_star"] = np.array([
        optimal_alpha_28(*problem(c["nu"], c["kappa"]), nu=c["nu"], kappa=c["kappa"], beta=0.0,
                         **kw) for c in f["alpha_curves"]])
    pairs = np.array(f["beta_pairs"], dtype=float)
    out["pair_eq30"] = eq30_criterion(pairs[:, 0], pairs[:, 1], m["n_modes"])
    deriv = []
    for nu, kappa in pairs:
        lam, coef = problem(nu, kappa)
        a = optimal_alpha_28(lam, coef, nu=nu, kappa=kappa, beta=0.0, **kw)
        deriv.append(momentum_derivative_28b(lam, coef, nu=nu, alpha=a, **kw))
    out["pair_28b"] = np.array(deriv)
    save_stage(snakemake.output[0], out)
