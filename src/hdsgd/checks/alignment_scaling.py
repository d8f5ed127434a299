"""Convergence in d of single SGD runs to the k-GMM effective dynamics (arXiv 2310.03010 §5;
``figures/alignment_scaling.pdf``, docs/alignment.md "Convergence in d").

For each size d and run r, the mean squared gap between the run and the d -> infinity ODE
(started at its limit m = 0, R = I) over the times that carry the claim (every checkpoint
after t = 0), for three quantities:

* ``overlaps``: x^c . mu_a, every class c and mean a (k^2 numbers per time);
* ``norms``: |x^c|^2, every class c;
* ``accuracy``: the test accuracy (an infinite test set: a function of (m, Q), evaluated for
  the runs and for the ODE with the same normals).

Under the right theory the RMS gap falls like d^(-1/2): the summary statistics of one run
fluctuate by O(d^(-1/2)) around their mean (the initial point x_0 ~ N(0, I/d) and the
martingale part of SGD, a sum of d t steps of size O(1/d) with O(1) variance), and the
finite-d corrections to their drift are O(1/d). A wrong theory (a learning rate 5 % off) has
an O(1) bias and levels off. Rates come from
:mod:`hdsgd.observables.convergence_rate`; this module only says what is compared.
"""

from __future__ import annotations

import numpy as np

from hdsgd.agreement import agreement_row
from hdsgd.observables.convergence_rate import (
    RateFit,
    fit_rate,
    rate_rows,
    rate_series,
    squared_gaps,
)

FIGURE = "alignment_scaling"
QUANTITIES = {  # name -> (label on the figure, scorecard wording)
    "overlaps": (r"$x^c\cdot\mu_a$", "overlaps x^c.mu_a (all c, a)"),
    "norms": (r"$|x^c|^2$", "squared norms |x^c|^2 (all c)"),
    "accuracy": ("test accuracy", "test accuracy"),
}
WHY_EXPECTED = "single-run fluctuations O(d^-1/2), drift corrections O(1/d)"


def _diag(Q: np.ndarray) -> np.ndarray:
    return np.diagonal(Q, axis1=-2, axis2=-1)


def squared_gaps_per_run(sim: dict, ode: dict) -> dict[str, np.ndarray]:
    """Mean squared gap of every run, (n_sizes, runs) per quantity.

    ``sim``: ``m``, ``Q`` (n_sizes, n_times, runs, k, k) and ``accuracy`` (n_sizes, n_times,
    runs); ``ode``: ``m``, ``Q`` (n_times, k, k) and ``accuracy`` (n_times,), on the same
    times (the claim's: the caller drops t = 0, where both start from the same law)."""
    return {
        "overlaps": squared_gaps(sim["m"], ode["m"][:, None], axis=(1, 3, 4)),
        "norms": squared_gaps(_diag(sim["Q"]), _diag(ode["Q"])[:, None], axis=(1, 3)),
        "accuracy": squared_gaps(sim["accuracy"], ode["accuracy"][:, None], axis=1),
    }


def scaling_fits(sizes, sim: dict, ode: dict, *, seed: int = 0) -> dict[str, RateFit]:
    """The fitted rate of every quantity (bootstrap over the runs, fixed ``seed``)."""
    gaps = squared_gaps_per_run(sim, ode)
    return {q: fit_rate(sizes, list(gaps[q]), seed=seed) for q in QUANTITIES}


def theory_noise(ode: dict, replica: dict) -> dict[str, float]:
    """Monte Carlo error of the ODE per quantity: RMS difference of two solves with
    independent common random numbers, over sqrt(2) (the error of one solve)."""
    diff = {"overlaps": ode["m"] - replica["m"],
            "norms": _diag(ode["Q"]) - _diag(replica["Q"]),
            "accuracy": ode["accuracy"] - replica["accuracy"]}
    return {q: float(np.sqrt(np.mean(v ** 2) / 2)) for q, v in diff.items()}


def scaling_rows(fits: dict[str, RateFit], noise: dict[str, float], cfg: dict) -> list[dict]:
    """One slope row per quantity, ``|slope - expected| <= slope_tol[quantity]``, and one row
    saying the largest size is not limited by the theory's own Monte Carlo error."""
    rows = []
    for q, (_label, wording) in QUANTITIES.items():
        rows += rate_rows(fits[q], figure=FIGURE, paper="alignment",
                          quantity=f"SGD vs effective-dynamics ODE, {wording}",
                          expected=cfg["expected_slope"], tol=cfg["slope_tol"][q],
                          why_expected=WHY_EXPECTED)
    ratio = {q: noise[q] / fits[q].gap[-1] for q in QUANTITIES}
    worst = max(ratio, key=ratio.get)
    d_max = fits[worst].sizes[-1]
    rows.append(agreement_row(
        FIGURE, "alignment",
        f"the largest size is not limited by the ODE's Monte Carlo error: its error over the "
        f"RMS gap at d = {d_max:g}, max over quantities (worst: {worst})",
        ratio[worst], cfg["max_theory_noise_ratio"], "<="))
    return rows


def scaling_series(fits: dict[str, RateFit], expected: float) -> list[dict]:
    """Tidy rows of every fitted rate (:func:`rate_series`), tagged ``panel = "rate"``."""
    return [{"panel": "rate", **row} for q in QUANTITIES
            for row in rate_series(fits[q], quantity=q, expected=expected)]
