"""Power-law phases and loss asymptotics of the SE dynamics (arXiv 2206.11124, Sec. 5,
Theorem 2, eqs. 28a/28b, 29, Prop. 5 / eq. 30), reconstructed from the generating functions.

Setting: lambda_k = Lambda k^{-nu}; initial-error spectral measure
sum_{lambda_k <= lambda} lambda_k c_k ~ Q lambda^zeta. Write alpha_eff = alpha / (1 - beta).
For small lambda the SE modes relax like exp(-2 alpha_eff lambda t), hence

    v_t ~ (1/2) Q Gamma(zeta + 1) (2 alpha_eff t)^{-zeta}                      (signal)
    u_t ~ gamma tau1 alpha_eff^2 (Lambda^{1/nu} / nu) Gamma(2 - 1/nu) (2 alpha_eff t)^{-(2-1/nu)}
                                                                              (noise)

and, L~ = V / (1 - U) being a convolution of summable power-law sequences,
L_t ~ v_t / (1 - U(1)) + V(1) u_t / (1 - U(1))^2. Therefore (Theorem 2):

* signal-dominated phase, zeta < 2 - 1/nu:  L_t ~ C_s t^{-zeta},
  C_s = Q Gamma(zeta + 1) / (2 (1 - U(1)) (2 alpha_eff)^zeta)                          (28a)
* noise-dominated phase, zeta > 2 - 1/nu:   L_t ~ C_n t^{-(2 - 1/nu)},
  C_n = V(1) gamma tau1 alpha_eff^2 Lambda^{1/nu} Gamma(2 - 1/nu)
        / (nu (1 - U(1))^2 (2 alpha_eff)^{2 - 1/nu})                                  (28b)
* the two terms are equal at the transition time (29)
  t_x = [C_n / C_s']^{1/(2 - 1/nu - zeta)} with C_s' = C_s (1 - U(1)) ... see
  :func:`transition_time` (the signal term before noise amplification is v_t / (1 - U(1))).
* divergent phases: nu <= 1 gives Tr H = infinity, U(1) = infinity at any alpha > 0 in the
  infinite-dimensional limit (immediate divergence of the noise); for nu > 1, U(1) >= 1
  (alpha_eff too large) is eventual divergence.

Negative momentum (Prop. 5, as reconstructed): minimise the Theorem 2 constant over alpha at
each beta, C*(beta); a negative momentum helps iff d log C* / d beta > 0 at beta = 0. In the
noise-dominated phase C_n is proportional to V(1) alpha_eff^{1/nu} / (1 - U(1))^2 and V(1)
shrinks when beta < 0 damps the large-lambda modes.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gamma as gamma_fn

from hdsgd.theory.generating_functions import (
    noise_gf_at_one,
    sampling_noise_factor,
    signal_gf_at_one,
)

__all__ = [
    "PHASES",
    "power_law_phase",
    "loss_exponent",
    "asymptotic_constants",
    "transition_time",
    "optimal_constant",
    "negative_momentum_gain",
    "fitted_exponent",
    "fitted_growth_rate",
]

PHASES = ("divergent", "signal-dominated", "noise-dominated")


def power_law_phase(nu, zeta):
    """Phase index per (nu, zeta): 0 divergent (nu <= 1), 1 signal (zeta < 2 - 1/nu), 2 noise."""
    nu, zeta = np.broadcast_arrays(np.asarray(nu, dtype=float), np.asarray(zeta, dtype=float))
    out = np.where(zeta < 2 - 1 / nu, 1, 2)
    return np.where(nu <= 1, 0, out)


def loss_exponent(nu, zeta):
    """xi in L_t ~ C t^{-xi}: min(zeta, 2 - 1/nu) for nu > 1, nan for nu <= 1."""
    nu, zeta = np.broadcast_arrays(np.asarray(nu, dtype=float), np.asarray(zeta, dtype=float))
    return np.where(nu > 1, np.minimum(zeta, 2 - 1 / nu), np.nan)


def asymptotic_constants(eigvals, coeffs, *, nu, zeta, q_const, scale, alpha, beta,
                         batch_size, n_data, tau1, tau2):
    """Theorem 2 constants: dict with u1, v1, signal (v_t/(1-U1) prefactor C_s), noise (C_n).

    ``eigvals``/``coeffs`` give U(1) and V(1) (finite-N sums); ``nu``, ``zeta``, ``q_const`` (Q),
    ``scale`` (Lambda) give the power-law tails.
    """
    a_eff = alpha / (1 - beta)
    gamma = sampling_noise_factor(batch_size, n_data)
    u1 = float(noise_gf_at_one(eigvals, alpha, beta, batch_size=batch_size, n_data=n_data,
                               tau1=tau1, tau2=tau2))
    v1 = float(signal_gf_at_one(eigvals, coeffs, alpha, beta, batch_size=batch_size,
                                n_data=n_data, tau2=tau2))
    xi_n = 2 - 1 / nu
    c_signal = q_const * gamma_fn(zeta + 1) / (2 * (1 - u1) * (2 * a_eff) ** zeta)
    c_u = gamma * tau1 * a_eff**2 * scale ** (1 / nu) * gamma_fn(xi_n) / nu
    c_noise = v1 * c_u / ((1 - u1) ** 2 * (2 * a_eff) ** xi_n)
    return {"u1": u1, "v1": v1, "signal": c_signal, "noise": c_noise,
            "xi_signal": zeta, "xi_noise": xi_n}


def transition_time(constants):
    """t_x where C_s t^{-zeta} = C_n t^{-(2 - 1/nu)} (eq. 29); nan if the exponents coincide."""
    d = constants["xi_noise"] - constants["xi_signal"]
    if d == 0:
        return np.nan
    return (constants["noise"] / constants["signal"]) ** (1 / d)


def optimal_constant(eigvals, coeffs, *, beta, phase, nu, zeta, batch_size, n_data, tau1,
                     tau2):
    """min over alpha of the Theorem 2 constant at momentum ``beta``: (log C*, alpha*).

    Phase 1 (signal): C_s proportional to alpha_eff^{-zeta} / (1 - U(1)); phase 2 (noise):
    C_n proportional to V(1) alpha_eff^{1/nu} / (1 - U(1))^2. The alpha-independent factors (Q,
    Gamma functions, Lambda) are dropped, so only differences of log C* across beta are
    meaningful. alpha ranges over (0, SE max stable alpha).
    """
    from scipy.optimize import minimize_scalar

    from hdsgd.theory.gf_stability import max_stable_learning_rate

    kw = dict(batch_size=batch_size, n_data=n_data, tau2=tau2)
    a_max = max_stable_learning_rate(eigvals, beta=beta, tau1=tau1, **kw)

    def log_c(log_alpha):
        alpha = np.exp(log_alpha)
        a_eff = alpha / (1 - beta)
        u1 = float(noise_gf_at_one(eigvals, alpha, beta, tau1=tau1, **kw))
        if phase == 1:
            return -zeta * np.log(a_eff) - np.log(1 - u1)
        v1 = float(signal_gf_at_one(eigvals, coeffs, alpha, beta, **kw))
        return np.log(v1) + np.log(a_eff) / nu - 2 * np.log(1 - u1)

    res = minimize_scalar(log_c, bounds=(np.log(a_max) - 12, np.log(a_max * (1 - 1e-9))),
                          method="bounded", options={"xatol": 1e-8})
    return res.fun, float(np.exp(res.x))


def negative_momentum_gain(eigvals, coeffs, *, phase, nu, zeta, batch_size, n_data, tau1,
                           tau2, h=0.02):
    """Prop. 5 criterion (reconstructed): d log C* / d beta at beta = 0 (central difference).

    C* is the Theorem 2 constant minimised over alpha (:func:`optimal_constant`). A positive
    value means a small negative momentum beats plain SGD at its best learning rate.
    """
    kw = dict(phase=phase, nu=nu, zeta=zeta, batch_size=batch_size, n_data=n_data, tau1=tau1,
              tau2=tau2)
    up = optimal_constant(eigvals, coeffs, beta=h, **kw)[0]
    down = optimal_constant(eigvals, coeffs, beta=-h, **kw)[0]
    return (up - down) / (2 * h)


def fitted_exponent(steps, loss, t_min, t_max):
    """Least-squares slope xi of log L_t = log C - xi log t over t_min <= t <= t_max."""
    steps, loss = np.asarray(steps, dtype=float), np.asarray(loss, dtype=float)
    sel = (steps >= t_min) & (steps <= t_max) & np.isfinite(loss) & (loss > 0)
    if sel.sum() < 2:
        return np.nan
    return -np.polyfit(np.log(steps[sel]), np.log(loss[sel]), 1)[0]


def fitted_growth_rate(steps, loss, t_min, t_max):
    """Least-squares slope r of log L_t = c + r t over t_min <= t <= t_max (eq. 24's rate)."""
    steps, loss = np.asarray(steps, dtype=float), np.asarray(loss, dtype=float)
    sel = (steps >= t_min) & (steps <= t_max) & np.isfinite(loss) & (loss > 0)
    if sel.sum() < 2:
        return np.nan
    return np.polyfit(steps[sel], np.log(loss[sel]), 1)[0]
