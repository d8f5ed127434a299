"""Top of the Hessian and G-matrix block spectra along an SGD trajectory (k-GMM).

At every checkpoint the 2k diagonal blocks (``H_cc``, ``G_cc``) are applied together
(:class:`~hdsgd.observables.block_operators.SoftmaxCurvatureBlocks`) and their top eigenpairs
come from the batched soft-locking LOBPCG of :mod:`hdsgd.observables.eigensolvers`,
warm-started from the previous checkpoint's eigenvectors. The first checkpoint starts from
``initial_block``: the span of the means (near which the outlier eigenspaces lie, arXiv
2310.03010 Thm 2.4) plus random guard vectors; LOBPCG then converges to the true top
eigenspace whatever the start, only faster.

Only converged eigenvalues are returned: block b's first ``n_check[b]`` values, the others
(guard columns, whose Ritz values are mere lower bounds) are NaN.

The bulk of a block lives on the complement of U = span(mu_1..mu_k, x^1..x^k) (the logits see
a sample only through U; arXiv 2310.03010 Sec. 3): for the blocks listed in ``bulk_blocks`` the
same solve also converges the top eigenvalue of ``P A P`` (P the projector onto U's
complement), the measured top of the bulk, with no reference to any theory or to a count of
outliers. The alignment of each class
vector with the top-k eigenspace of its blocks is computed here, so the eigenvectors need not
be stored; the final eigenvectors of the blocks listed in ``keep_vectors`` are kept.
"""

from __future__ import annotations

import time

import numpy as np

from hdsgd.observables.alignment import alignment
from hdsgd.observables.block_operators import SoftmaxCurvatureBlocks
from hdsgd.observables.eigensolvers import top_eigenpairs
from hdsgd.progress import Progress


def initial_block(means: np.ndarray, n_blocks: int, n_eig: int, rng) -> np.ndarray:
    """Start block (n_blocks, d, n_eig): the means' directions first, then random columns."""
    k, d = means.shape
    X = rng.standard_normal((n_blocks, d, n_eig))
    m = min(k, n_eig)
    X[:, :, :m] = means[:m].T
    return X


