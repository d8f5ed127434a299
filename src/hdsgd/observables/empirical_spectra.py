"""Dense spectra of the empirical Hessian and G-matrix blocks of softmax regression.

For test data (labels J_l, Y_l), l = 1..n (n = phi d, independent of x), and parameters x (C, d)
(arXiv 2502.15655, multi-class logistic regression; loss of :mod:`hdsgd.models.softmax_regression`
without the ridge term, which only shifts the Hessian by beta I):

    H_cc = (1/n) sum_l pi_c(x^T Y_l) (1 - pi_c(x^T Y_l)) Y_l Y_l^T
    G_cc = (1/n) sum_l (pi_c(x^T Y_l) - 1{J_l = c})^2 Y_l Y_l^T

The whole spectrum is the object, so it is computed densely (``eigvalsh``); a batch of blocks
(several classes / times / seeds) is stacked and diagonalised in one LAPACK call.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh
from scipy.special import softmax

__all__ = ["block_weights", "weighted_gram", "block_matrices", "spectra", "top_spectrum",
           "kolmogorov_distance", "overlaps"]


def block_weights(x: np.ndarray, labels: np.ndarray, Y: np.ndarray, c: int,
                  kind: str) -> np.ndarray:
    """Per-sample weights (n,) of the (c, c) block: ``pi_c (1 - pi_c)`` or ``(pi_c - y_c)^2``."""
    pi = softmax(Y @ x.T, axis=1)[:, c]
    if kind == "hessian":
        return pi * (1.0 - pi)
    if kind == "g":
        return (pi - (labels == c)) ** 2
    raise ValueError(f"kind must be 'hessian' or 'g', got {kind!r}")


def weighted_gram(Y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``(1/n) Y^T diag(w) Y`` (d x d), one GEMM."""
    return (Y * w[:, None]).T @ Y / Y.shape[0]


def block_matrices(x: np.ndarray, labels: np.ndarray, Y: np.ndarray, c: int) -> dict:
    """Both (c, c) blocks at parameters x: {"hessian": H_cc, "g": G_cc}."""
    return {kind: weighted_gram(Y, block_weights(x, labels, Y, c, kind))
            for kind in ("hessian", "g")}


def spectra(mats: np.ndarray, n_vectors: int = 0):
    """Eigenvalues (ascending) of a stack of symmetric matrices (..., d, d).

    With ``n_vectors > 0`` also returns the top ``n_vectors`` eigenvectors (..., d, n_vectors),
    largest eigenvalue first.
    """
    mats = np.asarray(mats)
    if n_vectors <= 0:
        return np.linalg.eigvalsh(mats)
    val, vec = np.linalg.eigh(mats)
    return val, vec[..., ::-1][..., :n_vectors]


def top_spectrum(mats: np.ndarray, m: int):
    """Top ``m`` eigenpairs of each matrix in a stack (..., d, d), largest first.

    LAPACK's MRRR driver restricted to the index range (``scipy.linalg.eigh`` with
    ``subset_by_index``) skips the rest of the spectrum: ~3x cheaper than a full ``eigh`` when
    only outliers are needed. Returns values (..., m) and vectors (..., d, m).
    """
    mats = np.asarray(mats)
    d = mats.shape[-1]
    flat = mats.reshape(-1, d, d)
    vals = np.empty((flat.shape[0], m))
    vecs = np.empty((flat.shape[0], d, m))
    for i, a in enumerate(flat):
        w, v = eigh(a, subset_by_index=[d - m, d - 1], driver="evr")
        vals[i], vecs[i] = w[::-1], v[:, ::-1]
    return vals.reshape(*mats.shape[:-2], m), vecs.reshape(*mats.shape[:-2], d, m)


def kolmogorov_distance(eigs: np.ndarray, cdf) -> float:
    """``sup_t |F_emp(t) - F(t)|`` for sorted-able eigenvalues and a limiting CDF callable.

    The empirical CDF jumps at each eigenvalue, so the sup is attained at an eigenvalue from the
    left or the right: both sides are checked.
    """
    e = np.sort(np.asarray(eigs, dtype=float))
    n = e.size
    F = cdf(e)
    upper = np.arange(1, n + 1) / n
    lower = np.arange(0, n) / n
    return float(max(np.max(np.abs(upper - F)), np.max(np.abs(F - lower))))


def overlaps(vectors: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Squared overlaps ``(u_j . e_i)^2`` of unit eigenvectors (d, m) with unit directions (q, d).

    Returns (m, q).
    """
    u = directions / np.linalg.norm(directions, axis=1, keepdims=True)
    return (vectors.T @ u.T) ** 2
