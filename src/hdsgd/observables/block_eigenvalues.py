"""The whole spectrum of one (c, c) Hessian or G-matrix block on a large test sample.

For the Kolmogorov distance between a block's empirical spectrum and its limiting law at d up
to a few thousand (``figures/geometry_scaling.pdf``) every eigenvalue is needed, so the block

    M = (1/n) sum_l w_l Y_l Y_l^T = (1/n) (sqrt(w) Y)^T (sqrt(w) Y)

(weights of :func:`hdsgd.observables.empirical_spectra.block_weights`) is formed in single
precision by one SYRK (n d^2 flops, half a GEMM) and its eigenvalues come from LAPACK's
eigenvalue-only driver ``syev`` (tridiagonal reduction, then QR without vectors). At d = 4000,
n = 8000 that takes 4.4 CPU-s against 10.6 s for the double-precision GEMM and
``numpy.linalg.eigvalsh``; the eigenvalues agree with double precision to 2.3e-5 of the
largest, which moves the Kolmogorov distance by 2e-6 (0.15 % of its value at that size;
``benchmarks/bench_geometry_scaling.py``).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigvalsh
from scipy.linalg.blas import ssyrk

from hdsgd.observables.empirical_spectra import block_weights

__all__ = ["block_eigenvalues"]


def block_eigenvalues(x: np.ndarray, classes: np.ndarray, Y: np.ndarray, c: int,
                      kind: str) -> tuple[np.ndarray, np.ndarray]:
    """All d eigenvalues (ascending, float64) of the (c, c) block of ``kind`` at parameters x
    (C, d) on the test sample (observed classes ``classes`` (n,), points ``Y`` (n, d)), and the
    sample's weights w (n,)."""
    w = block_weights(x, classes, Y, c, kind)
    root = (np.sqrt(w) / np.sqrt(Y.shape[0])).astype(np.float32)
    gram = ssyrk(1.0, np.asarray(Y, dtype=np.float32) * root[:, None], trans=1, lower=1)
    eigs = eigvalsh(gram, lower=True, driver="ev", overwrite_a=True, check_finite=False)
    return np.sort(eigs.astype(np.float64)), np.asarray(w, dtype=np.float64)
