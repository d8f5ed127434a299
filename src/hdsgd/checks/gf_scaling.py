"""Convergence in N of the SE approximation to the exact mean loss (arXiv 2206.11124, Sec. 3 and
Prop. 1; ``figures/gf_scaling.pdf``, docs/generating_functions.md "Convergence in N").

The synthetic problem (:func:`hdsgd.data.power_law.power_law_problem`: Haar basis U, spectrum
lambda_k = k^-nu, random target signs) is drawn afresh at each size N and draw r. Its exact mean
loss L_r(t) under mini-batch SGD (the Prop. 1 second moments,
:func:`hdsgd.theory.exact_second_moments.exact_kernel_second_moments`) is compared with the SE
loss L_SE(t) (eqs. 7-9; it sees only the spectrum and the initial moments, the same for every
draw) over the claim's horizon t = 1..T, by the relative squared gap of each draw

    e_r = mean_{t=1..T} (L_r(t) / L_SE(t) - 1)^2

(relative: the loss falls by decades over the horizon; t = 0 is equal by construction). The
fitted rate of G(N) = sqrt(mean_r e_r) (:mod:`hdsgd.observables.convergence_rate`, bootstrap over
the draws):

* SE with the derived tau = (1, -1): the noise term of one draw is
  Sigma(C)_kk = N lambda_k sum_l lambda_l C_ll (N sum_i U_ik^2 U_il^2) - lambda_k^2 C_kk + (terms
  of C's off-diagonal); the fourth-moment sums N sum_i U_ik^2 U_il^2 have the sphere's means
  (1 + 2 delta_kl) N / (N + 2) (tau1 = N/(N+2), tau2 = -(N-2)/(N+2): an O(1/N) bias) but
  fluctuate from draw to draw by O(N^-1/2) (a sum of N terms of size 1/N^2). So single draws
  are O(N^-1/2) from SE and the expected slope is -1/2; the mean over draws is O(1/N) away.
* SE with the paper's tau = (1, 1) misses the fourth moments by O(1): its gap levels off
  (expected slope 0).
"""

from __future__ import annotations

import numpy as np

from hdsgd.observables.convergence_rate import RateFit, fit_rate, rate_rows, rate_series

FIGURE = "gf_scaling"
PAPER = "generating_functions"
# quantity -> (label on the figure, the tau of its SE curve, why its rate is expected)
QUANTITIES = {
    "derived": ("SE, derived", "derived for Haar features (docs)",
                "a draw's fourth-moment sums fluctuate by O(N^-1/2) around the sphere's, whose "
                "mean is O(1/N) from tau2 = -1"),
    "paper": ("SE, paper", "the paper's",
              "SE with this tau misses the features' fourth moments by O(1): it levels off"),
}
DIFFERENCE = {
    "derived": "",
    "paper": ("the paper compares its synthetic panels with SE tau2 = +1; on this Haar-basis "
              "problem the exact mean loss follows tau2 = -1 (docs, 'Which tau')"),
}


def relative_squared_gaps(exact: np.ndarray, se: np.ndarray) -> np.ndarray:
    """``e_r = mean_{t>=1} (exact[r, t] / se[t] - 1)^2`` for the draws' exact losses (R, T + 1)
    and one SE curve (T + 1,)."""
    exact, se = np.asarray(exact, dtype=float), np.asarray(se, dtype=float)
    return np.mean((exact[:, 1:] / se[1:] - 1.0) ** 2, axis=1)


def scaling_fits(sizes, exact, se: dict, *, seed: int = 0) -> dict[str, RateFit]:
    """The fitted rate of each SE curve: ``exact[i]`` (R_i, T + 1) the draws at ``sizes[i]``,
    ``se[q][i]`` (T + 1,) the SE loss of quantity q (``QUANTITIES``) at that size."""
    return {q: fit_rate(sizes, [relative_squared_gaps(e, s) for e, s in zip(exact, se[q])],
                        seed=seed)
            for q in QUANTITIES}


def scaling_rows(fits: dict[str, RateFit], taus: dict, n_steps: int, cfg: dict) -> list[dict]:
    """One row per SE curve: ``|slope - expected_slope[q]| <= slope_tol[q]``."""
    rows = []
    for q, (_label, which, why) in QUANTITIES.items():
        tau = ", ".join(f"{v:g}" for v in taus[q])
        rows += rate_rows(fits[q], figure=FIGURE, paper=PAPER,
                          quantity=(f"exact mean loss (Prop. 1) vs SE with tau = ({tau}), "
                                    f"{which}, relative gap over steps 1..{n_steps}, single "
                                    "Haar draws"),
                          expected=cfg["expected_slope"][q], tol=cfg["slope_tol"][q],
                          why_expected=why, difference=DIFFERENCE[q])
    return rows


def scaling_series(fits: dict[str, RateFit], cfg: dict) -> list[dict]:
    """Tidy rows of both fitted rates (:func:`rate_series`), tagged ``panel = "rate"``."""
    return [{"panel": "rate", **row} for q in QUANTITIES
            for row in rate_series(fits[q], quantity=q, expected=cfg["expected_slope"][q])]


def curve_series(size: int, exact: np.ndarray, se: dict) -> list[dict]:
    """Tidy rows of the loss curves at one size: every draw's exact loss and each SE curve."""
    rows = [{"panel": "curves", "size": size, "curve": "exact", "draw": r, "step": t,
             "loss": v} for r, e in enumerate(exact) for t, v in enumerate(e)]
    rows += [{"panel": "curves", "size": size, "curve": q, "draw": -1, "step": t, "loss": v}
             for q in QUANTITIES for t, v in enumerate(se[q])]
    return rows
