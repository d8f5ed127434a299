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

(the ``beta`` terms inside G only when ``include_ridge``); they are applied matrix-free by
:class:`hdsgd.observables.block_operators.XorBlockOperators`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit


def forward(W: np.ndarray, v: np.ndarray, Y: np.ndarray):
    """Pre-activations ``W Y_j`` (M, K), hidden ``h = ReLU`` (M, K) and outputs ``s`` (M,).

    The product runs in the sample's precision (no copy of a float32 ``Y``); results are
    float64."""
    Y = np.asarray(Y)
    pre = (Y @ np.asarray(W).T.astype(Y.dtype, copy=False)).astype(np.float64, copy=False)
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
