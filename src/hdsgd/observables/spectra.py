"""Top of the Hessian and G-matrix block spectra along an SGD trajectory.

At every checkpoint the 2k diagonal blocks (``H_cc``, ``G_cc``) are applied together
(:class:`~hdsgd.observables.block_operators.SoftmaxCurvatureBlocks`) and their top ``n_eig``
eigenpairs come from the batched LOBPCG, warm-started from the previous checkpoint's
eigenvectors.
"""

from __future__ import annotations

import numpy as np

from hdsgd.observables.block_operators import SoftmaxCurvatureBlocks
from hdsgd.observables.eigensolvers import top_eigenpairs
from hdsgd.progress import Progress


def block_spectra_along_trajectory(x_ckpt: np.ndarray, labels, Y, *, beta: float, n_eig: int,
                                   n_check: int, tol: float, maxiter: int, dtype=np.float32,
                                   include_ridge: bool = True, rng=None) -> dict:
    """Eigenpairs of every H_cc and G_cc at each checkpoint of ``x_ckpt`` (n_ckpt, k, d).

    Returns ``h_vals``/``g_vals`` (n_ckpt, k, n_eig), ``h_vecs``/``g_vecs``
    (n_ckpt, k, d, n_eig), ``iterations`` and ``max_residual`` per checkpoint.
    """
    n_ckpt, k, d = x_ckpt.shape
    rng = np.random.default_rng(0) if rng is None else rng
    X = rng.standard_normal((2 * k, d, n_eig))
    vals = np.empty((n_ckpt, 2 * k, n_eig))
    vecs = np.empty((n_ckpt, 2 * k, d, n_eig), dtype=np.float32)
    iters = np.zeros(n_ckpt, dtype=np.int64)
    resid = np.zeros(n_ckpt)
    prog = Progress(n_ckpt, "spectra (checkpoints)", every_s=0.0)
    for i in range(n_ckpt):
        ops = SoftmaxCurvatureBlocks(x_ckpt[i], labels, Y, beta, include_ridge=include_ridge,
                                     dtype=dtype)
        res = top_eigenpairs(ops.apply, X, tol=tol, maxiter=maxiter, n_check=n_check)
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
