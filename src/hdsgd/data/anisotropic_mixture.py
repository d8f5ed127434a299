"""Gaussian mixtures with commuting (diagonal) class covariances (arXiv 2510.14074, §2; brief §1).

Class ``c`` (probability ``p_c``, label ``y_c``) draws ``a = mu_c + K_c^{1/2} z`` with
``z ~ N(0, I_d)`` and ``K_c = diag(lambda^{(c)})``: all covariances share the eigenbasis
``U = I``. For a linear predictor ``x``, ``<x, a> ~ N(m_c, Q_c)`` given c, with the class-wise
*mean overlap* ``m_c = <x, mu_c>`` and *projected norm* ``Q_c = x^T K_c x``.

Families of the paper (brief §1.2): isotropic, the zero-one model (eigenvalue 0 on a "clean"
set S0, 1 elsewhere) and power-law spectra; plus random mixtures with many classes (the number
of classes may grow with d).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DiagonalMixture:
    """Mixture with means (L, d), covariance eigenvalues (L, d), probs (L,), labels (L,).

    ``clean`` is an optional boolean mask (d,) of the clean (zero-variance) directions.
    """

    means: np.ndarray
    eigs: np.ndarray
    probs: np.ndarray
    labels: np.ndarray
    clean: np.ndarray | None = None

    def __post_init__(self):
        means, eigs = np.asarray(self.means), np.asarray(self.eigs)
        if means.ndim != 2 or means.shape != eigs.shape:
            raise ValueError(f"means {means.shape} and eigs {eigs.shape} must both be (L, d)")
        if np.any(eigs < 0):
            raise ValueError("covariance eigenvalues must be >= 0")
        probs = np.asarray(self.probs)
        if probs.shape != (means.shape[0],) or np.any(probs < 0) or not np.isclose(probs.sum(), 1):
            raise ValueError("probs must be a probability vector with one entry per class")
        if np.asarray(self.labels).shape != (means.shape[0],):
            raise ValueError("labels must have one entry per class")
        if self.clean is not None and np.asarray(self.clean).shape != (means.shape[1],):
            raise ValueError("clean must be a boolean mask of length d")

    @property
    def d(self) -> int:
        return self.means.shape[1]

    @property
    def n_classes(self) -> int:
        return self.means.shape[0]

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n`` samples: class indices (n,) and points (n, d)."""
        c = rng.choice(self.n_classes, size=n, p=self.probs)
        a = rng.standard_normal((n, self.d))
        a *= np.sqrt(self.eigs[c])
        a += self.means[c]
        return c, a

    def overlaps(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``m_c = <x, mu_c>`` and ``Q_c = sum_i lambda_i^{(c)} x_i^2`` for x (..., d)."""
        x = np.asarray(x, dtype=float)
        return x @ self.means.T, (x * x) @ self.eigs.T


def _symmetric_binary(mu: np.ndarray, eigs_plus: np.ndarray, eigs_minus: np.ndarray,
                      clean: np.ndarray | None = None) -> DiagonalMixture:
    """Two classes, means +-mu, labels +-1, probabilities 1/2."""
    return DiagonalMixture(means=np.stack([mu, -mu]), eigs=np.stack([eigs_plus, eigs_minus]),
                           probs=np.array([0.5, 0.5]), labels=np.array([1.0, -1.0]), clean=clean)


def _check_dim(d: int) -> None:
    if int(d) < 2:
        raise ValueError(f"d must be >= 2, got {d}")


def isotropic_mixture(d: int, rng: np.random.Generator, *, sigma: float = 1.0,
                      mean_norm: float = 1.0) -> DiagonalMixture:
    """``K_+- = sigma^2 I``, means ``+-mu`` with ``mu`` a Gaussian direction of norm ``mean_norm``.

    Figure 1(a) of the paper: identity covariance, "standard normal mean" (scaled to O(1) norm).
    """
    _check_dim(d)
    g = rng.standard_normal(d)
    mu = mean_norm * g / np.linalg.norm(g)
    eig = np.full(d, sigma**2)
    return _symmetric_binary(mu, eig, eig)


def zero_one_mixture(d: int, rng: np.random.Generator, *, rho0: float, mean_norm: float = 1.0,
                     clean_mass: float = 1.0) -> DiagonalMixture:
    """Zero-one model: eigenvalue 0 on the clean set S0 (first ``round(rho0 d)`` modes), 1 else.

    Both classes share S0; the mean is a Gaussian direction with ``||P_S0 mu||^2 = clean_mass *
    mean_norm^2`` and the rest of its squared norm on S1. Figure 1(b): ``clean_mass = 1``.
    """
    _check_dim(d)
    n0 = int(round(rho0 * d))
    if not 0 < n0 < d:
        raise ValueError(f"rho0 = {rho0} leaves an empty clean or noisy set at d = {d}")
    if not 0.0 <= clean_mass <= 1.0:
        raise ValueError(f"clean_mass must lie in [0, 1], got {clean_mass}")
    clean = np.zeros(d, dtype=bool)
    clean[:n0] = True
    g = rng.standard_normal(d)
    mu = np.zeros(d)
    mu[clean] = np.sqrt(clean_mass) * g[clean] / np.linalg.norm(g[clean])
    mu[~clean] = np.sqrt(1.0 - clean_mass) * g[~clean] / np.linalg.norm(g[~clean])
    mu *= mean_norm
    eig = np.where(clean, 0.0, 1.0)
    return _symmetric_binary(mu, eig, eig, clean=clean)


def power_law_mixture(d: int, *, alphas: tuple[float, float] = (1.1, 1.5), beta: float,
                      mean_norm: float = 1.0) -> DiagonalMixture:
    """Power-law spectra ``lambda_i^{(c)} = i^{-alpha_c}`` and mean ``mu_i ∝ i^{-beta}``.

    Figure 1(c)/(d): class exponents 1.1 and 1.5; the mean profile is renormalised to
    ``||mu|| = mean_norm`` (brief §1.2: the raw ``d^{-1/2}`` prefactor makes the signal vanish).
    """
    _check_dim(d)
    i = np.arange(1, d + 1, dtype=float)
    mu = i ** (-beta)
    mu *= mean_norm / np.linalg.norm(mu)
    return _symmetric_binary(mu, i ** (-alphas[0]), i ** (-alphas[1]))


def random_many_class_mixture(d: int, n_classes: int, rng: np.random.Generator, *,
                              zero_fraction: float = 0.3,
                              eig_range: tuple[float, float] = (0.5, 1.5),
                              mean_norm: float = 1.0) -> DiagonalMixture:
    """``n_classes`` classes with random probabilities (Dirichlet(1)), random +-1 labels (both
    present), Gaussian mean directions of norm ``mean_norm`` and diagonal covariances whose
    eigenvalues are 0 with probability ``zero_fraction`` and uniform on ``eig_range`` otherwise.
    """
    _check_dim(d)
    if n_classes < 2:
        raise ValueError(f"n_classes must be >= 2, got {n_classes}")
    probs = rng.dirichlet(np.ones(n_classes))
    labels = rng.choice([-1.0, 1.0], size=n_classes)
    labels[:2] = [1.0, -1.0]
    g = rng.standard_normal((n_classes, d))
    means = mean_norm * g / np.linalg.norm(g, axis=1, keepdims=True)
    eigs = rng.uniform(*eig_range, size=(n_classes, d))
    eigs[rng.random((n_classes, d)) < zero_fraction] = 0.0
    return DiagonalMixture(means=means, eigs=eigs, probs=probs, labels=labels)
