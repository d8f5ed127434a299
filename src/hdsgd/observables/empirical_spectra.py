"""Dense spectra of the empirical Hessian and G-matrix blocks of softmax regression.

For test data (labels J_l, Y_l), l = 1..n (n = phi d, independent of x), and parameters x (C, d)
(arXiv 2502.15655, multi-class logistic regression; loss of :mod:`hdsgd.models.softmax_regression`
without the ridge term, which only shifts the Hessian by beta I):

    H_cc = (1/n) sum_l pi_c(x^T Y_l) (1 - pi_c(x^T Y_l)) Y_l Y_l^T
    G_cc = (1/n) sum_l (pi_c(x^T Y_l) - 1{J_l = c})^2 Y_l Y_l^T

With a label map (C != k) ``labels`` are the observed classes c(J_l). Full spectra are computed
densely (``eigvalsh``); where only the top of the spectrum is needed,
:func:`top_weighted_eigenpairs` uses LAPACK's index-range driver on the formed matrix for small d
and a Lanczos solver (ARPACK) on the matrix-free operator ``v -> Y^T (w * (Y v)) / n`` above
d = 300, where forming the d x d matrix costs ``n d^2`` and each product only ``4 n d`` (at
d = 1000, n = 2000 the top 1 / 4 / 16 eigenpairs cost 0.02 / 0.05 / 0.1 s against 0.12 s
dense, ``benchmarks/bench_geometry_spectra.py``).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh
from scipy.sparse.linalg import LinearOperator, eigsh
from scipy.special import softmax

__all__ = ["block_weights", "weighted_gram", "block_matrices", "spectra", "top_spectrum",
           "top_weighted_eigenpairs", "block_spectra", "spectra_along_run",
           "kolmogorov_distance", "overlaps", "DENSE_MAX_D"]

DENSE_MAX_D = 300   # above this, top eigenpairs by Lanczos on the matrix-free operator


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


def top_weighted_eigenpairs(Y: np.ndarray, w: np.ndarray, m: int, *, method: str = "auto",
                            tol: float | None = None):
    """Top ``m`` eigenpairs of ``(1/n) Y^T diag(w) Y`` (largest first): values (m,), vectors (d, m).

    ``method``: "dense" forms the matrix and uses :func:`top_spectrum`; "krylov" runs ARPACK's
    Lanczos (``eigsh``) on the matrix-free operator from a fixed start vector (deterministic),
    with the data held in float32 (the two products are memory-bound: half the bytes, half the
    time; the operator is then exact to ~1e-7 relative, so ``tol`` defaults to 1e-6); "auto"
    picks dense up to ``DENSE_MAX_D``.
    """
    n, d = Y.shape
    if method == "auto":
        method = "dense" if d <= DENSE_MAX_D else "krylov"
    if method == "dense":
        val, vec = top_spectrum(weighted_gram(Y, w), m)
        return val, vec
    if method != "krylov":
        raise ValueError(f"method must be 'auto', 'dense' or 'krylov', got {method!r}")
    Y32 = np.ascontiguousarray(Y, dtype=np.float32)
    w32 = (np.asarray(w) / n).astype(np.float32)

    def apply(v):
        v32 = np.asarray(v, dtype=np.float32).reshape(d, -1)
        return (Y32.T @ (w32[:, None] * (Y32 @ v32))).astype(np.float64).reshape(np.shape(v))

    op = LinearOperator((d, d), matvec=apply, matmat=apply, dtype=np.float64)
    v0 = np.random.default_rng(0).standard_normal(d)        # fixed: results reproducible
    val, vec = eigsh(op, k=m, which="LA", tol=1e-6 if tol is None else tol, v0=v0,
                     ncv=min(d, max(2 * m + 1, 24)))
    order = np.argsort(val)[::-1]
    return val[order], vec[:, order]


def block_spectra(x: np.ndarray, classes: np.ndarray, Y: np.ndarray, means: np.ndarray, c: int,
                  kinds, n_top: int, *, full: bool = False, method: str = "auto") -> dict:
    """Top of the spectrum of the (c, c) blocks of the given kinds at parameters x (C, d).

    Test data: observed classes ``classes`` (n,) and points ``Y`` (n, d). Returns ``values``
    (K, n_top) largest first, ``overlaps`` (K, n_top, k): the squared overlap of each top
    eigenvector with each (normalised) mean, and with ``full`` the whole spectrum ``full``
    (K, d) ascending (dense ``eigvalsh``; then the top pairs come from the same matrix).
    """
    K, k = len(kinds), means.shape[0]
    out = {"values": np.empty((K, n_top)), "overlaps": np.empty((K, n_top, k))}
    if full:
        out["full"] = np.empty((K, Y.shape[1]))
    for j, kind in enumerate(kinds):
        w = block_weights(x, classes, Y, c, kind)
        if full:
            M = weighted_gram(Y, w)
            out["full"][j] = np.linalg.eigvalsh(M)
            val, vec = top_spectrum(M, n_top)
        else:
            val, vec = top_weighted_eigenpairs(Y, w, n_top, method=method)
        out["values"][j] = val
        out["overlaps"][j] = overlaps(vec, means)
    return out


def spectra_along_run(iterates: np.ndarray, mixture, n_test: int, c: int, kinds, n_top: int,
                      gen: np.random.Generator, *, tests_per_run: int = 1, full_at=(),
                      progress=None) -> dict:
    """:func:`block_spectra` at every checkpoint and seed of ``iterates`` (T, S, C, d).

    Each (checkpoint, seed) gets ``tests_per_run`` = R fresh test samples of ``n_test`` points
    from ``mixture`` (independent of x, as in the paper's setting): the test samples, not the
    SGD runs, carry most of the spread of near-edge eigenpairs, and they are the cheap part to
    repeat. Returns ``values`` (T, S R, K, n_top) and ``overlaps`` (T, S R, K, n_top, k) with
    the samples of run s at positions s R ... s R + R - 1, ``gram`` (T, S, C + k, C + k) the
    Gram matrix of (x, mu) and, at the checkpoint indices ``full_at``, ``full`` (F, S R, K, d).
    """
    T, S = iterates.shape[:2]
    d, k, K = iterates.shape[-1], mixture.k, len(kinds)
    C = iterates.shape[2]
    R = int(tests_per_run)
    if R < 1:
        raise ValueError(f"tests_per_run must be >= 1, got {tests_per_run}")
    out = {"values": np.empty((T, S * R, K, n_top)),
           "overlaps": np.empty((T, S * R, K, n_top, k)),
           "gram": np.empty((T, S, C + k, C + k)), "full": np.empty((len(full_at), S * R, K, d))}
    full_at = list(full_at)
    for i in range(T):
        for s in range(S):
            x = iterates[i, s]
            for j in range(s * R, s * R + R):
                labels, Y = mixture.sample(n_test, gen)
                r = block_spectra(x, mixture.classes(labels), Y, mixture.means, c, kinds, n_top,
                                  full=i in full_at)
                out["values"][i, j], out["overlaps"][i, j] = r["values"], r["overlaps"]
                if i in full_at:
                    out["full"][full_at.index(i), j] = r["full"]
                if progress is not None:
                    progress.update(1)
            V = np.concatenate([x, mixture.means])
            out["gram"][i, s] = V @ V.T
    return out


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
