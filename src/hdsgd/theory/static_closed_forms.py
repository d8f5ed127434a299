"""Closed forms of the limiting spectrum at x = 0 (arXiv 2502.15655, multi-class logistic
regression at initialisation; re-derived here, docs/geometry.md).

At x = 0 every softmax probability is 1/C, so the weight of a sample of component a is a
constant w_a: ``(1/C)(1 - 1/C)`` for the Hessian block, ``(1/C - 1{c(a) = c})^2`` for the
G-matrix block (c, c). With orthonormal means the outlier matrix D(z) is diagonal in the means'
basis, ``D_aa = p_a w_a / (1 + c s w_a m) + 1/m`` (s = 1/lam, c = 1/phi, m = m(z)), so the outlier
along mu_a sits where

    m_a = -lam phi / (w_a (1 + lam phi p_a)),      z_a = z(m_a),

and exists iff m_a lies right of the bulk's critical point and of the pole, i.e. z'(m_a) > 0 and
``m_a > -lam phi / max w``. With uniform p and C = k the Hessian weight is constant and the
threshold is the BBP value ``lam = k / sqrt(phi)`` (equivalently ``phi = (k / lam)^2``).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

__all__ = ["initial_weights", "initial_outliers", "static_threshold"]


def initial_weights(kind: str, label_map: np.ndarray, c: int) -> np.ndarray:
    """Weights w_a (k,) of the (c, c) block at x = 0 for each component a."""
    label_map = np.asarray(label_map)
    C = int(label_map.max()) + 1
    if kind == "hessian":
        return np.full(label_map.size, (1.0 / C) * (1.0 - 1.0 / C))
    if kind == "g":
        return (1.0 / C - (label_map == c)) ** 2
    raise ValueError(f"kind must be 'hessian' or 'g', got {kind!r}")


def initial_outliers(kind: str, p, label_map, lam: float, phi: float, c: int):
    """(z_a, present_a) for each component a: the closed-form outlier along mu_a at x = 0."""
    p = np.asarray(p, dtype=float) / np.sum(p)
    w = initial_weights(kind, label_map, c)
    lp = lam * phi

    def z(m):
        return -1.0 / m + np.sum(p * w / (1.0 + w * m / lp)) / lam

    def dz(m):
        return 1.0 / m**2 - np.sum(p * w**2 / (1.0 + w * m / lp) ** 2) / (lam * lp)

    m_a = -lp / (w * (1.0 + lp * p))
    present = (m_a > -lp / w.max()) & np.array([dz(m) > 0 for m in m_a])
    return np.array([z(m) for m in m_a]), present


def static_threshold(kind: str, k: int, c: int, param: str, *, lam: float, phi: float,
                     bracket: tuple[float, float]) -> float:
    """Smallest value of ``param`` ("lam" or "phi") in ``bracket`` at which an outlier exists at
    x = 0 (uniform p, C = k), from the closed form; NaN if none in the bracket."""
    label_map = np.arange(k)

    def margin(v):
        par = {"lam": lam, "phi": phi, param: v}
        p = np.full(k, 1.0 / k)
        w = initial_weights(kind, label_map, c)
        lp = par["lam"] * par["phi"]
        m_a = -lp / (w * (1.0 + lp * p))
        dz = 1.0 / m_a**2 - np.array([np.sum(p * w**2 / (1.0 + w * m / lp) ** 2)
                                      for m in m_a]) / (par["lam"] * lp)
        ok = m_a > -lp / w.max()
        return float(np.max(np.where(ok, dz * m_a**2, -1.0)))

    lo, hi = bracket
    if margin(hi) <= 0:
        return float("nan")
    if margin(lo) > 0:
        return float(lo)
    return float(brentq(margin, lo, hi, xtol=1e-10 * hi))
