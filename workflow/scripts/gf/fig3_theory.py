"""Stage: Fig 3 theory: (nu, zeta) phase map, Theorem 2 exponents, SE loss curves with the
signal/noise asymptotes and transition time (29), and divergence rates (eq. 24)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import (
        power_law_coefficients,
        power_law_spectrum,
        spectral_measure_constant,
    )
    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import se_loss_curve
    from hdsgd.theory.gf_stability import divergence_rate, max_stable_learning_rate
    from hdsgd.theory.power_law_phases import (
        asymptotic_constants,
        fitted_exponent,
        loss_exponent,
        power_law_phase,
        transition_time,
    )

    c, f = snakemake.params.common, snakemake.params.fig
    pr = c["problem"]
    kw = dict(batch_size=f["batch_size"], n_data=pr["n_data"], tau1=c["tau1"], tau2=c["tau2"])

    def spectrum(nu, zeta):
        lam = power_law_spectrum(pr["n_data"], nu, pr["scale"])
        return lam, power_law_coefficients(lam, nu, zeta, pr["initial_loss"])

    nu_grid = np.linspace(0.6, 3.0, 241)
    zeta_grid = np.linspace(0.05, 3.5, 346)
    out = {"nu_grid": nu_grid, "zeta_grid": zeta_grid,
           "phase_map": power_law_phase(nu_grid[None, :], zeta_grid[:, None])}
    points = [(nu, z) for nu in f["phase_points"]["nu"] for z in f["phase_points"]["zeta"]]
    out["points"] = np.array(points)
    out["predicted_exponent"] = np.array([loss_exponent(nu, z) for nu, z in points])
    se_fits = []
    for nu, zeta in points:
        lam, coef = spectrum(nu, zeta)
        alpha = f["lr_fraction"] * max_stable_learning_rate(lam, beta=0.0, **kw)
        loss = se_loss_curve(lam, coef, alpha=alpha, beta=0.0, n_steps=f["n_steps"], **kw)
        se_fits.append(fitted_exponent(np.arange(loss.size), loss, *f["fit_steps"]))
    out["se_exponent"] = np.array(se_fits)

    tr = f["transition"]
    lam, coef = spectrum(tr["nu"], tr["zeta"])
    alpha = tr["lr_fraction"] * max_stable_learning_rate(lam, beta=0.0, **kw)
    consts = asymptotic_constants(
        lam, coef, nu=tr["nu"], zeta=tr["zeta"],
        q_const=spectral_measure_constant(lam, coef, tr["nu"], tr["zeta"], pr["scale"]),
        scale=pr["scale"], alpha=alpha, beta=0.0, **kw)
    t = np.arange(tr["n_steps"] + 1)
    out |= {"transition_loss": se_loss_curve(lam, coef, alpha=alpha, beta=0.0,
                                             n_steps=tr["n_steps"], **kw),
            "transition_signal": consts["signal"] * np.maximum(t, 1.0) ** -consts["xi_signal"],
            "transition_noise": consts["noise"] * np.maximum(t, 1.0) ** -consts["xi_noise"],
            "transition_time": np.array(transition_time(consts)),
            "transition_u1": np.array(consts["u1"])}

    dv = f["divergence"]
    lam, coef = spectrum(dv["nu"], dv["zeta"])
    a_max = max_stable_learning_rate(lam, beta=0.0, **kw)
    curves, rates = [], []
    for factor in dv["lr_factors"]:
        curves.append(se_loss_curve(lam, coef, alpha=factor * a_max, beta=0.0,
                                    n_steps=dv["n_steps"], **kw))
        rates.append(divergence_rate(lam, alpha=factor * a_max, beta=0.0, **kw))
    curves = np.array(curves)
    out |= {"divergence_loss": curves, "divergence_rate": np.array(rates),
            "divergence_turn": np.argmin(curves, axis=1)}
    save_stage(snakemake.output[0], out, params={**c, **f})
