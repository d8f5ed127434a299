"""Power-law spectra: phases, loss asymptotics, transition times and the momentum criterion of
the SE dynamics (arXiv 2206.11124, Sec. 6, Theorem 2, eqs. 28a/28b/29/30, App. E.3-E.6).
Derivations and checks: ``docs/generating_functions.md``.

Setting (eq. 25): lambda_k = Lambda k^{-nu}, tail sums of the initial loss components
sum_{l >= k} lambda_l c_l = K k^{-kappa}; zeta = kappa / nu; alpha_eff = alpha / (1 - beta).

Phases in (nu, kappa): immediate divergence nu <= 1/2 (sum lambda_k^2 = inf, so U_1 = inf),
eventual divergence 1/2 < nu <= 1 (Tr H = inf, so U(1) = inf), and for nu > 1 convergence
(where U(1) < 1) in the signal-dominated phase kappa < 2 nu - 1 or the noise-dominated phase
kappa > 2 nu - 1.

Asymptotics (Theorem 2, as re-derived): L_t ~ L_sig(t) + L_noise(t) with

    L_sig(t)   = K Gamma(zeta + 1) / (2 (1 - U(1))) (2 alpha_eff Lambda t)^{-zeta}          (28a)
    L_noise(t) = V(1) / (1 - U(1))^2 gamma tau1 alpha_eff^2 (Lambda^{1/nu} / nu)
                 Gamma(2 - 1/nu) (2 alpha_eff t)^{1/nu - 2}                                 (28b)

and the transition time (29) is where the two are equal. At beta = 0 and gamma tau2 = 1,
U(1) = alpha / alpha_c with alpha_c = 2 / (gamma tau1 Tr H), and minimising (28a)/(28b) over
alpha gives alpha* = alpha_c zeta / (1 + zeta) (signal) and alpha_c (nu - 1) / (3 nu - 1)
(noise).

Momentum criterion (Prop. 5 II, eq. 30): the sign of d L / d beta at beta = 0, alpha = alpha*
(noise phase, gamma tau2 = 1). :func:`eq30_criterion` evaluates eq. 30 in the form the authors'
Fig 6 map plots it (parameter-space moments C_k = k^{nu - kappa - 1});
:func:`momentum_derivative_28b` differentiates the (28b) constant directly. The two disagree in
sign near the phase boundary (docs, "Eq. 30").
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gamma as gamma_fn

from hdsgd.theory.generating_functions import (
    noise_gf,
    noise_gf_at_one,
    sampling_noise_factor,
    signal_gf,
    signal_gf_at_one,
)

__all__ = [
    "REGIONS",
    "phase_region",
    "signal_asymptote",
    "noise_asymptote",
    "crossing_time",
    "asymptotic_constants",
    "eq30_criterion",
    "momentum_derivative_28b",
    "optimal_alpha_28",
    "divergence_asymptote",
]

REGIONS = ("immediate divergence", "eventual divergence", "signal-dominated", "noise-dominated")


def phase_region(nu, kappa):
    """Index into :data:`REGIONS` per (nu, kappa) (broadcast)."""
    nu, kappa = np.broadcast_arrays(np.asarray(nu, dtype=float), np.asarray(kappa, dtype=float))
    out = np.where(kappa < 2 * nu - 1, 2, 3)
    out = np.where(nu <= 1, 1, out)
    return np.where(nu <= 0.5, 0, out)


def signal_asymptote(t, *, alpha, beta, nu, kappa, u1, k_const=1.0, scale=1.0):
    """L_sig(t) of eq. 28a."""
    zeta = kappa / nu
    a_eff = alpha / (1 - beta)
    t = np.asarray(t, dtype=float)
    return k_const * gamma_fn(zeta + 1) / (2 * (1 - u1)) * (2 * a_eff * scale * t) ** -zeta


def noise_asymptote(t, *, alpha, beta, nu, u1, v1, gamma, tau1, scale=1.0):
    """L_noise(t) of eq. 28b."""
    a_eff = alpha / (1 - beta)
    xi = 2 - 1 / nu
    t = np.asarray(t, dtype=float)
    amp = gamma * tau1 * a_eff**2 * scale ** (1 / nu) / nu * gamma_fn(xi)
    return v1 / (1 - u1) ** 2 * amp * (2 * a_eff * t) ** -xi


def asymptotic_constants(eigvals, coeffs, *, nu, zeta, q_const, scale, alpha, beta,
                         batch_size, n_data, tau1, tau2):
    """Theorem 2 prefactors: dict with u1 = U(1), v1 = V(1) (finite-spectrum sums), signal
    (C_s of L_sig = C_s t^-zeta, eq. 28a) and noise (C_n of L_noise = C_n t^-(2 - 1/nu),
    eq. 28b), xi_signal, xi_noise. ``q_const`` = K Lambda^-zeta (tail sums K k^-kappa),
    ``scale`` = Lambda."""
    kw = dict(batch_size=batch_size, n_data=n_data, tau2=tau2)
    u1 = float(noise_gf_at_one(eigvals, alpha, beta, tau1=tau1, **kw))
    v1 = float(signal_gf_at_one(eigvals, coeffs, alpha, beta, **kw))
    kappa = zeta * nu
    c_sig = float(signal_asymptote(1.0, alpha=alpha, beta=beta, nu=nu, kappa=kappa, u1=u1,
                                   k_const=q_const * scale**zeta, scale=scale))
    c_noise = float(noise_asymptote(1.0, alpha=alpha, beta=beta, nu=nu, u1=u1, v1=v1,
                                    gamma=float(sampling_noise_factor(batch_size, n_data)),
                                    tau1=tau1, scale=scale))
    return {"u1": u1, "v1": v1, "signal": c_sig, "noise": c_noise, "xi_signal": zeta,
            "xi_noise": 2 - 1 / nu}


def crossing_time(c_a, xi_a, c_b, xi_b):
    """t with c_a t^-xi_a = c_b t^-xi_b (eq. 29 for the two terms of Theorem 2)."""
    return (c_b / c_a) ** (1 / (xi_b - xi_a))


def eq30_criterion(nu, kappa, n_modes):
    """Eq. 30 as the authors' Fig 6 evaluates it, on lambda_k = k^-nu, k <= n_modes:

        Tr H sum_k C_k - ((nu - 1)/nu) Tr H^2 sum_k C_k / lambda_k,   C_k = k^{nu - kappa - 1}

    (C_k: parameter-space initial moments). Positive: a negative momentum lowers the loss.
    Broadcast over nu, kappa."""
    nu, kappa = np.broadcast_arrays(np.asarray(nu, dtype=float), np.asarray(kappa, dtype=float))
    k = np.arange(1, n_modes + 1, dtype=float)
    out = np.empty(nu.shape)
    for idx in np.ndindex(nu.shape):
        lam = k ** -nu[idx]
        c = k ** (nu[idx] - kappa[idx] - 1)
        out[idx] = lam.sum() * c.sum() - (nu[idx] - 1) / nu[idx] * (lam**2).sum() * (c / lam).sum()
    return out


def _log_noise_constant(eigvals, coeffs, alpha, beta, nu, kw):
    """log of the alpha- and beta-dependent part of the 28b constant."""
    u1 = float(noise_gf_at_one(eigvals, alpha, beta, **kw))
    v1 = float(signal_gf_at_one(eigvals, coeffs, alpha, beta, batch_size=kw["batch_size"],
                                n_data=kw["n_data"], tau2=kw["tau2"]))
    a_eff = alpha / (1 - beta)
    return np.log(v1) + (1 / nu) * np.log(a_eff) - 2 * np.log(1 - u1)


def _log_signal_constant(eigvals, alpha, beta, nu, kappa, kw):
    u1 = float(noise_gf_at_one(eigvals, alpha, beta, **kw))
    return -(kappa / nu) * np.log(alpha / (1 - beta)) - np.log(1 - u1)


def optimal_alpha_28(eigvals, coeffs, *, nu, kappa, beta, batch_size, n_data, tau1, tau2):
    """alpha minimising the Theorem 2 constant of the problem's phase at momentum ``beta``
    (finite-spectrum U(1), V(1)); alpha ranges below the U(1) = 1 root."""
    from hdsgd.theory.gf_stability import critical_learning_rate

    kw = dict(batch_size=batch_size, n_data=n_data, tau1=tau1, tau2=tau2)
    a_max = critical_learning_rate(eigvals, beta=beta, **kw)
    noise = kappa > 2 * nu - 1

    def f(log_a):
        a = np.exp(log_a)
        if noise:
            return _log_noise_constant(eigvals, coeffs, a, beta, nu, kw)
        return _log_signal_constant(eigvals, a, beta, nu, kappa, kw)

    res = minimize_scalar(f, bounds=(np.log(a_max) - 10, np.log(a_max * (1 - 1e-9))),
                          method="bounded", options={"xatol": 1e-10})
    return float(np.exp(res.x))


def momentum_derivative_28b(eigvals, coeffs, *, nu, alpha, batch_size, n_data, tau1, tau2,
                            h=1e-4):
    """d/d beta of log(28b constant) at beta = 0 and fixed alpha (central difference of the
    closed forms U(1), V(1)); at alpha = alpha* this is the sign question of eq. 30."""
    kw = dict(batch_size=batch_size, n_data=n_data, tau1=tau1, tau2=tau2)
    up = _log_noise_constant(eigvals, coeffs, alpha, h, nu, kw)
    down = _log_noise_constant(eigvals, coeffs, alpha, -h, nu, kw)
    return (up - down) / (2 * h)


def divergence_asymptote(eigvals, coeffs, *, alpha, beta, batch_size, n_data, tau1, tau2):
    """Eq. 24 (Prop. 10): L_t ~ A r_L^{-t} with U(r_L) = 1, A = V(r_L) / (r_L U'(r_L)).

    Returns (r_L, A); (1.0, 0.0) when U(1) <= 1."""
    kw = dict(alpha=alpha, beta=beta, batch_size=batch_size, n_data=n_data, tau2=tau2)
    u1 = float(np.real(noise_gf(1.0, eigvals, tau1=tau1, **kw)))
    if u1 <= 1:
        return 1.0, 0.0
    r = brentq(lambda z: float(np.real(noise_gf(z, eigvals, tau1=tau1, **kw))) - 1.0, 0.0, 1.0,
               xtol=1e-16, rtol=1e-15)
    h = 1e-7 * r
    du = (float(noise_gf(r + h, eigvals, tau1=tau1, **kw))
          - float(noise_gf(r - h, eigvals, tau1=tau1, **kw))) / (2 * h)
    v = float(signal_gf(r, eigvals, coeffs, **kw))
    return r, v / (r * du)


def gamma_of(batch_size, n_data):
    """gamma of a batch size (re-exported for scripts)."""
    return float(sampling_noise_factor(batch_size, n_data))
