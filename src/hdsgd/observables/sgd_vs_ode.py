"""SGD-over-seeds against ODE curves: tidy long tables and the agreement numbers.

For an observable recorded on runs ``(G, S, T)`` (learning rates x seeds x times) and its ODE
prediction ``(G, T)``, the table holds per (gamma, t) the ODE value, the SGD mean and the
10-90 % band over seeds. Agreement numbers (docs/exact_dynamics.md §6):

* :func:`max_relative_gap` ``max_{gamma, t} |mean_S sgd - ode| / |ode|`` (overlaps, cosines);
* :func:`risk_gap` for a risk that starts at ``L(0)``: the gap relative to
  ``min(L(0) - L_ode(t), L_ode(t))``, the smaller of the learned and the remaining part, so that
  neither the starting value nor the final level can hide a disagreement; normalised by
  :func:`normalised_gap` (within a relative tolerance, or within ``Z_SE`` standard errors of the
  SGD mean where the seeds cannot resolve that tolerance), pass iff <= 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAND = (10.0, 90.0)  # percentile band over seeds drawn around the SGD mean


def band_table(run: str, quantity: str, gammas, t, ode: np.ndarray, sgd: np.ndarray, *,
               x_name: str = "t") -> pd.DataFrame:
    """Long table: run, quantity, gamma, x_name (``t``), source (ode|sgd_mean|sgd_lo|sgd_hi), value.

    ``ode`` is (G, T) and ``sgd`` (G, S, T); ``t`` (T,) or, per gamma, (G, T).
    """
    gammas = np.asarray(gammas, dtype=float)
    lo, hi = np.percentile(sgd, BAND, axis=1)
    rows = []
    for source, arr in [("ode", ode), ("sgd_mean", sgd.mean(axis=1)), ("sgd_lo", lo),
                        ("sgd_hi", hi)]:
        for g, x, vals in zip(gammas, np.broadcast_to(t, arr.shape), arr, strict=True):
            rows.append(pd.DataFrame({"run": run, "quantity": quantity, "gamma": g, x_name: x,
                                      "source": source, "value": vals}))
    return pd.concat(rows, ignore_index=True)


def log_bins(d: int, n_bins: int) -> np.ndarray:
    """Bin index (d,) of modes i = 1..d in ``n_bins`` bins equally spaced in log i."""
    i = np.arange(1, d + 1)
    return np.minimum((np.log(i) / np.log(d + 1) * n_bins).astype(int), n_bins - 1)


def binned_profile(v: np.ndarray, mu: np.ndarray, bins: np.ndarray) -> np.ndarray:
    """Per-bin weight per unit mean ``sum_{i in bin} mu_i v_i / sum_{i in bin} mu_i^2``."""
    n = bins.max() + 1
    num = np.stack([np.bincount(bins, weights=mu * row, minlength=n)
                    for row in np.reshape(v, (-1, v.shape[-1]))])
    den = np.bincount(bins, weights=mu * mu, minlength=n)
    return (num / den).reshape(*v.shape[:-1], n)


Z_SE = 4.0  # a gap within Z_SE standard errors of the SGD mean is attributed to seed noise


def normalised_gap(ode: np.ndarray, sgd: np.ndarray, scale: np.ndarray, rel_tol: float,
                   z: float = Z_SE) -> float:
    """``max |mean_S sgd - ode| / max(rel_tol |scale|, z SE)``; pass iff <= 1.

    ``ode`` and ``scale`` (..., T), ``sgd`` (..., S, T); SE is the standard error of the mean
    over the S seeds. The gap must be below ``rel_tol`` of the scale, or within ``z`` standard
    errors where the seeds do not resolve the curve that finely.
    """
    mean = sgd.mean(axis=-2)
    se = sgd.std(axis=-2, ddof=1) / np.sqrt(sgd.shape[-2])
    return float(np.max(np.abs(mean - ode) / np.maximum(rel_tol * np.abs(scale), z * se)))


def rms_standard_score(ode: np.ndarray, sgd: np.ndarray) -> float:
    """RMS over all entries of ``(mean_S sgd - ode) / SE``: about 1 (``sqrt((S-1)/(S-3))``
    for S seeds) when the SGD means scatter about the ODE like seed noise; a wrong theory
    shifts every mean the same way and drives it up. ``ode`` (..., T), ``sgd`` (..., S, T)."""
    S = sgd.shape[-2]
    se = sgd.std(axis=-2, ddof=1) / np.sqrt(S)
    return float(np.sqrt(np.mean(((sgd.mean(axis=-2) - ode) / se) ** 2)))


def risk_scale(ode: np.ndarray) -> np.ndarray:
    """``min(|L(0) - L(t)|, L(t))``: the smaller of the learned and the remaining risk."""
    return np.minimum(np.abs(ode[..., :1] - ode), np.abs(ode))


def risk_gap(ode: np.ndarray, sgd: np.ndarray, t, t_agree: float, rel_tol: float,
             z: float = Z_SE) -> float:
    """:func:`normalised_gap` of the risk over ``t >= t_agree`` with the scale
    :func:`risk_scale`: neither a large starting value nor a small final level of the risk can
    hide a disagreement. ``ode`` (G, T), ``sgd`` (G, S, T), ``t[0] = 0``."""
    t = np.asarray(t, dtype=float)
    if t[0] != 0.0:
        raise ValueError("the recorded times must start at t = 0 (the risk L(0))")
    keep = t >= t_agree
    if not keep.any():
        raise ValueError(f"no recorded time is >= t_agree = {t_agree}")
    return normalised_gap(ode[:, keep], sgd[..., keep], risk_scale(ode)[:, keep], rel_tol, z)


def max_relative_gap(ode: np.ndarray, sgd: np.ndarray) -> float:
    """``max |mean over seeds of sgd - ode| / |ode|`` over gammas and times."""
    return float(np.max(np.abs(sgd.mean(axis=1) - ode) / np.abs(ode)))