def block_spectra_along_trajectory(x_ckpt: np.ndarray, labels, Y, X0: np.ndarray, *,
                                   beta: float, n_check, tol, maxiter: int, dtype=np.float32,
                                   include_ridge: bool = True, threads: int = 1,
                                   keep_vectors=(), bulk_blocks=(), means=None,
                                   tol_bulk: float = 1e-3) -> dict:
    """Eigenpairs of every H_cc and G_cc at each checkpoint of ``x_ckpt`` (n_ckpt, k, d).

    ``X0`` (2k, d, n_eig) starts the first checkpoint; each later one starts from the previous
    checkpoint's eigenvectors. ``n_check`` and ``tol`` (one value, or one per block in the
    order H_11..H_kk, G_11..G_kk) set which eigenvalues are converged and how far.

    Returns ``h_vals``/``g_vals`` (n_ckpt, k, n_eig) (NaN where not converged),
    ``h_alignment``/``g_alignment`` (n_ckpt, k): ``||Q^T x^c|| / ||x^c||`` with Q the top-k
    eigenvectors of the class-c block, ``vectors_final`` (len(keep_vectors), d, k),
    ``bulk_top`` (n_ckpt, len(bulk_blocks)): the top eigenvalue of each listed block on the
    complement of span(``means``, x^1..x^k) (residual tolerance ``tol_bulk``: a Ritz value's
    error is at most the squared residual over the gap, so only the eigenvalue is accurate),
    and per checkpoint ``iterations`` (largest over
    blocks), ``column_applies``, ``max_residual`` and ``cpu_seconds`` (all threads; a timing, so a
    stage logs it and does not store it).
    """
    n_ckpt, k, d = x_ckpt.shape
    n_eig = X0.shape[2]
    bulk_blocks = np.asarray(bulk_blocks, dtype=np.int64)
    n_bulk = bulk_blocks.size
    n_check = np.concatenate([np.broadcast_to(np.asarray(n_check), (2 * k,)),
                              np.ones(n_bulk, dtype=np.int64)])
    tol = np.concatenate([np.broadcast_to(np.asarray(tol, dtype=float), (2 * k,)),
                          np.full(n_bulk, tol_bulk)])
    converged_mask = np.arange(n_eig)[None, :] < n_check[:2 * k, None]          # (2k, n_eig)
    X = np.concatenate([X0, X0[bulk_blocks]]) if n_bulk else X0
    bulk = np.empty((n_ckpt, n_bulk))
    vals = np.empty((n_ckpt, 2 * k, n_eig))
    align = np.empty((n_ckpt, 2 * k))
    iters = np.zeros(n_ckpt, dtype=np.int64)
    applies = np.zeros(n_ckpt, dtype=np.int64)
    resid = np.zeros(n_ckpt)
    cpu = np.zeros(n_ckpt)
    prog = Progress(n_ckpt, "spectra (checkpoints)", every_s=0.0)
    for i in range(n_ckpt):
        c0 = time.process_time()
        ops = SoftmaxCurvatureBlocks(x_ckpt[i], labels, Y, beta, include_ridge=include_ridge,
                                     dtype=dtype, threads=threads)
        apply = ops.apply_columns
        if n_bulk:
            apply = _with_projected_blocks(ops.apply_columns, 2 * k, bulk_blocks,
                                           np.concatenate([means, x_ckpt[i]]))
        res = top_eigenpairs(apply, X, tol=tol, maxiter=maxiter, n_check=n_check)
        X = res.vectors
        vals[i] = np.where(converged_mask, res.values[:2 * k], np.nan)
        bulk[i] = res.values[2 * k:, 0]
        align[i] = alignment(np.concatenate([x_ckpt[i], x_ckpt[i]]), res.vectors[:2 * k, :, :k])
        iters[i] = res.iterations.max()
        applies[i] = res.column_applies
        scale = np.abs(res.values[:, :1])
        mask = np.arange(n_eig)[None, :] < n_check[:, None]
        resid[i] = float(np.max(np.where(mask, res.residuals / scale, 0.0)))
        cpu[i] = time.process_time() - c0
        print(f"checkpoint {i}: {iters[i]} LOBPCG iterations, {applies[i]} column products, "
              f"max relative residual {resid[i]:.2e}, {cpu[i]:.1f} CPU-s")
        prog.update()
    keep = list(keep_vectors)
    return {"h_vals": vals[:, :k], "g_vals": vals[:, k:], "h_alignment": align[:, :k],
            "g_alignment": align[:, k:], "bulk_top": bulk,
            "vectors_final": X[keep][:, :, :k].astype(np.float32),
            "iterations": iters, "column_applies": applies, "max_residual": resid,
            "cpu_seconds": cpu}


def _with_projected_blocks(apply_columns, n_blocks: int, bulk_blocks: np.ndarray,
                           span: np.ndarray):
    """Column operator for problems 0..n_blocks-1 (the blocks) followed by ``P A_b P`` for
    each b in ``bulk_blocks``, P the projector onto the complement of the rows of ``span``."""
    Q = np.linalg.qr(span.T)[0]

    def project(V):
        return V - Q @ (Q.T @ V)

    def apply(V, owner):
        owner = np.asarray(owner)
        extra = owner >= n_blocks
        if not extra.any():
            return apply_columns(V, owner)
        V = V.copy()
        V[:, extra] = project(V[:, extra])
        target = owner.copy()
        target[extra] = bulk_blocks[owner[extra] - n_blocks]
        order = np.argsort(target, kind="stable")       # group columns by block
        out = np.empty_like(V)
        out[:, order] = apply_columns(V[:, order], target[order])
        out[:, extra] = project(out[:, extra])
        return out

    return apply
