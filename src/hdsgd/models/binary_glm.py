"""Scalar GLM losses and their Gaussian expectations (arXiv 2510.14074; docs/exact_dynamics.md §2).

A linear predictor ``r = <x, a>`` is scored with a loss ``f(r; y)`` and a label ``y``:

* ``logistic``:      f = log(1 + e^{-y r}),  f' = -y sigma(-y r),  f'' = sigma(r) sigma(-r)
* ``least_squares``: f = (r - y)^2 / 2,       f' = r - y,           f'' = 1

Given a mixture class c, ``r ~ N(m_c, Q_c)`` exactly, so every population quantity is a
one-dimensional Gaussian integral. :func:`class_expectations` returns, per class,

    g_c = E f'(r),  H_c = E f''(r),  I_c = E f'(r)^2,  L_c = E f(r),

by probabilists' Gauss-Hermite quadrature (logistic) or in closed form (least squares).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.special import expit

LOSSES = ("logistic", "least_squares")


def check_loss(kind: str) -> str:
    """Return ``kind`` if it names a supported loss, else raise a ValueError naming it."""
    if kind not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {kind!r}")
    return kind


def loss(kind: str, r: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pointwise loss ``f(r; y)``."""
    if check_loss(kind) == "logistic":
        return np.logaddexp(0.0, -y * r)
    return 0.5 * (r - y) ** 2


def loss_derivative(kind: str, r: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pointwise ``f'(r; y) = d f / d r``."""
    if check_loss(kind) == "logistic":
        return -y * expit(-y * r)
    return r - y


@lru_cache(maxsize=8)
def gauss_hermite(n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes z and weights w (summing to 1) with ``sum w h(z) ~ E h(Z)``, ``Z ~ N(0, 1)``."""
    if n_nodes < 2:
        raise ValueError(f"n_nodes must be >= 2, got {n_nodes}")
    z, w = np.polynomial.hermite_e.hermegauss(n_nodes)
    z.setflags(write=False)
    w = w / w.sum()
    w.setflags(write=False)
    return z, w


def class_expectations(kind: str, m: np.ndarray, Q: np.ndarray, labels: np.ndarray,
                       n_nodes: int = 61) -> tuple[np.ndarray, ...]:
    """Per-class ``(g, H, I, L)`` for ``r ~ N(m, Q)``; ``m, Q`` broadcast against ``labels``.

    ``m`` and ``Q`` have shape (..., n_classes); ``labels`` (n_classes,). ``Q`` is clipped at 0
    (it is exactly 0 at a zero initialisation in the zero-one model).
    """
    m = np.asarray(m, dtype=float)
    Q = np.maximum(np.asarray(Q, dtype=float), 0.0)
    y = np.asarray(labels, dtype=float)
    if check_loss(kind) == "least_squares":
        res = m - y
        second = res**2 + Q
        return res, np.ones_like(res), second, 0.5 * second
    z, w = gauss_hermite(n_nodes)
    r = m[..., None] + np.sqrt(Q)[..., None] * z          # (..., n_classes, n_nodes)
    yr = y[:, None] * r
    s_minus = expit(-yr)                                  # sigma(-y r)
    g = -y * (s_minus @ w)
    H = (expit(r) * expit(-r)) @ w
    I = (s_minus**2) @ w
    L = np.logaddexp(0.0, -yr) @ w
    return g, H, I, L


def population_risk(kind: str, m: np.ndarray, Q: np.ndarray, labels: np.ndarray,
                    probs: np.ndarray, n_nodes: int = 61) -> np.ndarray:
    """``L = sum_c p_c E_{r ~ N(m_c, Q_c)} f(r; y_c)`` over the last axis of ``m, Q``."""
    L = class_expectations(kind, m, Q, labels, n_nodes)[3]
    return L @ np.asarray(probs, dtype=float)
