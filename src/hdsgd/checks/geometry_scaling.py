"""Convergence in d of the Hessian block's spectrum to its limiting law (arXiv 2502.15655;
``figures/geometry_scaling.pdf``, docs/geometry.md "Convergence in d").

At every dimension d (phi = n/d fixed) the whole spectrum of the (c, c) Hessian block on fresh
test samples is compared with the limiting law of the theory stage (the main run's effective
spectrum: bulk CDF and outliers), at x = 0 and at one time t along SGD, by

* ``ks_x0``: the Kolmogorov distance at x = 0, one test sample per "run". The weight
  pi_c (1 - pi_c) = (1/C)(1 - 1/C) is a constant there, so the block is a sample covariance
  with a rank-k mean part: its counting function is rigid at scale d^-1 up to logarithms
  (the k outliers add k/d). Expected rate d^-1.
* ``ks_limit``: the Kolmogorov distance at t between the SGD iterates' blocks and the limiting
  law at the ODE's Gram matrix. Once x != 0 every test point has its own random weight, and the
  spectrum follows the *empirical* law of the n weights, whose averages are O(n^-1/2) from
  their limits (and the iterate's Gram matrix is O(d^-1/2) from the ODE's). Expected rate
  d^-1/2 (asymptotically; the d^-1 part still matters at small d).
* ``ks_sample``: the same spectra against the law of each test sample's own weights (the same
  self-consistent equation with the sample's weight histogram, s = 1/lambda, phi): the
  random-matrix part alone. Expected rate d^-1, as at x = 0.
* ``outliers_x0`` / ``outliers_train``: the top eigenvalues against the theory's outliers that
  lie at least ``min_separation`` above its bulk edge (closer ones carry edge effects at small
  d). Outliers of spiked sample covariances fluctuate by O(n^-1/2): expected rate d^-1/2.

A "run" is what the bootstrap resamples: a test sample at x = 0, an SGD run (with its test
samples, whose squared gaps are averaged) at t. Rates come from
:mod:`hdsgd.observables.convergence_rate`; this module only says what is compared.
"""

from __future__ import annotations

import numpy as np

from hdsgd.observables.convergence_rate import RateFit, fit_rate, rate_rows, rate_series
from hdsgd.observables.empirical_spectra import kolmogorov_distance
from hdsgd.theory.limiting_spectra import ScalarWeightLaw, bulk_cdf_grid, cdf_from_grid

FIGURE = "geometry_scaling"
PAPER = "local_geometry"
# quantity -> (label on the figure, scorecard wording, why its rate is expected)
QUANTITIES = {
    "ks_x0": (r"x = 0, limiting law", "Kolmogorov distance at x = 0, test-data spectrum vs "
              "limiting law", "constant weight: rigid counting function, d^-1 up to logs"),
    "ks_limit": ("limiting law", "Kolmogorov distance at t = {t:g}, SGD iterates' spectrum vs "
                 "the limiting law along the ODE",
                 "the n test weights' empirical law is O(n^-1/2) from its limit"),
    "ks_sample": ("sample's own weights", "Kolmogorov distance at t = {t:g}, SGD "
                  "iterates' spectrum vs the law of the test sample's own weights",
                  "the random-matrix part alone: d^-1 up to logs, as at x = 0"),
    "outliers_x0": ("x = 0", "outlier eigenvalues at x = 0 vs the limiting outliers",
                    "spiked-covariance outliers fluctuate by O(n^-1/2)"),
    "outliers_train": ("t = {t:g}", "outlier eigenvalues at t = {t:g}, SGD iterates vs the "
                       "limiting outliers along the ODE",
                       "spiked-covariance outliers fluctuate by O(n^-1/2)"),
}


def law_cdf(grid: np.ndarray, cdf: np.ndarray, phi: float):
    """The limiting CDF as a callable, from its tabulated bulk (atom 1 - phi at 0 if phi < 1)."""
    return lambda x: cdf_from_grid(x, grid, cdf, phi)


def sample_law_cdf(weights: np.ndarray, lam: float, phi: float, *, n_bins: int, n_grid: int):
    """The law of one test sample's own weights: the bulk of ``(1/n) sum_l w_l Y_l Y_l^T`` for
    the weight histogram of ``weights`` (``n_bins`` equal-width bins), noise 1/lam, ratio phi,
    as a CDF callable (the limiting law with the weights' empirical law in place of theirs)."""
    w = np.asarray(weights, dtype=float)
    law = ScalarWeightLaw(w, np.full(w.size, 1.0 / w.size), np.zeros((w.size, 0, 0)),
                          1.0 / lam, phi).binned(n_bins)
    grid, _, cdf = bulk_cdf_grid(law, n_grid)
    return law_cdf(grid, cdf, phi)


def scored_outliers(outliers: np.ndarray, n_outliers: int, edge: float,
                    min_separation: float) -> np.ndarray:
    """The theory's outliers (largest first) at least ``min_separation`` (relative) above the
    bulk edge."""
    locs = np.asarray(outliers, dtype=float)[:int(n_outliers)]
    return locs[locs >= (1.0 + min_separation) * edge]


