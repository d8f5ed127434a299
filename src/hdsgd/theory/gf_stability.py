"""Convergence conditions of the SE dynamics (arXiv 2206.11124, Section 4, Props. 3-4, eq. 24).

The loss generating function L~(z) = V(z) / (1 - U(z)) is analytic in |z| <= 1, i.e. the SE loss
converges, iff

1. every mode is stable: the 3x3 map B_k (per-eigenvalue recursion without the trace noise) has
   spectral radius < 1, i.e. D_k(z) = 1 + d1 z + d2 z^2 + d3 z^3 has no zero in |z| <= 1.
   Without noise this is the heavy-ball condition 0 < alpha lambda_k < 2 (1 + beta), |beta| < 1.
   Violating it is *immediate divergence*: the loss blows up from the first steps.
2. U(1) < 1. With stable modes and non-negative noise coefficients u_t, |U(z)| <= U(1) on the
   unit disc, so 1 - U has no zero there. If U(1) > 1, U(z*) = 1 at a unique z* in (0, 1) and the
   loss grows like z*^{-t}: *eventual divergence* (eq. 24), with rate -log z* per step.

Mode stability is tested with the Jury criterion on the reversed polynomial
p(mu) = mu^3 + d1 mu^2 + d2 mu + d3 (roots mu = 1/z = eigenvalues of B_k):
p(1) > 0, -p(-1) > 0, |d3| < 1, |d3^2 - 1| > |d3 d1 - d2|.

Effective learning-rate bound (Prop. 4, as reconstructed here): with alpha_eff = alpha/(1 - beta),

    U(1) = sum_k gamma tau1 alpha_eff lambda_k
           / (2 - alpha_eff lambda_k (1 - beta)/(1 + beta) + gamma tau2 alpha_eff lambda_k),

so whenever gamma tau2 <= (1 - beta)/(1 + beta) (e.g. Gaussian features, tau2 = -1) every
denominator is <= 2 and U(1) >= gamma tau1 alpha_eff Tr H / 2: convergence requires
alpha_eff < alpha_c = 2 / (gamma tau1 Tr H), a bound approached when the trace is carried by
small eigenvalues.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from hdsgd.theory.generating_functions import (
    _as_spectrum,
    noise_gf,
    noise_gf_at_one,
    sampling_noise_factor,
    se_mode_polynomial,
)

__all__ = [
    "modes_stable",
    "stability_region",
    "critical_learning_rate",
    "critical_effective_lr_bound",
    "divergence_rate",
    "max_stable_learning_rate",
]


def modes_stable(eigvals, alpha, beta, *, batch_size, n_data, tau2):
    """True where every per-eigenvalue map B_k is stable (Jury test); grid-broadcast.

    ``alpha``, ``beta``: broadcastable arrays; returns a bool array of their broadcast shape.
    Zero eigenvalues carry no loss and are skipped. For gamma tau2 <= 0 the stable set in
    x = alpha lambda is an interval (0, x_max(beta)) (checked on a dense grid in the tests), so
    only the largest eigenvalue is tested; otherwise every eigenvalue is.
    """
    lam, _ = _as_spectrum(eigvals)
    lam = lam[lam > 0]
    gamma = sampling_noise_factor(batch_size, n_data)
    if gamma * tau2 <= 0:
        lam = lam.max(keepdims=True)
    a, bt = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    x = a[..., None] * lam
    b1 = bt[..., None]
    d1, d2, d3 = se_mode_polynomial(x, b1, gamma, tau2)
    ok = (1 + d1 + d2 + d3 > 0) & (1 - d1 + d2 - d3 > 0) & (np.abs(d3) < 1)
    ok &= np.abs(d3**2 - 1) > np.abs(d3 * d1 - d2)
    ok &= (np.abs(b1) < 1) & (a[..., None] > 0)
    return ok.all(axis=-1)


def stability_region(eigvals, alphas, betas, *, batch_size, n_data, tau1, tau2):
    """Bool array (len(betas), len(alphas)): True where the SE dynamics converge.

    Converge = every mode stable (no immediate divergence) and U(1) < 1 (no eventual divergence).
    """
    a = np.asarray(alphas, dtype=float)[None, :]
    b = np.asarray(betas, dtype=float)[:, None]
    stable = modes_stable(eigvals, a, b, batch_size=batch_size, n_data=n_data, tau2=tau2)
    u1 = noise_gf_at_one(eigvals, a, b, batch_size=batch_size, n_data=n_data, tau1=tau1,
                         tau2=tau2)
    return stable & (u1 < 1) & (u1 >= 0)


def _alpha_pole(lam, beta, gamma, tau2):
    """Smallest alpha > 0 where some D_k(1) = 0 (U(1) -> +inf); inf if none."""
    slope = (1 - beta) - gamma * tau2 * (1 + beta)
    if slope <= 0:
        return np.inf
    return 2 * (1 - beta**2) / (slope * lam.max())


def critical_learning_rate(eigvals, *, beta, batch_size, n_data, tau1, tau2):
    """Largest alpha with U(1) < 1 at momentum ``beta`` (the eventual-divergence boundary).

    U(1) increases monotonically in alpha from 0 up to the first pole of some D_k(1); the root of
    U(1) = 1 is found by Brent's method on (0, pole). Returns inf when U(1) stays below 1 (only
    possible without noise). Mode (immediate) stability is a separate condition, see
    :func:`stability_region`.
    """
    lam, _ = _as_spectrum(eigvals)
    if not -1 < beta < 1:
        raise ValueError(f"beta must lie in (-1, 1), got {beta}")
    gamma = sampling_noise_factor(batch_size, n_data)
    if gamma * tau1 <= 0:
        return np.inf
    pole = _alpha_pole(lam, beta, gamma, tau2)

    def f(a):
        return float(noise_gf_at_one(lam, a, beta, batch_size=batch_size, n_data=n_data,
                                     tau1=tau1, tau2=tau2)) - 1.0

    hi = pole * (1 - 1e-12) if np.isfinite(pole) else 1.0
    if not np.isfinite(pole):
        while f(hi) < 0:
            hi *= 2
            if hi > 1e300:
                return np.inf
    return brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-12)


def critical_effective_lr_bound(eigvals, *, batch_size, n_data, tau1):
    """alpha_c = 2 / (gamma tau1 Tr H): the Prop. 4 bound on alpha_eff = alpha / (1 - beta)."""
    lam, _ = _as_spectrum(eigvals)
    gamma = sampling_noise_factor(batch_size, n_data)
    return 2.0 / (gamma * tau1 * lam.sum())


def divergence_rate(eigvals, *, alpha, beta, batch_size, n_data, tau1, tau2):
    """-log z* where U(z*) = 1, z* in (0, 1) (eq. 24): L_t grows like exp(rate * t).

    Returns 0.0 when U(1) <= 1 (no eventual divergence). Assumes every mode is stable.
    """
    kw = dict(alpha=alpha, beta=beta, batch_size=batch_size, n_data=n_data, tau1=tau1,
              tau2=tau2)
    u1 = float(np.real(noise_gf(1.0, eigvals, **kw)))
    if u1 <= 1.0:
        return 0.0
    z_star = brentq(lambda z: float(np.real(noise_gf(z, eigvals, **kw))) - 1.0, 0.0, 1.0,
                    xtol=1e-15, rtol=1e-13)
    return -np.log(z_star)


def max_stable_learning_rate(eigvals, *, beta, batch_size, n_data, tau1, tau2):
    """Largest alpha at which the SE dynamics converge: min(U(1) = 1 root, mode-stability edge).

    The mode edge (immediate divergence) is located by bisection on :func:`modes_stable`, whose
    stable set in alpha is an interval when gamma tau2 <= 0.
    """
    kw = dict(batch_size=batch_size, n_data=n_data, tau2=tau2)
    a_u = critical_learning_rate(eigvals, beta=beta, tau1=tau1, **kw)
    lo, hi = 0.0, 1.0
    while modes_stable(eigvals, hi, beta, **kw):
        lo, hi = hi, 2 * hi
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if modes_stable(eigvals, mid, beta, **kw) else (lo, mid)
    return min(a_u, lo)
