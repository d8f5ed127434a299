"""Convergence conditions of the SE dynamics (arXiv 2206.11124, Sec. 5: Props. 3 and 4, eq. 24;
App. E.2, E.4, H). Derivations and numbers: ``docs/generating_functions.md``.

Notation: gamma = (N - b) / (b (N - 1)) the sampling-noise factor, g = gamma tau2, x_k =
alpha lambda_k, alpha_eff = alpha / (1 - beta), D_k(z) = det(1 - z A_k) the per-mode polynomial
and U(1) the noise generating function at z = 1 (:mod:`hdsgd.theory.generating_functions`).

**Noiseless condition** (App. H, eq. 251): the heavy-ball iteration converges iff
-1 < beta < 1 and 0 < alpha lambda_max < 2 (1 + beta). Sampling noise only adds a positive
semi-definite term to the second moments, so this is necessary for SGD too.

**Prop. 3** (the paper's criterion, proved for 0 <= g <= 1): under the noiseless condition the
SE loss converges iff U(1) < 1; if U(1) > 1 it diverges like r_L^{-t} (eq. 24) with U(r_L) = 1.
Under the noiseless condition and g >= 0 every D_k(1) / x_k = 2 (1 - beta^2) - x_k (1 - beta)
+ g x_k (1 + beta) is positive, and U(1) increases with alpha, so the critical learning rate is
the root of U(1) = 1, or the noiseless edge 2 (1 + beta) / lambda_max if U(1) < 1 there.

For g < 0 (e.g. Gaussian features, tau2 = -1) the local part of the noise, -g alpha^2
lambda_k^2 c11_k, is a positive self-feedback of each mode, so each per-mode map A_k must be
stable on its own (Jury test; spectral radius < 1) as well; with stable modes every U_t >= 0 and
U(1) < 1 is again sufficient. (For g > 0 the local part is negative and testing A_k alone is
wrong: the trace part tau1 Tr[H C] H always outweighs it, see the tests.)

**Prop. 4** (tau2 > 0): with lambda_crit the root of sum_k lambda_k / (lambda_k + lambda_crit) =
tau2 / tau1, convergence implies alpha_eff < 2 / (gamma tau2 lambda_crit) (eq. 22), and
alpha_c(beta) / (1 - beta) -> 2 / (gamma tau2 lambda_crit) as beta -> 1 (eq. 23): write
eps = (1 - beta)/(1 + beta); U(1) = gamma tau1 sum_k alpha_eff lambda_k / (2 + (g - eps)
alpha_eff lambda_k) decreases to (tau1 / tau2) sum_k lambda_k / (lambda_k + 2 / (g alpha_eff))
as eps -> 0.
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
    "noiseless_converges",
    "mode_maps_stable",
    "converges",
    "stability_region",
    "critical_learning_rate",
    "critical_lambda",
    "effective_lr_bound",
    "trace_lr_bound",
    "divergence_rate",
]


def _noise_sign(batch_size, n_data, tau2):
    g = float(sampling_noise_factor(batch_size, n_data)) * tau2
    if g > 1:
        raise ValueError(f"gamma tau2 = {g:.3g} > 1 lies outside the SE range of Prop. 3 "
                         "(0 <= gamma tau2 <= 1, or gamma tau2 < 0)")
    return g


def noiseless_converges(eigvals, alpha, beta):
    """-1 < beta < 1 and 0 < alpha lambda_max < 2 (1 + beta) (eq. 251); grid-broadcast."""
    lam_max = float(np.max(eigvals))
    a, b = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    return (np.abs(b) < 1) & (a > 0) & (a * lam_max < 2 * (1 + b))


def mode_maps_stable(eigvals, alpha, beta, *, batch_size, n_data, tau2):
    """True where every per-mode map A_k (without the trace noise) has spectral radius < 1.

    Jury test on p(mu) = mu^3 + d1 mu^2 + d2 mu + d3: p(1) > 0, -p(-1) > 0, |d3| < 1,
    |d3^2 - 1| > |d3 d1 - d2|. A *necessary* condition only for gamma tau2 <= 0 (see module
    docstring); there the stable set in x = alpha lambda is an interval (0, x_max(beta)), so only
    lambda_max is tested.
    """
    lam, _ = _as_spectrum(eigvals)
    gamma = sampling_noise_factor(batch_size, n_data)
    if gamma * tau2 > 0:
        raise ValueError("mode_maps_stable is a stability condition only for gamma tau2 <= 0")
    a, bt = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    x = a * lam.max()
    d1, d2, d3 = se_mode_polynomial(x, bt, gamma, tau2)
    ok = (1 + d1 + d2 + d3 > 0) & (1 - d1 + d2 - d3 > 0) & (np.abs(d3) < 1)
    return ok & (np.abs(d3**2 - 1) > np.abs(d3 * d1 - d2)) & (np.abs(bt) < 1) & (a > 0)


def converges(eigvals, alpha, beta, *, batch_size, n_data, tau1, tau2):
    """Bool, broadcast over alpha and beta: the SE loss converges (Prop. 3; see module doc)."""
    g = _noise_sign(batch_size, n_data, tau2)
    ok = noiseless_converges(eigvals, alpha, beta)
    if g < 0:
        ok &= mode_maps_stable(eigvals, alpha, beta, batch_size=batch_size, n_data=n_data,
                               tau2=tau2)
    with np.errstate(invalid="ignore", divide="ignore"):
        u1 = noise_gf_at_one(eigvals, alpha, beta, batch_size=batch_size, n_data=n_data,
                             tau1=tau1, tau2=tau2)
    return ok & (u1 < 1) & (u1 >= 0)


def stability_region(eigvals, alphas, betas, *, batch_size, n_data, tau1, tau2):
    """Bool array (len(betas), len(alphas)): :func:`converges` on the grid."""
    a = np.asarray(alphas, dtype=float)[None, :]
    b = np.asarray(betas, dtype=float)[:, None]
    return converges(eigvals, a, b, batch_size=batch_size, n_data=n_data, tau1=tau1,
                     tau2=tau2)


def _mode_edge(lam, beta, batch_size, n_data, tau2, hi):
    """Largest alpha in (0, hi] with stable mode maps (g < 0: an interval), by bisection."""
    kw = dict(batch_size=batch_size, n_data=n_data, tau2=tau2)
    if mode_maps_stable(lam, hi, beta, **kw):
        return hi
    lo = 0.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if mode_maps_stable(lam, mid, beta, **kw) else (lo, mid)
    return lo


def critical_learning_rate(eigvals, *, beta, batch_size, n_data, tau1, tau2):
    """Largest alpha at which the SE loss converges (closed form + one scalar root).

    min(noiseless edge 2 (1 + beta) / lambda_max, [g < 0: mode-stability edge], root of
    U(1) = 1); 0 for |beta| >= 1. U(1) increases with alpha on that interval.
    """
    lam, _ = _as_spectrum(eigvals)
    lam = lam[lam > 0]
    if not -1 < beta < 1:
        return 0.0
    g = _noise_sign(batch_size, n_data, tau2)
    hi = 2 * (1 + beta) / lam.max()
    if g < 0:
        hi = _mode_edge(lam, beta, batch_size, n_data, tau2, hi)

    def f(a):
        return float(noise_gf_at_one(lam, a, beta, batch_size=batch_size, n_data=n_data,
                                     tau1=tau1, tau2=tau2)) - 1.0

    top = hi * (1 - 1e-13)
    if tau1 * sampling_noise_factor(batch_size, n_data) <= 0 or f(top) < 0:
        return float(hi)
    return brentq(f, 0.0, top, xtol=1e-15, rtol=1e-13)


def critical_lambda(eigvals, *, tau1, tau2):
    """lambda_crit > 0 with sum_k lambda_k / (lambda_k + lambda_crit) = tau2 / tau1 (Prop. 4).

    Needs 0 < tau2 / tau1 < (number of positive eigenvalues); the left side decreases from that
    number to 0, so the root is unique.
    """
    lam, _ = _as_spectrum(eigvals)
    lam = lam[lam > 0]
    target = tau2 / tau1
    if not 0 < target < lam.size:
        raise ValueError(f"tau2/tau1 = {target:g} must lie in (0, {lam.size})")

    def f(x):
        return float(np.sum(lam / (lam + x))) - target

    hi = lam.max()
    while f(hi) > 0:
        hi *= 2
    return brentq(f, 0.0, hi, xtol=1e-300, rtol=1e-14)


def effective_lr_bound(eigvals, *, batch_size, n_data, tau1, tau2):
    """Prop. 4 / eq. 22: alpha_eff < 2 / (gamma tau2 lambda_crit) (tau2 > 0); tight as beta -> 1.

    In the (alpha, beta) plane: the line alpha = (1 - beta) * bound."""
    if tau2 <= 0:
        raise ValueError("the Prop. 4 bound needs tau2 > 0")
    gamma = sampling_noise_factor(batch_size, n_data)
    return 2.0 / (gamma * tau2 * critical_lambda(eigvals, tau1=tau1, tau2=tau2))


def trace_lr_bound(eigvals, *, batch_size, n_data, tau1):
    """alpha_eff < 2 / (gamma tau1 Tr H): a weaker bound, valid whenever gamma tau2 <= eps.

    Every denominator of U(1) (module docstring) is then <= 2, so U(1) >= gamma tau1 alpha_eff
    Tr H / 2. For tau2 <= 0 (no lambda_crit) it is the bound that holds at every beta."""
    lam, _ = _as_spectrum(eigvals)
    return 2.0 / (sampling_noise_factor(batch_size, n_data) * tau1 * lam.sum())


def divergence_rate(eigvals, *, alpha, beta, batch_size, n_data, tau1, tau2):
    """-log r_L where U(r_L) = 1, r_L in (0, 1) (eq. 24): L_t grows like exp(rate * t).

    Returns 0.0 when U(1) <= 1 (no eventual divergence). Assumes the noiseless condition."""
    kw = dict(alpha=alpha, beta=beta, batch_size=batch_size, n_data=n_data, tau1=tau1,
              tau2=tau2)
    u1 = float(np.real(noise_gf(1.0, eigvals, **kw)))
    if u1 <= 1.0:
        return 0.0
    z_star = brentq(lambda z: float(np.real(noise_gf(z, eigvals, **kw))) - 1.0, 0.0, 1.0,
                    xtol=1e-15, rtol=1e-13)
    return -np.log(z_star)
