"""Agreement rows of the real-data loss-curve figures of the generating-functions paper
(arXiv 2206.11124, Figs 1, 7, 8, 9, 10; see docs/generating_functions.md).

Every function takes simulated arrays and theory arrays separately (a negative-control test
feeds a deliberately wrong theory) and returns rows of :func:`hdsgd.agreement.agreement_row`.
The simulated side never uses a theory output to decide what it measures; windows are set
from the steps or from the data's own spectrum fit.

Curve gaps are scored per decade of t (:func:`largest_window_gap`): the mean |log ratio| over
the recorded steps of each decade [1, 10), [10, 100), ... (the last one closed at the last
step), and the row takes the largest, so a gap confined to late (or early) times is not
averaged away by the rest of the run.
"""

from __future__ import annotations

import numpy as np

from hdsgd.agreement import agreement_row
from hdsgd.observables.gf_agreement import PAPER

__all__ = ["mean_log_gap", "decade_windows", "largest_window_gap", "se_curve_rows", "mc_rows",
           "late_ratio", "network_rows", "power_law_rows", "noise_distance_rows"]


def mean_log_gap(a, b, sel=None) -> float:
    """Mean over the selected recorded steps of |log(a_t / b_t)| (inf if any is not finite)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if sel is not None:
        a, b = a[sel], b[sel]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.abs(np.log(a / b))
    return float(np.mean(r)) if np.all(np.isfinite(r)) else float("inf")


def decade_windows(steps):
    """Masks of the recorded steps t >= 1 in each decade [10^k, 10^(k+1)), the last decade
    closed at the last step (so that it holds the final record); empty decades are skipped."""
    steps = np.asarray(steps, dtype=float)
    pos = steps[steps >= 1]
    if pos.size == 0:
        return []
    decade = np.floor(np.log10(pos))
    last = np.floor(np.log10(pos[-1]))
    if 10.0**last == pos[-1] and last > decade[0]:  # the final record opens no decade of its own
        last -= 1
    decade = np.minimum(decade, last)
    full = np.full(steps.shape, np.nan)
    full[steps >= 1] = decade
    return [full == k for k in np.unique(decade)]


def largest_window_gap(a, b, steps) -> tuple[float, float, float]:
    """(gap, t_first, t_last): the largest over :func:`decade_windows` of the mean
    |log(a_t / b_t)|, and the first and last recorded step of that window (inf if any value is
    not finite)."""
    steps = np.asarray(steps, dtype=float)
    worst = (-1.0, np.nan, np.nan)
    for mask in decade_windows(steps):
        g = mean_log_gap(a, b, mask)
        if g > worst[0]:
            worst = (g, float(steps[mask][0]), float(steps[mask][-1]))
    return worst


def _window(lo, hi) -> str:
    return f"t in [{lo:.3g}, {hi:.3g}]"


def se_curve_rows(figure, panel, steps, reference, se_curves, *, claim, tolerance,
                  reference_name, slack=0.0, difference=""):
    """SE loss curves against a reference curve (simulated mean or exact second moments).

    ``se_curves``: dict label -> curve at ``steps``; the first label is the main one (the
    paper's tau convention). ``claim``: "main" (the main curve within ``tolerance``), "best" (and
    the main curve closer than every other, up to ``slack``), "all" (every curve within
    ``tolerance``), "family" (the best curve of the family within ``tolerance``). Gaps are the
    largest mean |log ratio| over a decade of t (:func:`largest_window_gap`)."""
    gaps = {k: largest_window_gap(v, reference, steps) for k, v in se_curves.items()}
    main = next(iter(gaps))
    what = "largest mean |log ratio| over a decade of t"

    def row(label, gap):
        return agreement_row(figure, PAPER, f"{panel}: {label} vs {reference_name}, {what} "
                             f"(worst {_window(*gap[1:])})", gap[0], tolerance,
                             difference=difference)

    rows = []
    if claim in ("main", "best"):
        rows.append(row(main, gaps[main]))
    if claim == "best" and len(gaps) > 1:
        other = min((g[0], k) for k, g in gaps.items() if k != main)
        rows.append(agreement_row(figure, PAPER, f"{panel}: gap of {main} minus the smallest gap "
                                  f"of the other taus ({other[1]}): {main} fits best",
                                  gaps[main][0] - other[0], slack, difference=difference))
    if claim == "all":
        rows += [row(k, g) for k, g in gaps.items()]
    if claim == "family":
        k = min(gaps, key=lambda k: gaps[k][0])
        rows.append(row(f"best SE curve of the family ({k})", gaps[k]))
    return rows


def mc_rows(figure, panel, steps, runs, exact, *, tolerance):
    """Mean of sampled runs (S, R) against the exact E[L_t] (Prop. 1), the largest mean |log
    ratio| over a decade of t (a check of the recursion and of the sampler, within Monte Carlo
    error)."""
    mean = np.asarray(runs, dtype=float).mean(axis=0)
    gap, lo, hi = largest_window_gap(mean, exact, steps)
    return [agreement_row(figure, PAPER, f"{panel}: mean of {len(runs)} sampled linearised runs "
                          "vs exact second moments (Prop. 1), largest mean |log ratio| over a "
                          f"decade of t (worst {_window(lo, hi)})", gap, tolerance)]


def late_ratio(steps, network, linearised) -> tuple[float, float]:
    """(t_first, ratio): the geometric mean of network / linearised over the recorded steps of
    the last half decade of the run, t >= T / sqrt(10), and the first of those steps."""
    steps = np.asarray(steps, dtype=float)
    late = steps >= steps[-1] / np.sqrt(10.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(np.asarray(network, float)[late] / np.asarray(linearised, float)[late])
    return float(steps[late][0]), float(np.exp(np.mean(log_ratio)))


def network_rows(figure, panel, steps, network, linearised, *, tolerance):
    """The network against its linearisation run on the same batches: the largest mean |log
    ratio| over a decade of t. The claim also states where the network ends up relative to its
    linearisation (:func:`late_ratio`; a finite-width network drifts away from its
    linearisation at late times)."""
    gap, lo, hi = largest_window_gap(network, linearised, steps)
    t_late, ratio = late_ratio(steps, network, linearised)
    return [agreement_row(figure, PAPER, f"{panel}: network vs linearised SGD (same batches), "
                          f"largest mean |log ratio| over a decade of t (worst {_window(lo, hi)}); "
                          f"late: network / linearised = {ratio:.2f} on average over "
                          f"{_window(t_late, np.asarray(steps)[-1])}", gap, tolerance)]


def power_law_rows(figure, panel, *, fits, min_r2, prediction=None, differences=None):
    """Power-law fits of the spectrum and of the tail sums (R^2 in log-log), and optionally the
    loss they predict (eq. 28a) against the simulated loss.

    ``fits``: dict with ``nu``, ``r2_nu``, ``kappa``, ``r2_kappa``. ``prediction``: dict with
    ``steps`` and ``loss`` (simulated, on the time window t(k_min)..t(k_max) where the fitted
    ranks are being learned, t(k) = 1 / (2 alpha_eff lambda_k) measured on the data's own
    spectrum), ``zeta`` (= kappa / nu, the predicted exponent), ``curve`` (eq. 28a at those
    steps), and tolerances ``max_rel_exponent``, ``max_log_gap``. ``differences``: stated
    differences from the paper by row kind (``nu_fit``, ``kappa_fit``, ``exponent``,
    ``asymptotic``)."""
    diff = differences or {}
    rows = [agreement_row(figure, PAPER, f"{panel}: power-law fit lambda_k ~ k^-nu (nu = "
                          f"{fits['nu']:.3f}), R^2 in log-log", fits["r2_nu"], min_r2, ">=",
                          difference=diff.get("nu_fit", "")),
            agreement_row(figure, PAPER, f"{panel}: power-law fit of the tail sums S_k ~ k^-kappa "
                          f"(kappa = {fits['kappa']:.3f}), R^2 in log-log", fits["r2_kappa"],
                          min_r2, ">=", difference=diff.get("kappa_fit", ""))]
    if prediction is not None:
        t, loss = np.asarray(prediction["steps"], float), np.asarray(prediction["loss"], float)
        xi = -np.polyfit(np.log(t), np.log(loss), 1)[0]
        zeta = prediction["zeta"]
        rows.append(agreement_row(figure, PAPER, f"{panel}: simulated loss exponent xi = {xi:.3f} "
                                  f"vs kappa/nu = {zeta:.3f} from the spectrum fit, relative gap",
                                  abs(xi - zeta) / zeta, prediction["max_rel_exponent"],
                                  difference=diff.get("exponent", "")))
        gap, lo, hi = largest_window_gap(loss, prediction["curve"], t)
        rows.append(agreement_row(figure, PAPER, f"{panel}: simulated loss vs eq. 28a "
                                  "(constant and exponent from the fits), largest mean |log "
                                  f"ratio| over a decade of t (worst {_window(lo, hi)})", gap,
                                  prediction["max_log_gap"],
                                  difference=diff.get("asymptotic", "")))
    return rows


def noise_distance_rows(figure, panel, nd, *, max_tau2_gap, max_error, max_axis_ratio):
    """Fig 8's claims on the noise distance D_t (a :class:`hdsgd.theory.noise_distance.
    NoiseDistance` along the exact trajectory, t >= 1): the best tau2 at tau1 = 1 stays near 1
    (median |tau2* - 1|), the global and tau1 = 1 minimum errors stay small (max over t), the
    level-set ellipses are stretched (max minor/major axis ratio) and the stretching grows
    (last over first ratio <= 1)."""
    sl = slice(1, None)
    return [
        agreement_row(figure, PAPER, f"{panel}: best tau2 at tau1 = 1 is near 1, median over t of "
                      "|tau2* - 1|", float(np.median(np.abs(nd.tau2_at_1[sl] - 1))), max_tau2_gap),
        agreement_row(figure, PAPER, f"{panel}: global minimum of the noise distance D, max over t",
                      float(np.max(nd.d_min[sl])), max_error),
        agreement_row(figure, PAPER, f"{panel}: minimum of D on tau1 = 1, max over t",
                      float(np.max(nd.d_min_at_1[sl])), max_error),
        agreement_row(figure, PAPER, f"{panel}: minor/major axis ratio of D's level sets, max over "
                      "t", float(np.max(nd.axis_ratio[sl])), max_axis_ratio),
        agreement_row(figure, PAPER, f"{panel}: axis ratio at the last step over the first (the "
                      "stretching grows)", float(nd.axis_ratio[-1] / nd.axis_ratio[1]), 1.0),
    ]
