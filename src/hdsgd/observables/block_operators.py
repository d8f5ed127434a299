"""Diagonal blocks of the empirical Hessian and G-matrix, matrix-free, for the alignment
paper's two models (arXiv 2310.03010).

Softmax regression (k-GMM figures):

On a test sample ``(labels_j, Y_j)``, j = 1..M, at parameters ``x`` (k, d) with softmax ``pi``
and residual ``a_j = pi_j - y_j`` (arXiv 2310.03010, Sec. 2; docs/alignment.md):

    H_cc = (1/M) sum_j pi_jc (1 - pi_jc) Y_j Y_j^T + beta I
    G_cc = (1/M) sum_j (a_jc Y_j + beta x^c)(a_jc Y_j + beta x^c)^T
         = (1/M) sum_j a_jc^2 Y_j Y_j^T + beta (x^c u_c^T + u_c x^cT) + beta^2 x^c x^cT,

with ``u_c = (1/M) sum_j a_jc Y_j`` (the ridge terms only when ``include_ridge``).
Any set of columns, each going to one of the 2k blocks, is applied in one pass over the data
(:class:`~hdsgd.observables.weighted_gram.WeightedGram`: two large matrix products).

Two-layer XOR network (formulas in :mod:`hdsgd.models.two_layer`): the K first-layer blocks
``H_{W_iW_i}``, ``G_{W_iW_i}`` (d x d) matrix-free in the same way, the K x K ``vv`` blocks dense.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from hdsgd.models.softmax_regression import one_hot, probabilities
from hdsgd.models.two_layer import forward
from hdsgd.observables.weighted_gram import WeightedGram


class SoftmaxCurvatureBlocks:
    """The 2k diagonal blocks ``[H_11..H_kk, G_11..G_kk]`` of softmax regression at ``x``.

    ``dtype`` sets the precision of the two large matrix products (float32 halves their
    cost; the small corrections stay in float64); ``threads`` splits them over cores
    (:class:`~hdsgd.observables.weighted_gram.WeightedGram`).
    """

    def __init__(self, x, labels, Y, beta: float, *, include_ridge: bool = True,
                 dtype=np.float64, threads: int = 1):
        self.x = np.asarray(x, dtype=np.float64)
        self.k, self.d = self.x.shape
        self.beta = float(beta)
        self.include_ridge = include_ridge
        self.M = Y.shape[0]
        Y = np.asarray(Y)                        # products in the sample's own precision
        pi = probabilities(self.x.astype(Y.dtype), Y).astype(np.float64)
        a = pi - one_hot(labels, self.k)
        self.weights = np.concatenate([pi * (1 - pi), a * a], axis=1)      # (M, 2k)
        self.u = (a.T.astype(Y.dtype) @ Y).astype(np.float64) / self.M     # (k, d)
        self.gram = WeightedGram(Y, self.weights.T, dtype=dtype, threads=threads)
        self.dtype = dtype

    @property
    def n_blocks(self) -> int:
        return 2 * self.k

    def apply_columns(self, V: np.ndarray, owner: np.ndarray) -> np.ndarray:
        """Column j of ``V`` (d, n) times block ``owner[j]`` (an index into
        ``[H_11..H_kk, G_11..G_kk]``), all in one pass over the data."""
        owner = np.asarray(owner)
        out = self.gram(V, owner)
        k = self.k
        hess = owner < k
        out[:, hess] += self.beta * V[:, hess]
        g = ~hess
        if self.include_ridge and g.any():
            c = owner[g] - k
            x, u, b, Vg = self.x[c].T, self.u[c].T, self.beta, V[:, g]       # (d, n_g)
            xv = np.einsum("dn,dn->n", x, Vg)
            uv = np.einsum("dn,dn->n", u, Vg)
            out[:, g] += b * (x * uv + u * xv) + b * b * x * xv
        return out

    def apply(self, V: np.ndarray, blocks=None) -> np.ndarray:
        """Apply blocks to their own vectors: ``V`` (B, d, p) holds vectors for the blocks
        ``blocks`` (default all 2k, in order); the result has the same shape."""
        idx = np.arange(self.n_blocks) if blocks is None else np.asarray(blocks)
        B, d, p = V.shape
        if B != idx.size or d != self.d:
            raise ValueError(f"expected V of shape ({idx.size}, {self.d}, p), got {V.shape}")
        cols = np.ascontiguousarray(np.asarray(V, dtype=np.float64).transpose(1, 0, 2)
                                    .reshape(d, B * p))
        out = self.apply_columns(cols, np.repeat(idx, p))
        return np.ascontiguousarray(out.reshape(d, B, p).transpose(1, 0, 2))

    def dense(self) -> np.ndarray:
        """Form all 2k blocks densely, (2k, d, d): the O(M d^2)-per-block baseline."""
        Y = self.gram.Y.astype(np.float64, copy=False)
        out = np.empty((self.n_blocks, self.d, self.d))
        for b in range(self.n_blocks):
            out[b] = (Y * self.weights[:, b:b + 1]).T @ Y / self.M
        k = self.k
        out[:k] += self.beta * np.eye(self.d)
        if self.include_ridge:
            x, u, b = self.x, self.u, self.beta
            out[k:] += b * (x[:, :, None] * u[:, None, :] + u[:, :, None] * x[:, None, :])
            out[k:] += b * b * x[:, :, None] * x[:, None, :]
        return out


class XorBlockOperators:
    """Diagonal Hessian / G-matrix blocks of the two-layer net at ``(W, v)`` on a test sample.

    ``dtype`` is the precision of the two large products (float32 halves their cost) and
    ``threads`` the number of cores they are split over
    (:class:`~hdsgd.observables.weighted_gram.WeightedGram`).
    """

    def __init__(self, W, v, y, Y, beta: float, *, include_ridge: bool = True, dtype=np.float64,
                 threads: int = 1):
        self.W = np.asarray(W, dtype=np.float64)
        self.v = np.asarray(v, dtype=np.float64)
        self.beta = float(beta)
        self.include_ridge = include_ridge
        self.dtype = dtype
        self.threads = threads
        self.Y = np.asarray(Y)                   # products in the sample's own precision
        self.M, self.d = self.Y.shape
        self.K = self.W.shape[0]
        pre, h, s = forward(self.W, self.v, self.Y)
        sig = expit(s)
        self.h = h
        self.r = sig - np.asarray(y, dtype=np.float64)
        self.sigma_prime = sig * (1.0 - sig)
        act = pre > 0
        self.hess_weights = self.sigma_prime[:, None] * self.v[None, :] ** 2 * act   # (M, K)
        C = self.r[:, None] * self.v[None, :] * act                                   # (M, K)
        self.g_weights = C * C
        # a_i = (1/M) sum_j c_ji Y_j  (K, d)
        self.a = (C.T.astype(self.Y.dtype) @ self.Y).astype(np.float64) / self.M
        self._gram = None

    @property
    def gram(self) -> WeightedGram:
        """One pass applies any mix of Hessian (owner i) and G (owner K + i) first-layer
        blocks (built on first use: the vv blocks do not need it)."""
        if self._gram is None:
            self._gram = WeightedGram(
                self.Y, np.concatenate([self.hess_weights, self.g_weights], 1).T,
                dtype=self.dtype, threads=self.threads)
        return self._gram

    def first_layer_columns(self, V: np.ndarray, owner: np.ndarray) -> np.ndarray:
        """Column j of ``V`` (d, n) times first-layer block ``owner[j]``: ``H_{W_iW_i}`` for
        owner i < K, ``G_{W_iW_i}`` for owner K + i; all in one pass over the data."""
        owner = np.asarray(owner)
        out = self.gram(V, owner)
        hess = owner < self.K
        out[:, hess] += self.beta * V[:, hess]
        g = ~hess
        if self.include_ridge and g.any():
            i = owner[g] - self.K
            b, W, a, Vg = self.beta, self.W[i].T, self.a[i].T, V[:, g]        # (d, n_g)
            wv = np.einsum("dn,dn->n", W, Vg)
            av = np.einsum("dn,dn->n", a, Vg)
            out[:, g] += b * (W * av + a * wv) + b * b * W * wv
        return out

    def _blocks(self, V: np.ndarray, offset: int) -> np.ndarray:
        K, d, p = V.shape
        cols = np.ascontiguousarray(np.asarray(V, dtype=np.float64).transpose(1, 0, 2)
                                    .reshape(d, K * p))
        out = self.first_layer_columns(cols, offset + np.repeat(np.arange(K), p))
        return np.ascontiguousarray(out.reshape(d, K, p).transpose(1, 0, 2))

    def hessian_first_layer(self, V: np.ndarray) -> np.ndarray:
        """``H_{W_iW_i} V_i`` for all units: V (K, d, p) -> (K, d, p)."""
        return self._blocks(V, 0)

    def g_first_layer(self, V: np.ndarray) -> np.ndarray:
        """``G_{W_iW_i} V_i`` for all units: V (K, d, p) -> (K, d, p)."""
        return self._blocks(V, self.K)

    def hessian_vv(self) -> np.ndarray:
        """Dense ``H_vv`` (K, K)."""
        return (self.h * self.sigma_prime[:, None]).T @ self.h / self.M + self.beta * np.eye(self.K)

    def g_vv(self) -> np.ndarray:
        """Dense ``G_vv`` (K, K)."""
        gv = self.r[:, None] * self.h
        if self.include_ridge:
            gv = gv + self.beta * self.v
        return gv.T @ gv / self.M

    def dense_first_layer(self, kind: str) -> np.ndarray:
        """Dense ``(K, d, d)`` stack of the first-layer blocks (reference path; small d only)."""
        I = np.broadcast_to(np.eye(self.d), (self.K, self.d, self.d))
        apply = self.hessian_first_layer if kind == "hessian" else self.g_first_layer
        return apply(np.array(I))
