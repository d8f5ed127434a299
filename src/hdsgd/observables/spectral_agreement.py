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


def outlier_relative_errors(theory_outliers, edge: float, empirical_desc,
                            separation: float) -> np.ndarray:
    """``|emp_j - theory_j| / theory_j`` for the separated theory outliers, matched by rank.

    theory_outliers: largest first (NaN-padded); empirical_desc: eigenvalues, largest first.
    """
    t = np.asarray(theory_outliers, dtype=float)
    e = np.asarray(empirical_desc, dtype=float)[: t.size]
    mask = separated(t, edge, separation)
    return np.abs(e[mask] - t[mask]) / t[mask]


def histogram_density(eigs, bins: np.ndarray):
    """(centres, density) of a normalised histogram of eigenvalues on the given bin edges."""
    h, edges = np.histogram(np.asarray(eigs).ravel(), bins=bins, density=True)
    return 0.5 * (edges[1:] + edges[:-1]), h
