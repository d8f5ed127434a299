"""Top eigenpairs of many symmetric operators at once: batched, warm-started LOBPCG.

``B`` independent symmetric d x d operators ``A_0 .. A_{B-1}`` are given by one callable
``apply_columns(V, owner)`` that maps columns ``V`` (d, n) to ``A_{owner[j]} V[:, j]`` (d, n), so a
caller applies all of them in one pass over its data whatever mix of problems the columns come
from. The solver is the locally optimal block preconditioned conjugate gradient method
(Knyazev 2001) without preconditioner, for the p largest eigenvalues of each problem: every
iteration does a Rayleigh-Ritz step on span[X, W, P] (iterate, residual, previous search
direction) and costs one operator application to the residual columns only.

Soft locking: a wanted pair whose residual is below tolerance gets no new residual column (it
stays in X and keeps being refined by the Rayleigh-Ritz step of its problem), and a problem
whose wanted pairs have all converged leaves the iteration. So the operator is applied only to
unconverged wanted columns and to the guard columns (``p - n_check`` extra columns that speed up
convergence of the wanted ones) of problems that are still running. ``EigResult.column_applies``
counts every column the operator was applied to: the solver's cost in units of one
matrix-vector product.

Started from the previous checkpoint's eigenvectors, a solve along an SGD trajectory needs few
iterations because the outlier eigenspaces move slowly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class EigResult:
    values: np.ndarray      # (B, p), descending
    vectors: np.ndarray     # (B, d, p), orthonormal columns
    iterations: np.ndarray  # (B,) iterations each problem needed
    residuals: np.ndarray   # (B, p) residual norms ||A x - theta x||
    converged: np.ndarray   # (B,) all wanted pairs below tolerance
    column_applies: int     # operator applications, counted per column (cost)


def _orth(V: np.ndarray) -> np.ndarray:
    Q, _ = np.linalg.qr(V)
    return Q


def _rayleigh_ritz(S, AS, p):
    T = S.T @ AS
    T = 0.5 * (T + T.T)
    w, C = np.linalg.eigh(T)
    return w[::-1][:p], C[:, ::-1][:, :p], C[:, ::-1]


def _per_problem(value, B: int, dtype) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=dtype), (B,)).copy()


def _check_counts(n_check, B: int, p: int) -> np.ndarray:
    counts = _per_problem(p if n_check is None else n_check, B, np.int64)
    if np.any(counts < 1) or np.any(counts > p):
        raise ValueError(f"n_check must be in [1, p = {p}], got {n_check}")
    return counts


def top_eigenpairs(apply_columns, X0: np.ndarray, *, tol=1e-8, maxiter: int = 200,
                   n_check=None) -> EigResult:
    """Largest ``p`` eigenpairs of ``B`` symmetric operators, ``X0`` (B, d, p) the start.

    Problem b has converged when the residual norms of its first ``n_check[b]`` pairs (an int
    for all problems, or one per problem; default p) are below ``tol`` times its largest Ritz
    value. The other columns are guards; their Ritz values are lower bounds of the next
    eigenvalues (Cauchy interlacing), not converged eigenvalues.
    """
    X0 = np.asarray(X0, dtype=np.float64)
    B, d, p = X0.shape
    if p > d // 3:
        raise ValueError(f"block size p = {p} too large for dimension d = {d}; use a dense "
                         "eigensolver")
    wanted = np.arange(p)[None, :] < _check_counts(n_check, B, p)[:, None]     # (B, p)
    tol = _per_problem(tol, B, np.float64)[:, None]
    X = _orth(X0)
    AX = _apply_blocks(apply_columns, X, np.arange(B))
    applies = B * p
    theta = np.empty((B, p))
    for b in range(B):
        theta[b], C, _ = _rayleigh_ritz(X[b], AX[b], p)
        X[b], AX[b] = X[b] @ C, AX[b] @ C
    P = np.zeros_like(X)                  # previous search directions (per column)
    AP = np.zeros_like(X)
    have_p = np.zeros(B, dtype=bool)
    iterations = np.zeros(B, dtype=np.int64)
    done = np.zeros(B, dtype=bool)
    res = np.empty((B, p))
    for it in range(maxiter + 1):
        run = np.flatnonzero(~done)
        R = AX[run] - X[run] * theta[run][:, None, :]
        res[run] = np.linalg.norm(R, axis=1)
        scale = np.maximum(np.abs(theta[run, :1]), np.finfo(float).tiny)
        ok = res[run] <= tol[run] * scale
        finished = np.all(ok | ~wanted[run], axis=1)
        done[run[finished]] = True
        iterations[run[finished]] = it
        if done.all() or it == maxiter:
            iterations[~done] = it
            break
        # residual columns of the running problems: unconverged wanted pairs and all guards
        cols, Ws = [], []
        for i in np.flatnonzero(~finished):
            b = run[i]
            c = np.flatnonzero(~(ok[i] & wanted[b]))
            Wb = _orth_complement(R[i][:, c], [X[b]])
            if Wb.shape[1]:
                Ws.append(Wb)
                cols.append(b)
        if not Ws:                     # nothing left to search (exact eigenvectors)
            iterations[run[~finished]] = it
            done[run] = True
            break
        V = np.concatenate(Ws, axis=1)
        owner = np.concatenate([np.full(W.shape[1], b) for b, W in zip(cols, Ws)])
        AV = apply_columns(V, owner)
        applies += V.shape[1]
        start = 0
        for b, Wb in zip(cols, Ws):
            AWb = AV[:, start:start + Wb.shape[1]]
            start += Wb.shape[1]
            S, AS = [X[b], Wb], [AX[b], AWb]
            if have_p[b]:
                Pb, APb = _search_directions(P[b], AP[b], X[b], AX[b], Wb, AWb)
                if Pb is not None:
                    S.append(Pb)
                    AS.append(APb)
            S, AS = np.concatenate(S, axis=1), np.concatenate(AS, axis=1)
            theta[b], C, _ = _rayleigh_ritz(S, AS, p)
            X[b], AX[b] = S @ C, AS @ C
            # search direction: the part of the update outside the old X
            P[b], AP[b] = S[:, p:] @ C[p:], AS[:, p:] @ C[p:]
            have_p[b] = True
    converged = np.all((res <= tol * np.maximum(np.abs(theta[:, :1]), 1e-300)) | ~wanted,
                       axis=1)
    return EigResult(theta, X, iterations, res, converged, applies)


def _orth_complement(V: np.ndarray, bases) -> np.ndarray:
    """Orthonormal columns spanning the part of ``V``'s columns outside the orthonormal
    ``bases``: columns normalised, projected out twice (one pass loses orthogonality when a
    column lies almost inside the bases), and columns left with almost nothing dropped."""
    norm = np.linalg.norm(V, axis=0)
    V = V[:, norm > 0] / norm[norm > 0]
    for _ in range(2):
        for Q in bases:
            V = V - Q @ (Q.T @ V)
    V = V[:, np.linalg.norm(V, axis=0) > 1e-8]
    if not V.shape[1]:
        return V
    Q, Rq = np.linalg.qr(V)
    return Q[:, np.abs(np.diagonal(Rq)) > 1e-8]


def _search_directions(P, AP, X, AX, W, AW):
    """Previous search directions orthonormalised against [X, W], with ``A`` applied through
    the same linear map (no operator application); None when they are numerically dependent."""
    norm = np.linalg.norm(P, axis=0)
    keep = norm > 0
    P, AP = P[:, keep] / norm[keep], AP[:, keep] / norm[keep]
    for _ in range(2):
        for Q, AQ in ((X, AX), (W, AW)):
            c = Q.T @ P
            P, AP = P - Q @ c, AP - AQ @ c
    if not P.shape[1]:
        return None, None
    Qp, Rp = np.linalg.qr(P)
    if np.abs(np.diagonal(Rp)).min() <= 1e-8:
        return None, None
    return Qp, np.linalg.solve(Rp.T, AP.T).T


def _apply_blocks(apply_columns, X: np.ndarray, problems: np.ndarray) -> np.ndarray:
    """``A_b X[b]`` for every problem b, through the column interface."""
    B, d, p = X.shape
    V = np.ascontiguousarray(X.transpose(1, 0, 2).reshape(d, B * p))
    AV = apply_columns(V, np.repeat(problems, p))
    return np.ascontiguousarray(AV.reshape(d, B, p).transpose(1, 0, 2))


def dense_top_eigenpairs(A: np.ndarray, p: int) -> EigResult:
    """Reference path: ``numpy.linalg.eigh`` on dense stacked matrices ``A`` (B, d, d)."""
    w, V = np.linalg.eigh(A)
    w, V = w[:, ::-1][:, :p], V[:, :, ::-1][:, :, :p]
    B = A.shape[0]
    return EigResult(w, V, np.zeros(B, dtype=np.int64), np.zeros_like(w),
                     np.ones(B, dtype=bool), 0)
