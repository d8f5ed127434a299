"""Top eigenpairs of many symmetric operators at once: batched, warm-started LOBPCG.

``B`` independent symmetric d x d operators are given as one callable ``apply(V)`` mapping a
block ``V`` (B, d, p) to ``A V`` (B, d, p), so a caller can apply all of them in one pass over
its data. The solver is the locally optimal block preconditioned conjugate gradient method
(Knyazev 2001) without preconditioner, for the p largest eigenvalues: each iteration does a
Rayleigh-Ritz step on span[X, R, P] (iterate, residual, previous search direction), batched
over the B problems with ``numpy.linalg.eigh``/``qr`` on stacked small matrices, and costs one
operator application to the p residual vectors. Started from the previous checkpoint's
eigenvectors, it needs few iterations because the eigenspaces move slowly along training.

With ``lock=True`` a problem whose wanted pairs have converged is locked: later iterations
apply the operator only to the problems still active (``apply(V, blocks=active_indices)``), so
a few slow problems (near-degenerate k-th and (k+1)-th eigenvalues) do not cost a full pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class EigResult:
    values: np.ndarray      # (B, p), descending
    vectors: np.ndarray     # (B, d, p), orthonormal columns
    iterations: int
    residuals: np.ndarray   # (B, p) residual norms ||A x - theta x||
    converged: bool


def _orth(V: np.ndarray) -> np.ndarray:
    Q, _ = np.linalg.qr(V)
    return Q


def _project_out(V, Q):
    return V - Q @ (np.swapaxes(Q, 1, 2) @ V)


def _rayleigh_ritz(S, AS, p):
    T = np.swapaxes(S, 1, 2) @ AS
    T = 0.5 * (T + np.swapaxes(T, 1, 2))
    w, C = np.linalg.eigh(T)
    w, C = w[:, ::-1], C[:, :, ::-1]
    return w[:, :p], C[:, :, :p]


def top_eigenpairs(apply, X0: np.ndarray, *, tol: float = 1e-8, maxiter: int = 200,
                   n_check: int | None = None, lock: bool = False) -> EigResult:
    """Largest ``p`` eigenpairs of ``B`` symmetric operators, ``X0`` (B, d, p) the start.

    A problem has converged when the residual norms of its first ``n_check`` (default p) pairs
    are below ``tol`` times its largest Ritz value. The extra columns (``p - n_check``) act as
    guard vectors that speed up convergence of the wanted ones. ``lock`` (see the module
    docstring) requires ``apply(V, blocks=...)``.
    """
    X = _orth(np.asarray(X0, dtype=np.float64))
    B, d, p = X.shape
    if p > d // 3:
        raise ValueError(f"block size p = {p} too large for dimension d = {d}; use a dense "
                         "eigensolver")
    n_check = p if n_check is None else n_check
    everything = np.arange(B)

    def apply_to(V, idx):
        return apply(V, blocks=idx) if lock else apply(V)

    AX = apply_to(X, everything)
    theta, C = _rayleigh_ritz(X, AX, p)
    X, AX = X @ C, AX @ C
    P = AP = None                      # search directions of the active problems
    active = everything
    res = np.full((B, p), np.inf)
    it = 0
    for it in range(1, maxiter + 1):
        res = np.linalg.norm(AX - X * theta[:, None, :], axis=1)
        scale = np.maximum(np.abs(theta[:, :1]), np.finfo(float).tiny)
        done = np.all(res[:, :n_check] <= tol * scale, axis=1)
        if done.all():
            it -= 1
            break
        if lock:
            keep = ~done[active]
            active = active[keep]
            if P is not None:
                P, AP = P[keep], AP[keep]
        a = active
        Xa, AXa = X[a], AX[a]
        W = _orth(_project_out(AXa - Xa * theta[a][:, None, :], Xa))
        AW = apply_to(W, a)
        blocks, ablocks = [Xa, W], [AXa, AW]
        if P is not None:
            # make P orthonormal against [X, W]; A P follows by the same linear map
            c1 = np.swapaxes(Xa, 1, 2) @ P
            P1, AP1 = P - Xa @ c1, AP - AXa @ c1
            c2 = np.swapaxes(W, 1, 2) @ P1
            P1, AP1 = P1 - W @ c2, AP1 - AW @ c2
            Qp, Rp = np.linalg.qr(P1)
            diag = np.abs(np.diagonal(Rp, axis1=1, axis2=2))
            if diag.min() > 1e-8:
                AQp = np.swapaxes(np.linalg.solve(np.swapaxes(Rp, 1, 2),
                                                  np.swapaxes(AP1, 1, 2)), 1, 2)
                blocks.append(Qp)
                ablocks.append(AQp)
        S = np.concatenate(blocks, axis=2)
        AS = np.concatenate(ablocks, axis=2)
        theta_a, C = _rayleigh_ritz(S, AS, p)
        theta[a], X[a], AX[a] = theta_a, S @ C, AS @ C
        # search direction: the part of the update outside the old X
        P = S[:, :, p:] @ C[:, p:, :]
        AP = AS[:, :, p:] @ C[:, p:, :]
    converged = bool(np.all(res[:, :n_check] <= tol * np.maximum(np.abs(theta[:, :1]), 1e-300)))
    return EigResult(theta, X, it, res, converged)


def dense_top_eigenpairs(A: np.ndarray, p: int) -> EigResult:
    """Reference path: ``numpy.linalg.eigh`` on dense stacked matrices ``A`` (B, d, d)."""
    w, V = np.linalg.eigh(A)
    w, V = w[:, ::-1][:, :p], V[:, :, ::-1][:, :, :p]
    return EigResult(w, V, 0, np.zeros_like(w), True)
