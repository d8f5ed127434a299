"""Empirical convergence boundaries from simulated (alpha, beta) grids, compared with theory.

For a grid ``converges[beta_i, alpha_j]`` (True where simulated SGD converged) the empirical
critical learning rate at momentum beta_i is the largest grid alpha below which every grid
point converged: ``alpha_c^sim(beta_i) = alphas[j* - 1]`` with j* the first non-converging
index (``nan`` if even the smallest alpha fails, ``inf`` if none fails). Its resolution is the
grid step, so comparisons with the SE critical alpha (paper Prop. 4 / eq. 22) use the relative
gap ``|alpha_c^sim - alpha_c^SE| / alpha_c^SE`` with a tolerance of order ``d_alpha / alpha_c``.
"""

from __future__ import annotations

import numpy as np


def empirical_critical_alpha(alphas: np.ndarray, converges: np.ndarray) -> np.ndarray:
    """Largest grid alpha of the converging prefix of each row of ``converges``
    (n_beta, n_alpha)."""
    alphas = np.asarray(alphas, dtype=float)
    conv = np.asarray(converges, dtype=bool)
    if conv.shape[-1] != alphas.size or np.any(np.diff(alphas) <= 0):
        raise ValueError("converges must have one column per increasing alpha")
    first_bad = np.where(~conv.any(axis=-1) | ~conv[..., 0], 0, np.argmin(conv, axis=-1))
    all_ok = conv.all(axis=-1)
    out = np.where(first_bad > 0, alphas[np.maximum(first_bad - 1, 0)], np.nan)
    return np.where(all_ok, np.inf, out)


def region_agreement(sim: np.ndarray, theory: np.ndarray) -> float:
    """Fraction of grid points where simulation and theory agree on convergence."""
    sim, theory = np.asarray(sim, dtype=bool), np.asarray(theory, dtype=bool)
    if sim.shape != theory.shape:
        raise ValueError(f"grid shapes differ: {sim.shape} vs {theory.shape}")
    return float(np.mean(sim == theory))


def relative_boundary_gap(alpha_sim: np.ndarray, alpha_theory: np.ndarray) -> np.ndarray:
    """``|alpha_sim - alpha_theory| / alpha_theory`` where both are finite (else nan)."""
    a, t = np.asarray(alpha_sim, dtype=float), np.asarray(alpha_theory, dtype=float)
    ok = np.isfinite(a) & np.isfinite(t) & (t > 0)
    return np.where(ok, np.abs(a - t) / np.where(ok, t, 1.0), np.nan)
