"""Two-layer ReLU -> sigmoid network with binary cross-entropy and ridge (arXiv 2310.03010, XOR).

Parameters ``x = (W, v)``, ``W`` (K, d) with rows ``W_i``, ``v`` (K,). For a sample ``(y, Y)``:
``h = g(W Y)`` (``g = ReLU``), ``s = v . h`` and

    L(x; y, Y) = -y s + log(1 + e^s) + (beta/2)(||W||_F^2 + ||v||^2).

With ``r = sigma(s) - y`` and ``sigma' = sigma(s)(1 - sigma(s))`` the per-sample gradient is
``grad_v L = r h + beta v``, ``grad_{W_i} L = r v_i 1{W_i.Y > 0} Y + beta W_i``. On a test sample
``(y_j, Y_j)``, j <= M, the diagonal blocks of the empirical Hessian and G-matrix
``G = (1/M) sum_j grad L grad L^T`` are (``g'' = 0`` a.e. for ReLU):

    H_{W_iW_i} = (1/M) sum_j sigma'_j v_i^2 1{W_i.Y_j > 0} Y_j Y_j^T + beta I_d
    G_{W_iW_i} = (1/M) sum_j (c_ji Y_j + beta W_i)(c_ji Y_j + beta W_i)^T,  c_ji = r_j v_i 1{.}
    H_vv       = (1/M) sum_j sigma'_j h_j h_j^T + beta I_K
    G_vv       = (1/M) sum_j (r_j h_j + beta v)(r_j h_j + beta v)^T

(the ``beta`` terms inside G only when ``include_ridge``). The K first-layer blocks are applied
to a block of vectors ``V`` (K, d, p) in one pass: ``U = Y [V_1 .. V_K]`` (one M x d x Kp
product), weight, ``Y^T U`` (one more): ``2 M d K p`` flops for all units together.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit


def forward(W: np.ndarray, v: np.ndarray, Y: np.ndarray):
    """Pre-activations ``W Y_j`` (M, K), hidden ``h = ReLU`` (M, K) and outputs ``s`` (M,)."""
    pre = Y @ W.T
    h = np.maximum(pre, 0.0)
    return pre, h, h @ v


def loss(W, v, y, Y, beta: float) -> float:
    """Mean loss over the sample plus the ridge term (module docstring)."""
    _, _, s = forward(W, v, Y)
    data = np.mean(np.logaddexp(0.0, s) - y * s)
    return float(data + 0.5 * beta * (np.sum(W * W) + np.sum(v * v)))


def gradient(W, v, y, Y, beta: float):
    """Gradient of :func:`loss`: ``(grad_W (K, d), grad_v (K,))``."""
    pre, h, s = forward(W, v, Y)
    r = expit(s) - y
    M = Y.shape[0]
    gv = h.T @ r / M + beta * v
    C = r[:, None] * v[None, :] * (pre > 0)                  # c_ji = r_j v_i 1{W_i.Y_j > 0}
    gW = C.T @ Y / M + beta * W
    return gW, gv


def per_sample_gradients(W, v, y, Y, beta: float):
    """Per-sample gradients ``(grad_W (M, K, d), grad_v (M, K))`` (dense; for small M, d)."""
    pre, h, s = forward(W, v, Y)
    r = expit(s) - y
    gv = r[:, None] * h + beta * v
    C = r[:, None] * v[None, :] * (pre > 0)
    gW = C[:, :, None] * Y[:, None, :] + beta * W
    return gW, gv


def accuracy(W, v, y, Y) -> float:
    """Fraction of samples with ``1{s > 0} = y``."""
    _, _, s = forward(W, v, Y)
    return float(np.mean((s > 0) == (y > 0.5)))


def hidden_class_accuracy(W, v, y, Y, hidden) -> np.ndarray:
    """Accuracy on the samples of each hidden class 0..3 (+mu, -mu, +nu, -nu)."""
    _, _, s = forward(W, v, Y)
    ok = (s > 0) == (y > 0.5)
    return np.array([ok[hidden == c].mean() if np.any(hidden == c) else np.nan
                     for c in range(4)])


def mean_representation_singular_values(W, hidden_means) -> np.ndarray:
    """Singular values of the 4 x K matrix ``[g(W theta)]_theta`` of the hidden means.

    Its rank is the dimension of span{g(W theta)}, the space the outliers of the vv blocks
    live in (paper's XOR subspace theorem): fewer than 4 non-zero values = rank deficiency.
    """
    return np.linalg.svd(np.maximum(hidden_means @ W.T, 0.0), compute_uv=False)


class XorBlockOperators:
    """Diagonal Hessian / G-matrix blocks of the two-layer net at ``(W, v)`` on a test sample.

    ``dtype`` is the precision of the two large products (float32 halves their cost).
    """

    def __init__(self, W, v, y, Y, beta: float, *, include_ridge: bool = True, dtype=np.float64):
        self.W = np.asarray(W, dtype=np.float64)
        self.v = np.asarray(v, dtype=np.float64)
        self.beta = float(beta)
        self.include_ridge = include_ridge
        self.dtype = dtype
        Y64 = np.asarray(Y, dtype=np.float64)
        self.Y = np.asarray(Y, dtype=dtype)
        self.M, self.d = Y64.shape
        self.K = self.W.shape[0]
        pre, h, s = forward(self.W, self.v, Y64)
        sig = expit(s)
        self.h = h
        self.r = sig - np.asarray(y, dtype=np.float64)
        self.sigma_prime = sig * (1.0 - sig)
        act = pre > 0
        self.hess_weights = self.sigma_prime[:, None] * self.v[None, :] ** 2 * act   # (M, K)
        C = self.r[:, None] * self.v[None, :] * act                                   # (M, K)
        self.g_weights = C * C
        self.a = C.T @ Y64 / self.M          # a_i = (1/M) sum_j c_ji Y_j  (K, d)

    def _weighted_gram(self, weights: np.ndarray, V: np.ndarray) -> np.ndarray:
        """``(1/M) Y^T diag(weights[:, i]) Y V_i`` for every unit i, in two matrix products."""
        K, d, p = V.shape
        Vflat = np.transpose(V, (1, 0, 2)).reshape(d, K * p).astype(self.dtype, copy=False)
        U = (self.Y @ Vflat).reshape(self.M, K, p)
        U *= weights.astype(self.dtype, copy=False)[:, :, None]
        out = (self.Y.T @ U.reshape(self.M, K * p)).reshape(d, K, p)
        return np.transpose(out, (1, 0, 2)).astype(np.float64) / self.M

    def hessian_first_layer(self, V: np.ndarray) -> np.ndarray:
        """``H_{W_iW_i} V_i`` for all units: V (K, d, p) -> (K, d, p)."""
        return self._weighted_gram(self.hess_weights, V) + self.beta * V

    def g_first_layer(self, V: np.ndarray) -> np.ndarray:
        """``G_{W_iW_i} V_i`` for all units: V (K, d, p) -> (K, d, p)."""
        out = self._weighted_gram(self.g_weights, V)
        if self.include_ridge:
            b, W, a = self.beta, self.W, self.a
            wv = np.einsum("kd,kdp->kp", W, V)
            av = np.einsum("kd,kdp->kp", a, V)
            out += b * W[:, :, None] * av[:, None, :] + b * a[:, :, None] * wv[:, None, :]
            out += b * b * W[:, :, None] * wv[:, None, :]
        return out

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
