"""Weighted sample second moments applied to vectors, matrix-free: the kernel of every block.

Every Hessian / G-matrix diagonal block of the alignment paper's models is, up to a low-rank
correction, a weighted second moment of one fixed sample ``Y`` (M, d):

    A_b = (1/M) sum_j w_bj Y_j Y_j^T = (1/M) Y^T diag(w_b) Y,

with one weight vector ``w_b`` (M,) per block b. :class:`WeightedGram` applies such blocks to a
set of columns ``V`` (d, n), column j going to block ``owner[j]``, in one pass over the data:
``T = V^T Y^T`` (one n x d x M product), scale row j of ``T`` by ``w_{owner[j]}``, ``T Y`` (one
more): ``4 n M d`` flops, never the ``M d^2`` of forming a block.

The sample is split into ``CHUNKS`` row ranges whose partial products are summed in float64 in
a fixed order, so the result does not depend on ``threads`` (byte-identical stage files on any
core count). With ``threads > 1`` the ranges are shared among that many threads, each with
single-threaded BLAS: every core does useful work, and no BLAS worker thread spins while the
caller does its small dense algebra.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

CHUNKS = 8   # row ranges per product: fixed, so the summation order is the same on any core count


class WeightedGram:
    """``V, owner -> [(1/M) Y^T diag(w_{owner[j]}) Y V[:, j]]_j`` (module docstring).

    ``Y`` (M, d) and ``weights`` (B, M) are stored in ``dtype`` (float32 halves the cost of the
    two large products); results are float64.
    """

    def __init__(self, Y: np.ndarray, weights: np.ndarray, *, dtype=np.float64, threads: int = 1):
        self.Y = np.ascontiguousarray(Y, dtype=dtype)
        self.M, self.d = self.Y.shape
        self.weights = np.ascontiguousarray(weights, dtype=dtype)
        if self.weights.ndim != 2 or self.weights.shape[1] != self.M:
            raise ValueError(f"weights must be (B, {self.M}), got {self.weights.shape}")
        self.dtype = dtype
        self.threads = max(int(threads), 1)
        edges = np.linspace(0, self.M, min(CHUNKS, self.M) + 1).astype(int)
        self._rows = [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]

    def _part(self, rows: slice, Vt: np.ndarray, runs) -> np.ndarray:
        Yr = self.Y[rows]
        T = Vt @ Yr.T                                   # (n, m): row j = (Y_r v_j)^T
        for b, cols in runs:
            T[cols] *= self.weights[b, rows]
        return T @ Yr                                   # (n, d)

    def __call__(self, V: np.ndarray, owner: np.ndarray) -> np.ndarray:
        V = np.asarray(V)
        owner = np.asarray(owner)
        if V.ndim != 2 or V.shape[0] != self.d or owner.shape != (V.shape[1],):
            raise ValueError(f"expected V (d = {self.d}, n) and owner (n,), got {V.shape}, "
                             f"{owner.shape}")
        Vt = np.ascontiguousarray(V.T, dtype=self.dtype)
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        ends = np.r_[starts[1:], owner.size]
        runs = [(owner[a], slice(a, b)) for a, b in zip(starts, ends)]
        if self.threads == 1:
            parts = [self._part(r, Vt, runs) for r in self._rows]
        else:
            with threadpool_limits(limits=1, user_api="blas"), \
                    ThreadPoolExecutor(self.threads) as pool:
                parts = list(pool.map(lambda r: self._part(r, Vt, runs), self._rows))
        out = np.zeros(parts[0].shape)
        for part in parts:                              # fixed order: deterministic sum
            out += part
        return out.T / self.M
