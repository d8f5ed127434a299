"""Diagonal blocks of the empirical Hessian and G-matrix of softmax regression, matrix-free.

On a test sample ``(labels_j, Y_j)``, j = 1..M, at parameters ``x`` (k, d) with softmax ``pi``
and residual ``a_j = pi_j - y_j`` (arXiv 2310.03010, §2; brief §5.1):

    H_cc = (1/M) sum_j pi_jc (1 - pi_jc) Y_j Y_j^T + beta I
    G_cc = (1/M) sum_j (a_jc Y_j + beta x^c)(a_jc Y_j + beta x^c)^T
         = (1/M) sum_j a_jc^2 Y_j Y_j^T + beta (x^c u_c^T + u_c x^cT) + beta^2 x^c x^cT,

with ``u_c = (1/M) sum_j a_jc Y_j`` (the ridge terms only when ``include_ridge``).
All 2k blocks act on a block of vectors ``V`` (2k, d, p) in one pass over the data: two
matrix products ``Y @ V`` and ``Y^T @ (W * (Y V))`` with ``2 k p`` columns each.
"""

from __future__ import annotations

import numpy as np

from hdsgd.models.softmax_regression import one_hot, probabilities


class SoftmaxCurvatureBlocks:
    """The 2k diagonal blocks ``[H_11..H_kk, G_11..G_kk]`` of softmax regression at ``x``.

    ``dtype`` sets the precision of the two large matrix products (float32 halves their
    cost; the small corrections stay in float64).
    """

    def __init__(self, x, labels, Y, beta: float, *, include_ridge: bool = True,
                 dtype=np.float64):
        self.x = np.asarray(x, dtype=np.float64)
        self.k, self.d = self.x.shape
        self.beta = float(beta)
        self.include_ridge = include_ridge
        self.M = Y.shape[0]
        pi = probabilities(self.x, np.asarray(Y, dtype=np.float64))
        a = pi - one_hot(labels, self.k)
        self.weights = np.concatenate([pi * (1 - pi), a * a], axis=1)      # (M, 2k)
        self.u = a.T @ Y / self.M                                           # (k, d)
        self.Y = np.ascontiguousarray(Y, dtype=dtype)
        self.dtype = dtype

    @property
    def n_blocks(self) -> int:
        return 2 * self.k

    def apply(self, V: np.ndarray, blocks=None) -> np.ndarray:
        """Apply blocks to their own vectors in one pass over the data.

        ``V`` (B, d, p) holds vectors for the blocks ``blocks`` (indices into
        ``[H_11..H_kk, G_11..G_kk]``; default all 2k), and the result has the same shape.
        """
        idx = np.arange(self.n_blocks) if blocks is None else np.asarray(blocks)
        B, d, p = V.shape
        if B != idx.size or d != self.d:
            raise ValueError(f"expected V of shape ({idx.size}, {self.d}, p), got {V.shape}")
        Vc = np.ascontiguousarray(V.transpose(1, 0, 2).reshape(d, B * p), dtype=self.dtype)
        S = self.Y @ Vc                                                     # (M, B p)
        S = S.reshape(self.M, B, p)
        S *= self.weights[:, idx, None].astype(self.dtype, copy=False)
        out = (self.Y.T @ S.reshape(self.M, B * p)).astype(np.float64) / self.M
        out = np.ascontiguousarray(out.reshape(d, B, p).transpose(1, 0, 2))
        k = self.k
        hess = idx < k
        out[hess] += self.beta * V[hess]
        g = ~hess
        if self.include_ridge and g.any():
            c = idx[g] - k
            x, u, b, Vg = self.x[c], self.u[c], self.beta, V[g]
            xv = np.einsum("cd,cdp->cp", x, Vg)
            uv = np.einsum("cd,cdp->cp", u, Vg)
            out[g] += b * (x[:, :, None] * uv[:, None, :] + u[:, :, None] * xv[:, None, :])
            out[g] += b * b * x[:, :, None] * xv[:, None, :]
        return out

    def dense(self) -> np.ndarray:
        """Form all 2k blocks densely, (2k, d, d): the O(M d^2)-per-block baseline."""
        Y = self.Y.astype(np.float64, copy=False)
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