def ks_squared(spectra: np.ndarray, cdf) -> np.ndarray:
    """Squared Kolmogorov distance of each spectrum (..., d) to the CDF callable."""
    spectra = np.asarray(spectra, dtype=float)
    flat = spectra.reshape(-1, spectra.shape[-1])
    return np.array([kolmogorov_distance(e, cdf) ** 2 for e in flat]).reshape(spectra.shape[:-1])


def outlier_squared(spectra: np.ndarray, outliers: np.ndarray) -> np.ndarray:
    """Mean squared gap between the top eigenvalues of each spectrum (..., d), ascending, and
    the scored outliers (largest first)."""
    m = len(outliers)
    if m == 0:
        raise ValueError("no outlier of the limiting law lies far enough above its edge")
    top = np.asarray(spectra, dtype=float)[..., ::-1][..., :m]
    return np.mean((top - np.asarray(outliers)) ** 2, axis=-1)


def squared_gaps(obs: dict, theory: dict, *, lam: float, phi: float, n_bins: int,
                 n_grid: int, min_separation: float) -> dict[str, list[np.ndarray]]:
    """Per-run squared gaps of every quantity at every size.

    ``obs``: ``sizes`` and, per size d, ``x0_d<d>`` (samples, d) eigenvalues at x = 0,
    ``train_d<d>`` (runs, tests, d) at t and ``weights_d<d>`` (runs, tests, n) the weights of
    those test samples. ``theory``: for ``"x0"`` and ``"train"`` a dict with the bulk ``grid``
    and ``cdf``, ``outliers``, ``n_outliers`` and the bulk edge ``right``. ``lam``, ``phi``,
    ``n_bins``, ``n_grid``: the model and quadrature of :func:`sample_law_cdf`.
    """
    cdf = {key: law_cdf(theory[key]["grid"], theory[key]["cdf"], phi) for key in ("x0", "train")}
    outl = {key: scored_outliers(theory[key]["outliers"], theory[key]["n_outliers"],
                                 theory[key]["right"], min_separation) for key in ("x0", "train")}
    gaps = {q: [] for q in QUANTITIES}
    for d in np.asarray(obs["sizes"]).astype(int):
        x0, train, weights = (np.asarray(obs[f"{key}_d{d}"]) for key in ("x0", "train", "weights"))
        gaps["ks_x0"].append(ks_squared(x0, cdf["x0"]))
        gaps["outliers_x0"].append(outlier_squared(x0, outl["x0"]))
        gaps["ks_limit"].append(ks_squared(train, cdf["train"]).mean(axis=1))
        gaps["outliers_train"].append(outlier_squared(train, outl["train"]).mean(axis=1))
        own = np.array([[kolmogorov_distance(e, sample_law_cdf(w, lam, phi, n_bins=n_bins,
                                                               n_grid=n_grid)) ** 2
                         for e, w in zip(es, ws)] for es, ws in zip(train, weights)])
        gaps["ks_sample"].append(own.mean(axis=1))
    return gaps


def scaling_fits(sizes, gaps: dict[str, list[np.ndarray]], *, seed: int = 0
                 ) -> dict[str, RateFit]:
    """The fitted rate of every quantity (bootstrap over the runs, fixed ``seed``)."""
    return {q: fit_rate(sizes, gaps[q], seed=seed) for q in QUANTITIES}


def scaling_rows(fits: dict[str, RateFit], cfg: dict) -> list[dict]:
    """One row per quantity: ``|slope - expected_slope[q]| <= slope_tol[q]``."""
    rows = []
    for q, (_label, wording, why) in QUANTITIES.items():
        rows += rate_rows(fits[q], figure=FIGURE, paper=PAPER,
                          quantity=f"Hessian block, {wording.format(t=cfg['time'])}",
                          expected=cfg["expected_slope"][q], tol=cfg["slope_tol"][q],
                          why_expected=why)
    return rows


def scaling_series(fits: dict[str, RateFit], cfg: dict) -> list[dict]:
    """Tidy rows of every fitted rate (:func:`rate_series`)."""
    return [row for q in QUANTITIES
            for row in rate_series(fits[q], quantity=q, expected=cfg["expected_slope"][q])]


def limiting_law_at(theory, kind: str, t: float) -> dict:
    """The limiting law of block ``kind`` at checkpoint time t from a training-theory stage
    (:func:`hdsgd.theory.effective_spectrum.training_theory`): bulk ``grid`` and ``cdf``
    (tabulated at ``grid_times`` where the stage names them, else at every checkpoint),
    ``outliers``, ``n_outliers``, bulk edge ``right`` (at the checkpoints ``times``)."""
    def index(times):
        times = np.asarray(times, dtype=float)
        i = int(np.argmin(np.abs(times - t))) if times.size else -1
        if i < 0 or abs(times[i] - t) > 1e-9:
            raise ValueError(f"the {kind} theory has no checkpoint at t = {t:g}")
        return i

    i = index(theory["times"])
    j = index(theory["grid_times"]) if "grid_times" in theory else i
    out = {key: np.asarray(theory[f"{kind}_{key}"])[i]
           for key in ("outliers", "n_outliers", "right")}
    out.update({key: np.asarray(theory[f"{kind}_{key}"])[j] for key in ("grid", "cdf")})
    return out
