"""Top of the Hessian and G-matrix block spectra along an SGD trajectory.

At every checkpoint the 2k diagonal blocks (``H_cc``, ``G_cc``) are applied together
(:class:`~hdsgd.observables.block_operators.SoftmaxCurvatureBlocks`) and their top ``n_eig``
eigenpairs come from the batched LOBPCG, warm-started from the previous checkpoint's
eigenvectors. The first checkpoint starts from ``initial_block``: the span of the means (near
which the outlier eigenspaces lie, arXiv 2310.03010 Thm 2.4) plus random guard vectors; LOBPCG
then converges to the true top eigenspace whatever the start, only faster.
"""

from __future__ import annotations

import numpy as np

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
                                   beta: float, n_check: int, tol: float, maxiter: int,
                                   dtype=np.float32, include_ridge: bool = True) -> dict:
    """Eigenpairs of every H_cc and G_cc at each checkpoint of ``x_ckpt`` (n_ckpt, k, d).

    ``X0`` (2k, d, n_eig) starts the first checkpoint; each later one starts from the
    previous checkpoint's eigenvectors.

    Returns ``h_vals``/``g_vals`` (n_ckpt, k, n_eig), ``h_vecs``/``g_vecs``
    (n_ckpt, k, d, n_eig), ``iterations`` and ``max_residual`` per checkpoint.
    """
    n_ckpt, k, d = x_ckpt.shape
    n_eig = X0.shape[2]
    X = X0
    vals = np.empty((n_ckpt, 2 * k, n_eig))
    vecs = np.empty((n_ckpt, 2 * k, d, n_eig), dtype=np.float32)
    iters = np.zeros(n_ckpt, dtype=np.int64)
    resid = np.zeros(n_ckpt)
    prog = Progress(n_ckpt, "spectra (checkpoints)", every_s=0.0)
    for i in range(n_ckpt):
        ops = SoftmaxCurvatureBlocks(x_ckpt[i], labels, Y, beta, include_ridge=include_ridge,
                                     dtype=dtype)
        res = top_eigenpairs(ops.apply, X, tol=tol, maxiter=maxiter, n_check=n_check,
                             lock=True)
        X = res.vectors
        vals[i], vecs[i] = res.values, res.vectors
        iters[i] = res.iterations
        scale = np.abs(res.values[:, :1])
        resid[i] = float(np.max(res.residuals[:, :n_check] / scale))
        print(f"checkpoint {i}: {res.iterations} LOBPCG iterations, "
              f"max relative residual {resid[i]:.2e}")
        prog.update()
    return {"h_vals": vals[:, :k], "g_vals": vals[:, k:], "h_vecs": vecs[:, :k],
            "g_vecs": vecs[:, k:], "iterations": iters, "max_residual": resid}
