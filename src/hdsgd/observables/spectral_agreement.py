"""Theory-vs-empirical comparisons of spectra: outlier matching, edge and histogram helpers.

Used by the local-geometry figures (arXiv 2502.15655) to score the limiting spectrum against
dense eigenvalues. Finite-d outliers that sit within a few percent of the bulk edge carry
O(d^{-1/3}) shifts, so only outliers separated from the edge by a relative margin are scored.
"""

from __future__ import annotations

import numpy as np

__all__ = ["separated", "outlier_relative_errors", "histogram_density"]


def separated(theory_outliers: np.ndarray, edge: float, separation: float) -> np.ndarray:
    """Mask of theory outliers at least ``separation * edge`` above the bulk edge."""
    t = np.asarray(theory_outliers, dtype=float)
    return np.isfinite(t) & (t >= (1.0 + separation) * edge)


def outlier_relative_errors(theory_outliers, edge: float, empirical_desc, separation: float,
                            degenerate_rtol: float = 1e-6) -> np.ndarray:
    """Relative errors of the separated theory outliers, matched by rank.

    theory_outliers: largest first (NaN-padded); empirical_desc: eigenvalues, largest first.
    Theory outliers that coincide (a degenerate group, e.g. one per class mean at x = 0) split
    at finite n by O(n^{-1/2}) around the common value, so such a group is scored by the mean of
    its matched empirical eigenvalues: one error ``|mean(emp) - theory| / theory`` per group.
    """
    t = np.asarray(theory_outliers, dtype=float)
    e = np.asarray(empirical_desc, dtype=float)[: t.size]
    mask = separated(t, edge, separation)
    idx = np.flatnonzero(mask)
    errors = []
    start = 0
    while start < idx.size:
        stop = start + 1
        while stop < idx.size and abs(t[idx[stop]] - t[idx[start]]) <= degenerate_rtol * t[
                idx[start]]:
            stop += 1
        group = idx[start:stop]
        errors.append(abs(e[group].mean() - t[group[0]]) / t[group[0]])
        start = stop
    return np.asarray(errors)


def histogram_density(eigs, bins: np.ndarray):
    """(centres, density) of a normalised histogram of eigenvalues on the given bin edges."""
    h, edges = np.histogram(np.asarray(eigs).ravel(), bins=bins, density=True)
    return 0.5 * (edges[1:] + edges[:-1]), h


def level_crossing(times, values, level: float) -> float:
    """First time at which ``values`` falls from >= ``level`` to below it (linear between samples).

    ``times[0]`` if it starts below the level; ``times[-1]`` if it never falls below (the
    crossing lies beyond the last sample: censored there).
    """
    t = np.asarray(times, dtype=float)
    v = np.asarray(values, dtype=float)
    if v[0] < level:
        return float(t[0])
    below = np.flatnonzero(v < level)
    if below.size == 0:
        return float(t[-1])
    i = int(below[0])
    frac = (v[i - 1] - level) / (v[i - 1] - v[i])
    return float(t[i - 1] + frac * (t[i] - t[i - 1]))


def top_quantile(top_desc: np.ndarray, d: int, q: float) -> np.ndarray:
    """The q-quantile of a spectrum of d eigenvalues from its top values (..., m), largest first.

    Linear interpolation between order statistics, as ``numpy.quantile``; needs
    ``m > (d - 1)(1 - q) + 1``.
    """
    j = (d - 1) * (1.0 - q)
    lo = int(np.floor(j))
    if lo + 1 >= top_desc.shape[-1]:
        raise ValueError(f"{top_desc.shape[-1]} top eigenvalues do not reach the {q} quantile "
                         f"of {d}")
    f = j - lo
    return top_desc[..., lo] + f * (top_desc[..., lo + 1] - top_desc[..., lo])
