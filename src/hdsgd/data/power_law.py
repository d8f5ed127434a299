"""Synthetic quadratic problems with a prescribed power-law spectrum (arXiv 2206.11124, Sec. 5).

Spectrum: lambda_k = Lambda k^{-nu}, k = 1..N (Hessian eigenvalues; the N x N Gram matrix
K = J J^T has eigenvalues N lambda_k). Initial error: loss-weighted moments
lambda_k c_k = A k^{-(nu zeta + 1)}, so that the spectral measure of the initial error obeys
sum_{k: lambda_k <= lambda} lambda_k c_k ~ Q lambda^zeta with Q = A Lambda^{-zeta} / (nu zeta)
(the paper's exponent zeta). A is fixed by L_0 = 1/2 sum_k lambda_k c_k = ``initial_loss``.

The data set: a Haar-random orthogonal basis U (N x N), Gram matrix K = N U diag(lambda) U^T
and initial residual r_0 = U s with s_k = +-sqrt(N lambda_k c_k) (random signs), so that
|r_0|^2 / (2N) = L_0 and the data points have features psi_i = sqrt(N) diag(lambda)^{1/2} U_i.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

__all__ = ["power_law_spectrum", "power_law_coefficients", "spectral_measure_constant",
           "tail_power_law_coefficients",
           "PowerLawProblem", "power_law_problem", "gaussian_features"]


def power_law_spectrum(n: int, nu: float, scale: float = 1.0) -> np.ndarray:
    """lambda_k = scale * k^{-nu}, k = 1..n (descending)."""
    if n < 1 or nu <= 0 or scale <= 0:
        raise ValueError(f"need n >= 1, nu > 0, scale > 0; got n={n}, nu={nu}, scale={scale}")
    return scale * np.arange(1, n + 1, dtype=float) ** (-nu)


def power_law_coefficients(eigvals, nu: float, zeta: float, initial_loss: float = 0.5):
    """c_k with lambda_k c_k proportional to k^{-(nu zeta + 1)} and 1/2 sum lambda_k c_k = L_0."""
    if zeta <= 0:
        raise ValueError(f"zeta must be > 0, got {zeta}")
    lam = np.asarray(eigvals, dtype=float)
    k = np.arange(1, lam.size + 1, dtype=float)
    weights = k ** (-(nu * zeta + 1))
    weights *= 2 * initial_loss / weights.sum()
    return weights / lam


def spectral_measure_constant(eigvals, coeffs, nu: float, zeta: float, scale: float = 1.0):
    """Q in sum_{lambda_k <= lambda} lambda_k c_k ~ Q lambda^zeta for the profile above.

    With lambda_k c_k = A k^{-(nu zeta + 1)}: Q = A scale^{-zeta} / (nu zeta).
    """
    lam = np.asarray(eigvals, dtype=float)
    amp = lam[0] * np.asarray(coeffs, dtype=float)[0]   # A = lambda_1 c_1 (k = 1)
    return amp * scale ** (-zeta) / (nu * zeta)


class PowerLawProblem:
    """Kernel problem in its eigenbasis: spectrum ``eigvals`` (of K / N), coefficients ``coeffs``,
    Haar basis ``eigvecs`` U (N x N, columns u_k) and initial residual ``r0``; the Gram matrix
    ``gram`` = N U diag(eigvals) U^T is formed on first use (the exact second moments work in
    the eigenbasis and never need it)."""

    def __init__(self, eigvals, coeffs, eigvecs, r0):
        self.eigvals = eigvals
        self.coeffs = coeffs
        self.eigvecs = eigvecs
        self.r0 = r0

    @cached_property
    def gram(self) -> np.ndarray:
        u, n = self.eigvecs, self.n_data
        gram = (u * (n * self.eigvals)) @ u.T
        return 0.5 * (gram + gram.T)

    @property
    def n_data(self) -> int:
        return self.r0.shape[0]


def power_law_problem(n: int, nu: float, zeta: float, *, seed, scale: float = 1.0,
                      initial_loss: float = 0.5) -> PowerLawProblem:
    """Random-basis kernel problem with spectrum Lambda k^{-nu} and initial-error exponent zeta.

    ``seed``: an int or a ``numpy.random.Generator`` (anything ``np.random.default_rng`` takes).
    """
    rng = np.random.default_rng(seed)
    lam = power_law_spectrum(n, nu, scale)
    c = power_law_coefficients(lam, nu, zeta, initial_loss)
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    u = q * np.sign(np.diag(r))                         # Haar-distributed orthogonal matrix
    signs = rng.choice([-1.0, 1.0], size=n)
    r0 = u @ (signs * np.sqrt(n * lam * c))
    return PowerLawProblem(lam, c, u, r0)


def gaussian_features(n: int, eigvals, *, seed: int) -> np.ndarray:
    """n x d matrix of i.i.d. Gaussian feature vectors psi_i ~ N(0, diag(eigvals))."""
    rng = np.random.default_rng(seed)
    lam = np.asarray(eigvals, dtype=float)
    return rng.standard_normal((n, lam.size)) * np.sqrt(lam)


def tail_power_law_coefficients(eigvals, kappa: float, k_const: float = 1.0):
    """c_k with exact tail sums sum_{l >= k} lambda_l c_l = k_const (k^-kappa - (n+1)^-kappa),
    i.e. lambda_k c_k = k_const (k^-kappa - (k+1)^-kappa): eq. 25 with K = k_const and no
    correction term up to the truncation at n (used where the asymptotic constants of Theorem 2
    are compared)."""
    lam = np.asarray(eigvals, dtype=float)
    k = np.arange(1, lam.size + 1, dtype=float)
    return k_const * (k ** -kappa - (k + 1) ** -kappa) / lam
