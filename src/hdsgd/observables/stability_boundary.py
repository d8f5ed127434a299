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


def window_record_steps(n_steps: int, n_per_window: int = 20):
    """Recorded steps for :func:`diverged_or_rising`: 0, a window ending at n_steps / 2 and a
    window ending at n_steps (each ``n_per_window`` steps spread over the last 10 % before
    its end)."""
    def window(end):
        return np.linspace(0.9 * end, end, n_per_window).round().astype(int)
    return np.unique(np.r_[0, window(n_steps // 2), window(n_steps)])


def diverged_or_rising(steps: np.ndarray, losses: np.ndarray, blew_up: np.ndarray,
                       n_steps: int) -> np.ndarray:
    """Simulated divergence verdict per configuration, from the simulation alone.

    ``losses`` (S, G, R) at ``steps`` (from :func:`window_record_steps`), ``blew_up`` (S, G):
    diverged if any seed blew up, or if the seed-averaged mean log-loss over the last window is
    above that over the window ending at n_steps / 2 (eventual divergence near the boundary is
    slow: the loss turns up long before it overflows)."""
    steps = np.asarray(steps)
    mid = (steps > 0) & (steps <= n_steps // 2)
    late = steps > n_steps // 2
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.asarray(losses, dtype=float))
        rising = logs[..., late].mean(axis=-1) > logs[..., mid].mean(axis=-1)
    return np.asarray(blew_up).any(axis=0) | rising.any(axis=0) | ~np.isfinite(
        logs[..., -1]).all(axis=0)


def bisect_critical_alpha(diverges, betas, alpha_grid, *, rounds: int, points: int):
    """Simulated critical learning rate per momentum, refined near the divergence edge.

    ``diverges(alphas, betas) -> bool (G,)`` runs one vectorised simulation of the G
    configurations and returns its verdict (never a theory output). Round 0 evaluates every
    momentum on the increasing ``alpha_grid``; the bracket of a row is (last alpha before the
    first diverging one, that alpha). Each further round evaluates ``points`` log-spaced
    interior alphas of every open bracket and keeps the sub-interval where the verdict
    switches: the bracket shrinks by a factor ``points + 1`` per round.

    Returns (lo, hi), arrays over ``betas``: every tried alpha <= lo converged, hi diverged.
    lo = 0 where the smallest grid alpha diverges, hi = inf where none does.
    """
    betas = np.asarray(betas, dtype=float)
    grid = np.asarray(alpha_grid, dtype=float)
    if np.any(np.diff(grid) <= 0) or grid[0] <= 0:
        raise ValueError("alpha_grid must be positive and increasing")
    a = np.broadcast_to(grid, (betas.size, grid.size))
    b = np.broadcast_to(betas[:, None], a.shape)
    div = np.asarray(diverges(a.ravel(), b.ravel()), dtype=bool).reshape(a.shape)
    first = np.where(div.any(axis=1), np.argmax(div, axis=1), grid.size)
    lo = np.where(first > 0, grid[np.maximum(first - 1, 0)], 0.0)
    hi = np.where(first < grid.size, grid[np.minimum(first, grid.size - 1)], np.inf)
    for _ in range(rounds):
        open_ = (lo > 0) & np.isfinite(hi)
        if not open_.any():
            break
        rows = np.flatnonzero(open_)
        frac = np.arange(1, points + 1) / (points + 1)
        trial = np.exp(np.log(lo[rows, None]) + frac * np.log(hi[rows] / lo[rows])[:, None])
        d = np.asarray(diverges(trial.ravel(), np.repeat(betas[rows], points)),
                       dtype=bool).reshape(trial.shape)
        k = np.where(d.any(axis=1), np.argmax(d, axis=1), points)
        new_lo = np.where(k > 0, trial[np.arange(rows.size), np.maximum(k - 1, 0)], lo[rows])
        new_hi = np.where(k < points, trial[np.arange(rows.size), np.minimum(k, points - 1)],
                          hi[rows])
        lo[rows], hi[rows] = new_lo, new_hi
    return lo, hi
