"""Convergence in the dimension: the rate at which single runs approach a limiting theory.

For each size ``d`` (dimension, or the number of data points ``N``) and each independent run
``r``, a stage measures the mean squared gap between the run and the theory over the times (or
grid points) that carry the figure's claim,

    e_r(d) = mean_t (x_r(t) - x_theory(t))^2,

and the figure plots the RMS gap over runs and times,

    G(d) = sqrt(mean_r e_r(d)),

against ``d`` on log-log axes. Under a correct limiting theory ``G(d) ~ C d^s`` with the
expected rate ``s`` (e.g. ``-1/2`` for fluctuations of single runs, ``-2/3`` for a
Tracy-Widom edge, ``-1`` for a 1/N bias); under a wrong theory ``G(d)`` levels off at its bias
and the fitted slope goes to 0. :func:`fit_rate` fits ``log G = a + s log d`` by least
squares and gives the slope an error bar by resampling the runs at every size (bootstrap),
so a noise-limited largest size shows as a wide error bar, not as a rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def squared_gaps(runs: np.ndarray, theory: np.ndarray, axis=-1) -> np.ndarray:
    """``e_r = mean_t (runs[r, t] - theory[t])^2``: one mean squared gap per run, the mean
    over ``axis`` (the times or grid points; several axes may be given)."""
    runs = np.asarray(runs, dtype=float)
    return np.mean((runs - np.asarray(theory, dtype=float)) ** 2, axis=axis)


@dataclass(frozen=True)
class RateFit:
    """Least-squares fit of ``log G(d) = intercept + slope log d`` with bootstrap spread."""

    sizes: np.ndarray       # the sizes d, increasing
    gap: np.ndarray         # G(d) = sqrt(mean_r e_r(d))
    gap_lo: np.ndarray      # 16th percentile of G(d) over bootstrap resamples of the runs
    gap_hi: np.ndarray      # 84th percentile
    runs: np.ndarray        # number of runs at each size
    slope: float
    intercept: float
    slope_se: float         # standard deviation of the slope over the bootstrap resamples

    def line(self, sizes, slope: float | None = None) -> np.ndarray:
        """The fitted line at ``sizes``; with ``slope``, a line of that slope through the fit at
        the geometric mean of the sizes (how an expected rate is drawn next to the data)."""
        sizes = np.asarray(sizes, dtype=float)
        if slope is None:
            return np.exp(self.intercept) * sizes ** self.slope
        centre = np.exp(np.mean(np.log(self.sizes)))
        return np.exp(self.intercept) * centre ** self.slope * (sizes / centre) ** slope


def _fit(log_d: np.ndarray, log_g: np.ndarray) -> tuple[float, float]:
    slope, intercept = np.polyfit(log_d, log_g, 1)
    return float(slope), float(intercept)


def fit_rate(sizes: Sequence[float], sq_gaps: Sequence[np.ndarray], *, n_boot: int = 400,
             seed: int = 0) -> RateFit:
    """Fit the rate of ``G(d) = sqrt(mean_r e_r(d))`` from per-run mean squared gaps.

    ``sq_gaps[i]`` holds ``e_r(sizes[i])`` for the runs at size ``i`` (sizes may have
    different numbers of runs). The slope's error bar resamples the runs at every size with
    replacement ``n_boot`` times (a fixed ``seed``: the stage stays byte-identical).
    """
    order = np.argsort(np.asarray(sizes, dtype=float))
    d = np.asarray(sizes, dtype=float)[order]
    e = [np.asarray(sq_gaps[i], dtype=float).ravel() for i in order]
    if len(d) < 3 or any(x.size < 2 for x in e):
        raise ValueError("a rate needs at least 3 sizes and 2 runs per size")
    g = np.sqrt([x.mean() for x in e])
    slope, intercept = _fit(np.log(d), np.log(g))
    gen = np.random.default_rng(seed)
    boot = np.empty((n_boot, len(d)))
    for i, x in enumerate(e):
        idx = gen.integers(0, x.size, size=(n_boot, x.size))
        boot[:, i] = np.sqrt(x[idx].mean(axis=1))
    slopes = np.polyfit(np.log(d), np.log(boot).T, 1)[0]
    lo, hi = np.percentile(boot, [16, 84], axis=0)
    return RateFit(sizes=d, gap=g, gap_lo=lo, gap_hi=hi,
                   runs=np.array([x.size for x in e]), slope=slope, intercept=intercept,
                   slope_se=float(np.std(slopes, ddof=1)))


def rate_rows(fit: RateFit, *, figure: str, paper: str, quantity: str, expected: float,
              tol: float, why_expected: str, difference: str = "") -> list[dict]:
    """The scorecard row of one fitted rate: ``|slope - expected| <= tol``.

    The claim names the quantity, the fitted slope with its bootstrap error, the expected rate
    and where it comes from, and the sizes and runs it was measured on."""
    from hdsgd.agreement import agreement_row

    sizes = ", ".join(f"{s:g}" for s in fit.sizes)
    claim = (f"{quantity}: gap to the theory falls like size^{expected:g} ({why_expected}); "
             f"fitted slope {fit.slope:.3f} +- {fit.slope_se:.3f} over sizes {sizes} "
             f"({int(fit.runs.min())}-{int(fit.runs.max())} runs each); |slope - expected|")
    return [agreement_row(figure, paper, claim, abs(fit.slope - expected), tol, "<=",
                          difference=difference)]


def rate_series(fit: RateFit, *, quantity: str, expected: float) -> list[dict]:
    """Tidy rows of one fitted rate for ``series.csv``: the measured gaps with their bootstrap
    band, the fitted line and the expected-rate line (both at the measured sizes)."""
    rows = []
    for i, d in enumerate(fit.sizes):
        rows.append({"quantity": quantity, "curve": "measured", "size": d,
                     "gap": fit.gap[i], "gap_lo": fit.gap_lo[i], "gap_hi": fit.gap_hi[i],
                     "runs": int(fit.runs[i]), "slope": fit.slope, "slope_se": fit.slope_se,
                     "expected": expected})
    for curve, line in (("fit", fit.line(fit.sizes)),
                        ("expected", fit.line(fit.sizes, slope=expected))):
        for d, g in zip(fit.sizes, line):
            rows.append({"quantity": quantity, "curve": curve, "size": d, "gap": g,
                         "gap_lo": np.nan, "gap_hi": np.nan, "runs": 0, "slope": fit.slope,
                         "slope_se": fit.slope_se, "expected": expected})
    return rows
