"""Multi-class logistic (softmax) regression with ridge penalty (arXiv 2310.03010, §2).

Parameters ``x`` (k, d), one row ``x^c`` per class. For a sample (one-hot ``y``, ``Y``)

    L(x; y, Y) = -sum_c y_c x^c.Y + log sum_c exp(x^c.Y) + (beta/2) ||x||^2,

with softmax ``pi_c = exp(x^c.Y) / sum_b exp(x^b.Y)``. Derivatives:

    grad_{x^c} L = (pi_c - y_c) Y + beta x^c
    hess_{x^c x^e} L = (pi_c delta_ce - pi_c pi_e) Y Y^T + beta delta_ce I.

The empirical risk over a sample is the mean of L; its Hessian is the mean of the per-sample
Hessians and the G-matrix is the mean of ``grad L grad L^T`` (uncentred second moment).
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp, softmax


def probabilities(x: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Softmax probabilities ``pi`` (n, k) for parameters ``x`` (k, d) and data ``Y`` (n, d)."""
    return softmax(Y @ x.T, axis=1)


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((labels.shape[0], k))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def risk(x, labels, Y, beta: float) -> float:
    """Empirical risk: mean cross-entropy plus ``(beta/2)||x||^2``."""
    z = Y @ x.T
    ce = logsumexp(z, axis=1) - z[np.arange(len(labels)), labels]
    return float(ce.mean() + 0.5 * beta * np.sum(x * x))


def gradient(x, labels, Y, beta: float) -> np.ndarray:
    """Gradient of the empirical risk, shape (k, d)."""
    a = probabilities(x, Y) - one_hot(labels, x.shape[0])
    return a.T @ Y / Y.shape[0] + beta * x


def hessian_vector_product(x, labels, Y, beta: float, v: np.ndarray) -> np.ndarray:
    """``(hess R) v`` for a direction ``v`` (k, d), without forming the Hessian.

    ``(H v)^c = mean_j [pi_c s_c - pi_c (pi . s)]_j Y_j + beta v^c`` with ``s = (v^e . Y_j)_e``.
    """
    pi = probabilities(x, Y)
    s = Y @ v.T
    t = pi * s - pi * np.sum(pi * s, axis=1, keepdims=True)
    return t.T @ Y / Y.shape[0] + beta * v


def dense_hessian(x, labels, Y, beta: float) -> np.ndarray:
    """Full (k d) x (k d) Hessian of the empirical risk (class-major flattening). Tests only."""
    k, d = x.shape
    n = Y.shape[0]
    pi = probabilities(x, Y)
    H = np.zeros((k, d, k, d))
    for c in range(k):
        for e in range(k):
            w = pi[:, c] * ((c == e) - pi[:, e])
            H[c, :, e, :] = (Y * w[:, None]).T @ Y / n
    H = H.reshape(k * d, k * d)
    return H + beta * np.eye(k * d)


def per_sample_gradients(x, labels, Y, beta: float) -> np.ndarray:
    """Per-sample gradients (n, k, d): ``(pi_c - y_c) Y_j + beta x^c``."""
    a = probabilities(x, Y) - one_hot(labels, x.shape[0])
    return a[:, :, None] * Y[:, None, :] + beta * x[None]


def dense_g_matrix(x, labels, Y, beta: float, include_ridge: bool = True) -> np.ndarray:
    """Full G-matrix ``mean_j grad L_j grad L_j^T`` (k d x k d). Tests only."""
    g = per_sample_gradients(x, labels, Y, beta if include_ridge else 0.0)
    g = g.reshape(Y.shape[0], -1)
    return g.T @ g / Y.shape[0]


def accuracy(x, labels, Y) -> float:
    """Fraction of samples whose largest logit is their class."""
    return float(np.mean(np.argmax(Y @ x.T, axis=1) == labels))
