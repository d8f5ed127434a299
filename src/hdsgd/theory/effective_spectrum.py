"""The limiting spectrum of a Hessian / G-matrix block as a function of the Gram matrix.

arXiv 2502.15655 (main theorem, specialised to multi-class logistic regression): the bulk law,
the outliers and the eigenvector overlaps of the (c, c) blocks of the test-data Hessian and
G-matrix depend on x only through G = (x, mu)^T (x, mu). Along SGD, G follows the effective
dynamics (arXiv 2206.04030; :mod:`hdsgd.theory.gmm_effective_dynamics`), so evaluating this map
along the ODE solution gives the "effective spectrum" along training.
"""

from __future__ import annotations

import numpy as np

from hdsgd.theory.gram_quadrature import GramQuadrature, block_weight_law
from hdsgd.theory.limiting_spectra import left_edge, outliers, right_edge

__all__ = ["gram_from_summary", "initial_gram", "block_summary", "training_checkpoints"]


def gram_from_summary(m: np.ndarray, Q: np.ndarray, means_gram: np.ndarray) -> np.ndarray:
    """G = [[x x^T, x mu^T], [mu x^T, mu mu^T]] from m = (x^c . mu_a) and Q = (x^c . x^e)."""
    return np.block([[Q, m], [m.T, means_gram]])


def initial_gram(k: int, means_gram: np.ndarray | None = None) -> np.ndarray:
    """Gram matrix at x = 0 (the start of training used here)."""
    mg = np.eye(k) if means_gram is None else means_gram
    return gram_from_summary(np.zeros((k, k)), np.zeros((k, k)), mg)


def block_summary(G: np.ndarray, *, k: int, p: np.ndarray, lam: float, phi: float, c: int,
                  kind: str, n_gh: int, n_bins: int, max_outliers: int) -> dict:
    """Edges, outliers and the mass of mu_c in the outlier eigenspace for one block.

    Returns a dict with ``law`` (the binned :class:`ScalarWeightLaw`), ``left``, ``right``
    (bulk edges), ``outliers`` (max_outliers,) NaN-padded, largest first, and ``overlap``:
    ``sum_i (mu_c . e_i)^2 / |mu_c|^2`` over the outlier eigenvectors e_i (basis-free even when
    outliers are degenerate).
    """
    quad = GramQuadrature.build(G, k, p, lam, n_gh=n_gh)
    law = block_weight_law(quad, c, kind, phi, n_bins=n_bins)
    locs, vecs, norms = outliers(law)
    u = quad.unit_coords(k + c)
    padded = np.full(max_outliers, np.nan)
    padded[: min(locs.size, max_outliers)] = locs[:max_outliers]
    overlap = float(sum((v @ u) ** 2 / n for v, n in zip(vecs, norms)))
    return {"law": law, "left": left_edge(law), "right": right_edge(law), "outliers": padded,
            "n_outliers": int(locs.size), "overlap": overlap}


def training_checkpoints(t_max: float, n_times: int, extra, delta: float):
    """SGD steps and their times ``step * delta`` for ``linspace(0, t_max, n_times)`` + extra.

    The ODE is evaluated at exactly these times, so theory and SGD share the time axis.
    """
    times = np.concatenate([np.linspace(0.0, t_max, n_times), np.asarray(extra, dtype=float)])
    steps = np.unique(np.rint(times / delta).astype(np.int64))
    return steps, steps * delta
