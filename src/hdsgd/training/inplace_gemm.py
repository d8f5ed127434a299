"""In-place BLAS update ``C <- alpha A B + beta C`` of a C-ordered array.

numpy's ``matmul`` cannot accumulate into its output, so an SGD update written with it streams
the state through memory several times (product, scale, subtract, add). BLAS GEMM accumulates
in place, but only into Fortran-ordered arrays: a C-ordered ``C`` is the Fortran-ordered
``C^T``, so the transposed problem ``C^T <- alpha B^T A^T + beta C^T`` updates ``C`` itself.
Used by the SGD grid engine and by the network's first-layer step.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import blas


def _fortran_operand(x: np.ndarray):
    """``x`` as BLAS wants it: itself if Fortran-ordered, else its transpose with trans = 1
    (no copy for either memory order)."""
    return (x, 0) if x.flags.f_contiguous or not x.flags.c_contiguous else (x.T, 1)


def gemm_into(c: np.ndarray, a: np.ndarray, b: np.ndarray, *, alpha: float,
              beta: float) -> None:
    """``c <- alpha a @ b + beta c`` in place; ``c`` (m, n) C-ordered, ``a`` (m, k), ``b`` (k, n)
    of the same dtype, each C- or Fortran-ordered (neither is copied)."""
    gemm = blas.get_blas_funcs("gemm", (c,))
    bt, trans_a = _fortran_operand(b.T)
    at, trans_b = _fortran_operand(a.T)
    out = gemm(alpha, bt, at, beta=beta, c=c.T, trans_a=trans_a, trans_b=trans_b, overwrite_c=1)
    if not np.may_share_memory(out, c):  # BLAS had to copy (c not contiguous)
        c[...] = out.T
