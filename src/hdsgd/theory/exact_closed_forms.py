"""Closed forms and exact scalar reductions of the mode ODE (docs/exact_dynamics.md §5).

All results concern the symmetric binary mixture (means +-mu, labels +-1, p = 1/2) started at
x = 0, and are derived from the reconstructed ODE of :mod:`hdsgd.theory.exact_ode`:

* isotropic ``K = sigma^2 I``, ``s = ||mu||^2``: ``y`` stays parallel to ``mu``; with
  ``m = <y, mu>`` and ``q = sum_i C_i`` (docs/exact_dynamics.md §5.0)
      dm/dt = -gamma [ s g + sigma^2 H m ],   dq/dt = -2 gamma sigma^2 H q + gamma^2 sigma^2 I,
  ``r ~ N(m, sigma^2 (m^2 / s + q))`` for the + class;
* zero-one model (eigenvalue 0 on S0, fraction rho0; 1 on S1, rho1 = 1 - rho0), mean split as
  ``s0 = ||P_S0 mu||^2``, ``s1 = ||P_S1 mu||^2``:
      dm0/dt = -gamma s0 g,   dm1/dt = -gamma [ s1 g + H m1 ],
      dq/dt = -2 gamma H q + gamma^2 rho1 I,
  ``r ~ N(m0 + m1, m1^2 / s1 + q)``;
* least squares, shared K: optimum ``L* = 1 / (2 (1 + mu^T K^-1 mu))`` and constant-gamma
  plateau ``L_inf = L* / (1 - gamma tr(K) / (2 d))`` (§5.1);
* logistic, isotropic: Bayes-optimal risk ``E_{r ~ N(2D, 4D)} log(1 + e^-r)``, ``D = s / sigma^2``,
  and the constant-gamma fixed point of the reduced system (§5.2);
* any binary mixture: the constant-gamma fixed point of the full mode ODE (the limiting risk
  where the loss saturates, e.g. power laws above beta_c; §5.6);
* logistic, zero-one, mean on S0 only, noise neglected: ``m + e^m = m(0) + e^{m(0)} + gamma s t``,
  hence ``L(t) ~ 1 / (gamma s t)`` (§5.3);
* least squares, zero-one, mean on S0 only (§5.5), with ``kappa = 2 gamma - gamma^2 rho1``:
  ``L(t) = [e^{-2 gamma s t}
            + gamma^2 rho1 (e^{-2 gamma s t} - e^{-kappa t}) / (kappa - 2 gamma s)] / 2``;
* loss -> 0 iff ``Delta_d^2 = mu^T (K_+ + K_-)^{-1} mu -> infinity`` (§5.4); for power-law
  spectra ``i^{-alpha}`` it diverges iff ``beta < alpha_min / 2`` for the captioned mean
  ``mu_i = d^{-1/2} i^{-beta}`` and iff ``beta < (1 + alpha_min) / 2`` for the unit-norm profile.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve, root
from scipy.special import wrightomega

from hdsgd.models.binary_glm import class_expectations, gauss_hermite


def _plus_class(kind: str, m: float, Q: float, n_nodes: int):
    g, H, I, L = class_expectations(kind, np.array([m]), np.array([Q]), np.array([1.0]), n_nodes)
    return g[0], H[0], I[0], L[0]


def isotropic_reduced_ode(kind: str, s: float, gamma: float, t_eval, *, sigma: float = 1.0,
                          n_nodes: int = 61) -> dict[str, np.ndarray]:
    """Solve the isotropic (m, q) system; returns ``risk``, ``m``, ``q``, ``norm2`` at t_eval."""
    t_eval = np.asarray(t_eval, dtype=float)
    v = sigma**2

    def rhs(_, z):
        m, q = z
        g, H, I, _ = _plus_class(kind, m, v * (m * m / s + q), n_nodes)
        return [-gamma * (s * g + v * H * m), -2 * gamma * v * H * q + gamma**2 * v * I]

    sol = solve_ivp(rhs, (0.0, t_eval[-1]), [0.0, 0.0], t_eval=t_eval, rtol=1e-9, atol=1e-12)
    m, q = sol.y
    risk = np.array([_plus_class(kind, mi, v * (mi * mi / s + qi), n_nodes)[3]
                     for mi, qi in zip(m, q, strict=True)])
    return {"t": t_eval, "risk": risk, "m": m, "q": q, "norm2": m * m / s + q}


def zero_one_reduced_ode(kind: str, s0: float, s1: float, rho1: float, gamma: float, t_eval, *,
                         n_nodes: int = 61) -> dict[str, np.ndarray]:
    """Solve the zero-one (m0, m1, q) system; returns ``risk``, ``m0``, ``m1``, ``q``, ``norm2``."""
    t_eval = np.asarray(t_eval, dtype=float)

    def Q_of(m1, q):
        return (m1 * m1 / s1 if s1 > 0 else 0.0) + q

    def rhs(_, z):
        m0, m1, q = z
        g, H, I, _ = _plus_class(kind, m0 + m1, Q_of(m1, q), n_nodes)
        return [-gamma * s0 * g, -gamma * (s1 * g + H * m1),
                -2 * gamma * H * q + gamma**2 * rho1 * I]

    sol = solve_ivp(rhs, (0.0, t_eval[-1]), [0.0, 0.0, 0.0], t_eval=t_eval, rtol=1e-9,
                    atol=1e-12)
    m0, m1, q = sol.y
    risk = np.array([_plus_class(kind, a + b, Q_of(b, c), n_nodes)[3]
                     for a, b, c in zip(m0, m1, q, strict=True)])
    norm2 = (m0 * m0 / s0 if s0 > 0 else 0.0) + Q_of(m1, q)
    return {"t": t_eval, "risk": risk, "m0": m0, "m1": m1, "q": q, "norm2": norm2}


def least_squares_optimum(mu: np.ndarray, eig: np.ndarray) -> float:
    """``L* = 1 / (2 (1 + mu^T K^{-1} mu))`` for a shared diagonal ``K = diag(eig)``, eig > 0."""
    return 0.5 / (1.0 + float(np.sum(np.asarray(mu) ** 2 / np.asarray(eig))))


def least_squares_plateau(mu: np.ndarray, eig: np.ndarray, gamma: float) -> float:
    """Constant-gamma limit ``L* / (1 - gamma tr(K) / (2 d))``; stable iff gamma < 2d / tr K."""
    mean_eig = float(np.mean(eig))
    if gamma * mean_eig >= 2.0:
        raise ValueError(f"gamma = {gamma} is beyond the stability edge 2 d / tr K = "
                         f"{2 / mean_eig:.4g}")
    return least_squares_optimum(mu, eig) / (1.0 - 0.5 * gamma * mean_eig)


def logistic_optimal_risk(delta2: float, n_nodes: int = 201) -> float:
    """Bayes risk of the well-specified isotropic logistic model: ``E log(1 + e^-r)``,
    ``r ~ N(2 delta2, 4 delta2)`` with ``delta2 = mu^T K^{-1} mu``."""
    z, w = gauss_hermite(n_nodes)
    return float(np.logaddexp(0.0, -(2 * delta2 + 2 * np.sqrt(delta2) * z)) @ w)


def isotropic_logistic_fixed_point(s: float, gamma: float, *, sigma: float = 1.0,
                                   n_nodes: int = 61) -> tuple[float, float, float]:
    """Fixed point ``(m, q, L)`` of the isotropic logistic system:
    ``s E sigma(-r) = sigma^2 m E[sigma(r) sigma(-r)]`` and ``q = gamma I / (2 H)``."""
    v = sigma**2

    def eqs(z):
        m, q = z
        g, H, I, _ = _plus_class("logistic", m, v * (m * m / s + q), n_nodes)
        return [s * g + v * H * m, 2 * H * q - gamma * I]

    (m, q), _, ier, msg = fsolve(eqs, [2.0 * s / v, 0.5 * gamma], full_output=True, xtol=1e-12)
    if ier != 1:
        raise RuntimeError(f"fixed point not found for s={s}, gamma={gamma}: {msg}")
    return float(m), float(q), float(_plus_class("logistic", m, v * (m * m / s + q), n_nodes)[3])


def zero_one_logistic_noiseless_risk(t, gamma: float, s: float, m_init: float = 0.0) -> np.ndarray:
    """``L = log(1 + e^{-m})`` with ``m + e^m = m_init + e^{m_init} + gamma s t`` (Wright omega)."""
    K = m_init + np.exp(m_init) + gamma * s * np.asarray(t, dtype=float)
    m = K - wrightomega(K).real
    return np.logaddexp(0.0, -m)


def zero_one_least_squares_risk(t, gamma: float, s: float, rho1: float) -> np.ndarray:
    """Exact least-squares risk of the zero-one model with the mean on the clean set only."""
    t = np.asarray(t, dtype=float)
    kappa, a = 2 * gamma - gamma**2 * rho1, 2 * gamma * s
    if abs(kappa - a) < 1e-12:
        q = gamma**2 * rho1 * t * np.exp(-a * t)
    else:
        q = gamma**2 * rho1 * (np.exp(-a * t) - np.exp(-kappa * t)) / (kappa - a)
    return 0.5 * (np.exp(-a * t) + q)


def binary_separation(mu: np.ndarray, eig_plus: np.ndarray, eig_minus: np.ndarray) -> float:
    """``mu^T (K_+ + K_-)^{-1} mu`` (infinite when mu has mass where both variances vanish)."""
    mu2, tot = np.asarray(mu) ** 2, np.asarray(eig_plus) + np.asarray(eig_minus)
    if np.any((tot == 0) & (mu2 > 0)):
        return float("inf")
    keep = mu2 > 0
    return float(np.sum(mu2[keep] / tot[keep]))


def power_law_separation_exponent(alpha_min: float, beta: float,
                                  mean_scaling: str = "caption") -> float:
    """Growth exponent in d of ``Delta_d^2 = mu^T (K_1 + K_2)^{-1} mu`` for power-law spectra
    (smallest exponent ``alpha_min``) and mean ``mu_i ∝ i^{-beta}``: the sum
    ``sum_{i<=d} i^{alpha_min - 2 beta}`` grows like ``d^{alpha_min - 2 beta + 1}`` or converges.
    Caption scaling (``mu_i = d^{-1/2} i^{-beta}``): ``max(alpha_min - 2 beta, -1)``; unit-norm
    profile: ``max(alpha_min + 1 - 2 beta, 0) - max(1 - 2 beta, 0)`` (norm ~ ``d^{1 - 2 beta}``)."""
    grow = max(alpha_min - 2.0 * beta + 1.0, 0.0)
    if mean_scaling == "caption":
        return grow - 1.0
    return grow - max(1.0 - 2.0 * beta, 0.0)


def power_law_critical_beta(alpha_min: float, mean_scaling: str = "caption") -> float:
    """Mean exponent separating loss -> 0 (the separation diverges with d) from saturation:
    ``alpha_min / 2`` for the caption scaling, ``(1 + alpha_min) / 2`` for the unit-norm profile."""
    return 0.5 * alpha_min if mean_scaling == "caption" else 0.5 * (1.0 + alpha_min)


def binary_fixed_point(mixture, kind: str, gamma: float, *,
                       n_nodes: int = 61) -> tuple[np.ndarray, np.ndarray, float]:
    """Constant-gamma fixed point ``(m, Q, L)`` of the mode ODE of a binary mixture (§5.6).

    Setting ``dy_i/dt = dC_i/dt = 0`` in :mod:`hdsgd.theory.exact_ode` gives every mode in
    terms of the class-wise scalars: ``y_i = -sum_c p_c mu_{c,i} g_c / B_i`` and
    ``C_i = gamma sum_c p_c lambda_i^{(c)} I_c / (2 d B_i)``,
    ``B_i = sum_c p_c lambda_i^{(c)} H_c``,
    with ``(g_c, H_c, I_c)`` at ``r ~ N(m_c, Q_c)``. The 2L equations
    ``m_c = sum_i mu_{c,i} y_i``, ``Q_c = sum_i lambda_i^{(c)} (y_i^2 + C_i)`` are solved for
    ``(m, log Q)`` by Powell's hybrid method from ``m_c = y_c / 2``, ``Q_c = 1``. Needs
    ``B_i > 0`` on every mode (no zero-variance direction: there the loss keeps decreasing).
    """
    p, mu, lam = mixture.probs, mixture.means, mixture.eigs
    labels, L = mixture.labels, mixture.n_classes
    if np.any((p @ lam) <= 0):
        raise ValueError("a mode without variance has no fixed point (the weight grows forever)")

    def modes(m, Q):
        g, H, I, Lc = class_expectations(kind, m, Q, labels, n_nodes)
        B = (p * H) @ lam
        y = -((p * g) @ mu) / B
        return y, gamma * ((p * I) @ lam) / (2 * mixture.d * B), float(Lc @ p)

    def eqs(z):
        y, C, _ = modes(z[:L], np.exp(z[L:]))
        return np.concatenate([y @ mu.T - z[:L], np.log((y * y + C) @ lam.T) - z[L:]])

    sol = root(eqs, np.concatenate([0.5 * labels, np.zeros(L)]), method="hybr", tol=1e-13)
    if not sol.success or np.max(np.abs(eqs(sol.x))) > 1e-9:
        raise RuntimeError(f"fixed point not found for gamma={gamma}: {sol.message}")
    m, Q = sol.x[:L], np.exp(sol.x[L:])
    return m, Q, modes(m, Q)[2]


def closed_form_risk(run: dict, mixture, clean, gammas, t) -> np.ndarray | None:
    """The closed-form risk curve (G, T) that a binary run's family admits, else None:
    isotropic -> the constant-gamma plateau (logistic fixed point §5.2, least squares §5.1);
    zero-one with the whole mean on the clean set -> the 1/(gamma s t) law (logistic, §5.3,
    noise neglected) or the exact solution (least squares, §5.5); power laws whose mean
    exponent is at or above beta_c (the loss saturates) -> the limiting risk, the ODE's fixed
    point (§5.6)."""
    t = np.asarray(t, dtype=float)
    mu, eig = mixture.means[0], mixture.eigs[0]
    s = float(mu @ mu)
    if run["family"] == "isotropic":
        if run["loss"] == "logistic":
            levels = [isotropic_logistic_fixed_point(s, g, sigma=run["sigma"])[2] for g in gammas]
        else:
            levels = [least_squares_plateau(mu, eig, g) for g in gammas]
        return np.array([np.full(t.size, v) for v in levels])
    if run["family"] == "zero_one" and run["clean_mass"] == 1.0:
        if run["loss"] == "logistic":
            return np.array([zero_one_logistic_noiseless_risk(t, g, s) for g in gammas])
        rho1 = float(np.mean(~np.asarray(clean, dtype=bool)))
        return np.array([zero_one_least_squares_risk(t, g, s, rho1) for g in gammas])
    if run["family"] == "power_law" and run["beta"] >= power_law_critical_beta(
            min(run["alphas"]), run["mean_scaling"]):
        levels = [binary_fixed_point(mixture, run["loss"], g)[2] for g in gammas]
        return np.array([np.full(t.size, v) for v in levels])
    return None
