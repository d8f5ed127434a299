"""SGD-over-seeds against ODE curves: tidy long tables and the agreement number.

For an observable recorded on runs ``(G, S, T)`` (learning rates x seeds x times) and its ODE
prediction ``(G, T)``, the table holds per (gamma, t) the ODE value, the SGD mean and the
10-90 % band over seeds; the agreement is the max relative gap
``max_{gamma, t} |mean_S sgd - ode| / |ode|``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAND = (10.0, 90.0)  # percentile band over seeds drawn around the SGD mean


def geometric_times(t_min: float, t_max: float, n: int, d: int) -> np.ndarray:
    """``n`` geometric times in [t_min, t_max] snapped to SGD steps (multiples of 1/d), unique."""
    if not 0 < t_min < t_max:
        raise ValueError(f"need 0 < t_min < t_max, got {t_min}, {t_max}")
    t = np.geomspace(t_min, t_max, n)
    return np.unique(np.maximum(np.rint(t * d), 1)) / d


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


def max_relative_gap(ode: np.ndarray, sgd: np.ndarray) -> float:
    """``max |mean over seeds of sgd - ode| / |ode|`` over gammas and times."""
    return float(np.max(np.abs(sgd.mean(axis=1) - ode) / np.abs(ode)))
