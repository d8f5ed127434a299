"""Series and agreement rows of the local-geometry figures (arXiv 2502.15655).

Each function takes the arrays of a figure's stage files (simulation / observables and theory,
as mappings name -> array) and returns ``(series, rows)``: the plotted curves as tidy records
and the scorecard rows (:func:`hdsgd.agreement.agreement_row`). The simulation side is measured
without looking at the theory (top eigenvalues, the overlap of the top eigenvector with the
class mean, the mass of the mean in the top j eigenvectors for every j); the theory only decides
which of these measured numbers a row compares with which prediction. A negative-control test
(``tests/test_geometry_negative_controls.py``) feeds these functions a theory computed with a
wrong lambda or phi and checks that the main rows fail.

Conventions of the theory arrays (:func:`hdsgd.theory.effective_spectrum.spectrum_along`):
absent outliers are padded with 0 and ``<kind>_n_outliers`` counts the real ones.
"""

from __future__ import annotations

import numpy as np

from hdsgd.agreement import agreement_row
from hdsgd.observables.empirical_spectra import kolmogorov_distance
from hdsgd.observables.spectral_agreement import (
    histogram_density,
    level_crossing,
    outlier_relative_errors,
    top_quantile,
)

__all__ = ["LABELS", "aligned_overlap", "isolated_cuts", "training_comparison",
           "histogram_comparison", "static_comparison", "emergence_comparison",
           "time_scale_fit", "edge_trend_comparison"]

LABELS = {"hessian": "Hessian", "g": "G-matrix"}
PAPER = "local_geometry"


def _rec(matrix, source, quantity, index, time, value, **extra):
    return {"matrix": matrix, "source": source, "quantity": quantity, "index": int(index),
            "time": float(time), "value": float(value), **extra}


def _theory_outliers(th, prefix, i):
    """Real (unpadded) outliers at checkpoint i, largest first, NaN-padded to the array size."""
    locs = np.array(th[f"{prefix}outliers"][i], dtype=float)
    locs[int(th[f"{prefix}n_outliers"][i]):] = np.nan
    return locs


def isolated_cuts(locs, edge: float, separation: float) -> list[int]:
    """Counts j such that the top j outliers are isolated from the rest of the spectrum.

    ``locs`` the real outliers, largest first. The j-th outlier must lie at least a factor
    ``1 + separation`` above both the next outlier and the bulk edge: then the span of the top j
    eigenvectors of a finite sample tracks the top j outlier eigenvectors, whereas eigenvectors
    of outliers closer together (or to the edge) mix by O(d^-1/3) (basis-free even for a
    degenerate group such as the k outliers at x = 0).
    """
    locs = np.asarray(locs, dtype=float)
    cuts = []
    for j in range(1, locs.size + 1):
        below = max(locs[j] if j < locs.size else 0.0, edge)
        if locs[j - 1] >= (1.0 + separation) * below:
            cuts.append(j)
    return cuts


def aligned_overlap(overlaps: np.ndarray, m: int) -> np.ndarray:
    """Largest squared overlap with the mean among the top ``m`` eigenvectors (last axis)."""
    return np.asarray(overlaps)[..., :m].max(axis=-1)


def _mean_ratio_error(pairs) -> float:
    """|mean(measured) / mean(predicted) - 1| over (measured, predicted) pairs; NaN if none."""
    if not pairs:
        return float("nan")
    measured, predicted = np.asarray(pairs).T
    return float(abs(measured.mean() / predicted.mean() - 1.0))


def _theory_curves(theory, kind: str, a: int):
    """Series records of the theory curves of one block on the dense track (limit and finite
    d): edges, the pole edge, outliers by rank, the top outlier's overlap with mu_a and the
    mass of mu_a in the outlier space. Also returns the finite-d top-outlier overlap (T',)."""
    times = np.asarray(theory["track_times"])
    tr = {key[len(kind) + 7:]: np.asarray(v) for key, v in theory.items()
          if key.startswith(f"{kind}_track_")}
    series = []
    fin_top1 = np.zeros(times.size)
    for i, t in enumerate(times):
        n_out, n_fin = int(tr["n_outliers"][i]), int(tr["finite_n_outliers"][i])
        th_ov = tr["overlaps"][i, :n_out, a]
        fin_top1[i] = tr["finite_overlaps"][i, 0, a] if n_fin else 0.0
        series += [_rec(kind, "theory", "edge", 0, t, tr["right"][i]),
                   _rec(kind, "theory", "overlap", 0, t, th_ov[0] if n_out else 0.0),
                   _rec(kind, "theory", "mass", n_out, t, th_ov.sum()),
                   _rec(kind, "theory_finite", "edge", 0, t, tr["finite_right"][i]),
                   _rec(kind, "theory_finite", "overlap", 0, t, fin_top1[i])]
        if tr["pole_edge"][i] > 0:
            series.append(_rec(kind, "theory", "pole_edge", 0, t, tr["pole_edge"][i]))
        series += [_rec(kind, "theory", "outlier", r, t, v)
                   for r, v in enumerate(tr["outliers"][i, :n_out])]
        series += [_rec(kind, "theory_finite", "outlier", r, t, v)
                   for r, v in enumerate(tr["finite_outliers"][i, :n_fin])]
    return series, times, fin_top1


DECAY_DIFFERENCE = (
    "the finite-d theory (weight law conditioned on the sample's largest weight) absorbs the "
    "outlier when it meets that law's edge, set by the few largest-weight samples; at finite d "
    "the outlier stays a separate eigenvalue among those samples' eigenvalues and keeps part of "
    "mu_c (docs/geometry.md, 'The finite-d G-matrix edge')")


def training_comparison(theory, obs, ode, *, figure: str, kinds, a: int, d: int, tol: dict):
    """Fig 2 / Fig 6: outliers, bulk quantile, overlaps and the visible G transition along SGD.

    ``theory``: training theory stage (:func:`hdsgd.theory.effective_spectrum.training_theory`:
    checkpoint arrays ``<kind>_right``, ``_outliers``, ``_n_outliers``, ``_overlaps``,
    ``_quantile``, ``_finite_*``, ``_changes`` and the dense ``<kind>_track_*``); ``obs``:
    observables (``values`` (T, S, K, n_top), ``overlaps`` (T, S, K, n_top, k), ``gram``);
    ``ode``: the ODE's ``gram`` (T, q, q). ``a`` the mean whose overlaps are compared, ``d`` the
    dimension, ``tol`` the agreement config. Theory curves are recorded on the track, SGD and
    the scored theory values at the checkpoints.
    """
    times = np.asarray(theory["times"])
    if not np.allclose(times, obs["times"]):
        raise ValueError("theory and SGD checkpoints differ")
    q, level = tol["bulk_quantile"], tol["transition_level"]
    series, rows = [], []
    for j, kind in enumerate(kinds):
        label = LABELS[kind]
        vals = np.asarray(obs["values"])[:, :, j]                 # (T, S, n_top)
        top = vals.mean(axis=1)                                   # (T, n_top)
        ov = np.asarray(obs["overlaps"])[:, :, j, :, a]           # (T, S, n_top)
        mass = np.cumsum(ov, axis=-1).mean(axis=1)                # (T, n_top): top-j mass
        # the eigenvector most aligned with mu_c among the top few: near the finite-d edge a
        # single large-weight sample's eigenvalue can overtake the outlier's, so the outlier's
        # eigenvector is not always the top one
        top1 = aligned_overlap(ov, tol["transition_top"]).mean(axis=1)
        emp_q = top_quantile(vals, d, q).mean(axis=1)
        th_q = np.asarray(theory[f"{kind}_quantile"])
        n_show = min(vals.shape[-1], int(np.max(theory[f"{kind}_n_outliers"])) + 2, 6)
        curves, track, fin_track = _theory_curves(theory, kind, a)
        series += curves
        out_err, ov_err, top_err, decay_err = [], [], [], []
        for i, t in enumerate(times):
            locs = _theory_outliers(theory, f"{kind}_", i)
            edge = float(theory[f"{kind}_right"][i])
            n_out = int(theory[f"{kind}_n_outliers"][i])
            n_fin = int(theory[f"{kind}_finite_n_outliers"][i])
            th_ov = np.asarray(theory[f"{kind}_overlaps"][i])[:n_out, a]
            fin_top1 = float(theory[f"{kind}_finite_overlaps"][i][0, a]) if n_fin else 0.0
            fin_edge = float(theory[f"{kind}_finite_right"][i])
            series += [_rec(kind, "sgd", "eigenvalue", r, t, top[i, r]) for r in range(n_show)]
            series += [_rec(kind, "sgd", "mass", r + 1, t, mass[i, r])
                       for r in range(min(mass.shape[-1], 8))]
            series += [_rec(kind, "sgd", "overlap", 0, t, top1[i]),
                       _rec(kind, "sgd", "quantile", 0, t, emp_q[i]),
                       _rec(kind, "theory", "quantile", 0, t, th_q[i])]
            out_err += list(outlier_relative_errors(locs, edge, top[i], tol["separation"]))
            for cut in isolated_cuts(locs[:n_out], edge, tol["separation"]):
                ov_err.append(abs(mass[i, cut - 1] - th_ov[:cut].sum()))
            fin = _theory_outliers(theory, f"{kind}_finite_", i)
            series.append(_rec(kind, "theory_finite", "top", 0, t,
                               fin[0] if np.isfinite(fin[0]) else fin_edge))
            if n_fin == 0 and n_out == 0:
                top_err.append((top[i, 0], fin_edge))
            decay_err.append(abs(top1[i] - fin_top1))
        rows += [
            agreement_row(figure, PAPER, f"{label} block: outlier locations along training, max "
                          "relative error (limiting theory along the ODE vs SGD mean; outliers "
                          f">= {tol['separation']:g} above the edge)", max(out_err, default=np.nan),
                          tol["outlier_rel"]),
            agreement_row(figure, PAPER, f"{label} block: {q:g}-quantile of the spectrum along "
                          "training, max relative error",
                          np.max(np.abs(emp_q - th_q) / th_q), tol["edge_rel"]),
            agreement_row(figure, PAPER, f"{label} block: mass of mu_c in the span of the top j "
                          "eigenvectors, for every j that a relative gap >= "
                          f"{tol['separation']:g} isolates from the next outlier and the edge, "
                          "max abs error", max(ov_err, default=np.nan), tol["overlap_abs"]),
        ]
        changes = np.asarray(theory[f"{kind}_changes"]).reshape(-1, 3)
        for tc, before, after in changes:
            series.append(_rec(kind, "theory", "count_change", int(after), tc, before))
        fin_changes = np.asarray(theory[f"{kind}_finite_changes"]).reshape(-1, 3)
        for tc, before, after in fin_changes:
            series.append(_rec(kind, "theory_finite", "count_change", int(after), tc, before))
        if kind == "g":
            t_emp = level_crossing(times, top1, level)
            t_fin = level_crossing(track, fin_track, level)         # the outlier's eigenvector
            series += [_rec(kind, "sgd", "visible_transition", 0, t_emp, level),
                       _rec(kind, "theory_finite", "visible_transition", 0, t_fin, level)]
            n_g = np.asarray(theory["g_n_outliers"])
            rows += [
                agreement_row(figure, PAPER, "G-matrix block once every outlier is absorbed (limit "
                              "and finite-d theory): top eigenvalue (mean over runs and those "
                              f"checkpoints) vs the d = {d} edge (law conditioned on the sample's "
                              "largest weight; the limiting edge lies far above), relative error",
                              _mean_ratio_error(top_err), tol["top_rel"]),
                agreement_row(figure, PAPER, "G-matrix block: visible transition (squared "
                              "overlap of mu_c with the most aligned of the top "
                              f"{tol['transition_top']} eigenvectors, vs the outlier's, falls "
                              f"below {level:g}), |SGD - d = {d} theory| in time units",
                              abs(t_emp - t_fin), tol["transition_abs"]),
                agreement_row(figure, PAPER, "G-matrix block, the whole decay: squared overlap "
                              "of mu_c with the most aligned of the top "
                              f"{tol['transition_top']} eigenvectors vs the d = {d} theory's "
                              "outlier (0 once absorbed), max abs error over all checkpoints",
                              max(decay_err), tol["overlap_abs"], difference=DECAY_DIFFERENCE),
                agreement_row(figure, PAPER, "dynamical transition (limiting theory): G-matrix "
                              "outliers lost along training (count at t = 0 minus at t_max)",
                              n_g[0] - n_g[-1], 1, ">="),
            ]
    gram_sgd = np.asarray(obs["gram"]).mean(axis=1)
    gram_ode = np.asarray(ode["gram"])
    scale = np.abs(gram_ode).max(axis=(1, 2))
    gram_err = np.abs(gram_sgd - gram_ode).max(axis=(1, 2)) / scale
    rows.append(agreement_row(figure, PAPER, "effective dynamics: Gram matrix of (x, mu), ODE vs "
                              "mean of SGD runs, max relative error", gram_err.max(),
                              tol["gram_rel"]))
    return series, rows


def histogram_comparison(theory, obs, *, figure: str, kinds, phi: float, tol: dict,
                         n_bins: int = 80, n_marked: int = 4):
    """Fig 1: eigenvalue histograms at the full-spectrum times vs the limiting density.

    Rows: Kolmogorov distance between each test sample's spectrum and the limiting law (mean
    over the runs, each with its own test sample), per block and time; the outlier locations
    (top eigenvalues, mean over the runs, of the outliers that stand ``separation`` above the
    edge) against the prediction, over every panel. Each run's ``n_marked`` largest eigenvalues
    are recorded (quantity "top", column ``run``) for the figure to mark.
    """
    series, rows, out_err = [], [], []
    times, grid_times = np.asarray(theory["times"]), np.asarray(theory["grid_times"])
    for f, t in enumerate(np.asarray(obs["full_times"])):
        ti = int(np.argmin(np.abs(times - t)))
        gi = int(np.argmin(np.abs(grid_times - t)))
        if abs(grid_times[gi] - t) > 1e-9 * max(1.0, t):
            raise ValueError(f"theory has no bulk density at the full-spectrum time t = {t:g}")
        for j, kind in enumerate(kinds):
            grid, rho, cdf = (np.asarray(theory[f"{kind}_{n}"][gi])
                              for n in ("grid", "density", "cdf"))
            eigs = np.asarray(obs["full"])[f, :, j]                     # (seeds, d)
            series += [_rec(kind, "theory", "density", 0, t, b, x=g) for g, b in zip(grid, rho)]
            locs = _theory_outliers(theory, f"{kind}_", ti)
            series += [_rec(kind, "theory", "outlier", r, t, v, x=v)
                       for r, v in enumerate(locs) if np.isfinite(v)]
            edges = [(src, float(theory[f"{kind}_{pre}right"][ti]))
                     for src, pre in (("theory", ""), ("theory_finite", "finite_"))
                     if f"{kind}_{pre}right" in theory]
            series += [_rec(kind, src, "edge", 0, t, v, x=v) for src, v in edges]
            top = np.sort(eigs, axis=1)[:, ::-1]                         # (seeds, d) descending
            series += [_rec(kind, "sgd", "top", r, t, v, x=v, run=s)
                       for s in range(top.shape[0]) for r, v in enumerate(top[s, :n_marked])]
            out_err += list(outlier_relative_errors(locs, float(theory[f"{kind}_right"][ti]),
                                                    top.mean(axis=0), tol["separation"]))
            bins = np.linspace(min(0.0, eigs.min()), 1.02 * eigs.max(), n_bins + 1)
            xc, dens = histogram_density(eigs, bins)
            series += [_rec(kind, "sgd", "density", 0, t, b, x=g) for g, b in zip(xc, dens)]
            atom = max(0.0, 1.0 - phi)          # the law's atom at 0 when phi < 1

            def law_cdf(x, grid=grid, cdf=cdf, atom=atom):
                x = np.asarray(x, dtype=float)
                return np.where(x >= 0, atom, 0.0) + np.interp(x, grid, cdf, left=0.0,
                                                               right=cdf[-1])

            ks = float(np.mean([kolmogorov_distance(e, law_cdf) for e in eigs]))
            series.append(_rec(kind, "sgd", "ks", 0, t, ks, x=np.nan))
            rows.append(agreement_row(figure, PAPER, f"{LABELS[kind]} block at t = {t:g}: "
                                      "Kolmogorov distance, test-data spectrum vs limiting law "
                                      "(mean over runs)", ks, tol["ks"]))
    rows.append(agreement_row(figure, PAPER, "outlier locations in every panel: top eigenvalues "
                              "(mean over runs) vs the predicted outliers >= "
                              f"{tol['separation']:g} above the edge, max relative error",
                              max(out_err, default=np.nan), tol["outlier_rel"]))
    return series, rows


def static_comparison(theory, obs, *, figure: str, sweep: dict, c: int, tol: dict):
    """Figs 3-4: outliers at x = 0 along a sweep of lam or phi, and the static transitions.

    The swept value goes in the ``time`` column; test-data spectra at x = 0 have source
    "empirical". Rows: outlier locations (mean of the test samples' top eigenvalues, separated
    outliers), the Hessian threshold of the determinant-equation solver vs the BBP value
    k / sqrt(phi) (or (k / lam)^2), and the G-matrix threshold vs the x = 0 closed form.
    """
    k, param = sweep["k"], sweep["param"]
    values = np.asarray(theory["values"])
    top = np.asarray(obs["top"]).mean(axis=1)                     # (V, 2, n_top)
    series, rows = [], []
    for j, kind in enumerate(("hessian", "g")):
        errs = []
        for i, v in enumerate(values):
            locs = _theory_outliers(theory, f"{kind}_", i)
            edge = float(theory[f"{kind}_right"][i])
            series += [_rec(kind, "theory", "outlier", r, v, y)
                       for r, y in enumerate(locs) if np.isfinite(y)]
            series += [_rec(kind, "empirical", "eigenvalue", r, v, y)
                       for r, y in enumerate(top[i, j])]
            series.append(_rec(kind, "theory", "edge", 0, v, edge))
            errs += list(outlier_relative_errors(locs, edge, top[i, j], tol["separation"]))
        thr, closed = np.asarray(theory[f"{kind}_threshold"], dtype=float)
        if np.isfinite(thr):
            series.append(_rec(kind, "theory", "threshold", 0, thr, thr))
        rows.append(agreement_row(figure, PAPER, f"{LABELS[kind]} block at x = 0: outlier "
                                  f"locations across the {param} sweep, max relative error",
                                  max(errs, default=np.nan), tol["outlier_rel"]))
        if kind == "hessian":
            bbp = k / np.sqrt(sweep["phi"]) if param == "lam" else (k / sweep["lam"]) ** 2
            rows.append(agreement_row(
                figure, PAPER, f"Hessian static transition in {param}: determinant-equation "
                f"threshold vs the BBP value {bbp:.4g} (relative error)", abs(thr - bbp) / bbp,
                1e-3))
        elif np.isfinite(closed) and closed > values[0]:
            rows.append(agreement_row(
                figure, PAPER, f"G-matrix static transition in {param}: determinant-equation "
                f"threshold vs the x = 0 closed form {closed:.4g} (relative error)",
                abs(thr - closed) / closed, 1e-3))
    return series, rows


def _track(theory, kind: str, a: int):
    """(times, top outlier / edge - 1, overlap of its eigenvector with mu_a) on the theory's
    dense track; 0 where there is no outlier."""
    t = np.asarray(theory["track_times"])
    n = np.asarray(theory[f"{kind}_track_n_outliers"])
    edge = np.asarray(theory[f"{kind}_track_right"])
    sep = np.where(n > 0, np.asarray(theory[f"{kind}_track_outliers"])[:, 0] / edge - 1, 0.0)
    ov = np.where(n > 0, np.asarray(theory[f"{kind}_track_overlaps"])[:, 0, a], 0.0)
    return t, sep, ov


def time_scale_fit(times, mean, se, theory_times, theory, *, lo: float = 0.5, hi: float = 2.0,
                   n: int = 1501) -> float:
    """The stretch alpha of the theory's time axis that fits a measured curve best.

    Minimises ``sum_i ((mean_i - A f(t_i / alpha)) / se_i)^2`` over a grid of alpha in [lo, hi],
    the amplitude A at its best value for each alpha (weighted least squares), f the theory
    curve (``theory`` at ``theory_times``, linear in between): a theory whose emergence and
    absorption times are too large by a factor s is fitted with alpha ~ 1/s, whatever its
    amplitude.
    """
    t = np.asarray(times, dtype=float)
    y, w = np.asarray(mean, dtype=float), 1.0 / np.asarray(se, dtype=float) ** 2
    best, alpha = np.inf, np.nan
    for al in np.linspace(lo, hi, n):
        g = np.interp(t / al, theory_times, theory)
        gg = np.sum(w * g * g)
        amp = np.sum(w * y * g) / gg if gg > 0 else 0.0
        chi2 = np.sum(w * (y - amp * g) ** 2)
        if chi2 < best:
            best, alpha = chi2, float(al)
    return alpha


def emergence_comparison(theories, observables, outlier_map, *, figure: str, runs: dict,
                         a: int, tol: dict):
    """Fig 5: Hessian outlier emergence along training, and the (lam, t) maps.

    ``theories`` / ``observables``: per run name (the emergence run, whose theory has no outlier
    at x = 0 but one along training, and the control run), training theory (dense track) and
    observables with kinds = [hessian] (``values`` (T, N, 1, n_top), ``overlaps``
    (T, N, 1, n_top, k) over N = runs x test samples). Theory values at the checkpoints are read
    off the track (so a test can stretch its time axis). Rows:

    * the eigenvalue: the SGD mean of top eigenvalue / limiting edge - 1, averaged over the
      checkpoints where the emergence run's theory outlier stands at least half its peak height
      above the edge (the peak window), rises from t = 0 and falls back by t_max; the smaller
      change in standard errors (emergence run: >= ``emergence_se``; control, same window: the
      rise < ``emergence_se``);
    * the overlap of mu_c with the top eigenvector, where the theory's overlap is at least
      ``emergence_floor`` (above the eigenvector's null level at this d), max |SGD - theory|
      (``emergence_overlap_abs``); where the SGD mean is above the floor, the stretch factor of
      the theory's time axis (and its amplitude) fitted to SGD, |alpha - 1| <=
      ``emergence_time_rel`` (a 20 % error of the time scale of emergence and absorption
      fails); where the theory has no outlier, the SGD overlap is at the null level
      (<= ``emergence_floor``); in between (an outlier within the finite-d window of the edge)
      nothing is compared;
    * the theory's outlier count (one emerges in the emergence run, none in the control) and
      the map's x = 0 Hessian threshold vs k / sqrt(phi).
    """
    floor, n_se = tol["emergence_floor"], tol["emergence_se"]
    series, rows = [], []
    measured, curves, window = {}, {}, None
    for name, th in theories.items():
        ob = observables[name]
        times = np.asarray(ob["times"])
        top = np.asarray(ob["values"])[:, :, 0, 0]                   # (T, N)
        ov = np.asarray(ob["overlaps"])[:, :, 0, 0, a]               # (T, N)
        t_tr, sep_tr, ov_tr = _track(th, "hessian", a)
        edge = np.interp(times, t_tr, np.asarray(th["hessian_track_right"]))
        rel = top / edge[:, None] - 1
        root = np.sqrt(top.shape[1])
        measured[name] = (times, rel.mean(axis=1), rel.std(axis=1) / root, ov.mean(axis=1),
                          ov.std(axis=1) / root)
        curves[name] = (t_tr, sep_tr, ov_tr)
        n_tr = np.asarray(th["hessian_track_n_outliers"])
        if n_tr[0] == 0 and n_tr.max() > 0:
            above_half = sep_tr >= 0.5 * sep_tr.max()
            window = (float(t_tr[above_half].min()), float(t_tr[above_half].max()))
    if window is None:
        raise ValueError("no run of Fig 5 has an outlier that emerges along training (theory)")
    for name, th in theories.items():
        run = runs[name]
        times, rel, rel_se, ov, ov_se = measured[name]
        t_tr, sep_tr, ov_tr = curves[name]
        lab = f"lam = {run['lam']:g}"
        series += [_rec("hessian", "theory", "outlier_over_edge", 0, t, v, run=name)
                   for t, v in zip(t_tr, sep_tr)]
        series += [_rec("hessian", "theory", "overlap", 0, t, v, run=name)
                   for t, v in zip(t_tr, ov_tr)]
        for i, t in enumerate(times):
            series += [_rec("hessian", "sgd", "top_over_edge", 0, t, rel[i], run=name,
                            spread=rel_se[i]),
                       _rec("hessian", "sgd", "overlap", 0, t, ov[i], run=name,
                            spread=ov_se[i])]
        win = (times >= window[0]) & (times <= window[1])
        peak, peak_se = rel[win].mean(), np.sqrt(np.sum(rel_se[win] ** 2)) / win.sum()
        rise = (peak - rel[0]) / np.hypot(peak_se, rel_se[0])
        fall = (peak - rel[-1]) / np.hypot(peak_se, rel_se[-1])
        span = f"t = {window[0]:.3g} ... {window[1]:.3g}"
        th_ov = np.interp(times, t_tr, ov_tr)
        above, seen = th_ov >= floor, ov >= floor
        none = np.interp(times, t_tr, np.asarray(th["hessian_track_n_outliers"])) == 0
        n_tr = np.asarray(th["hessian_track_n_outliers"])
        if n_tr[0] == 0 and n_tr.max() > 0:
            rows += [
                agreement_row(figure, PAPER, f"Hessian block, {lab}: the top eigenvalue / limiting "
                              f"edge (SGD mean) rises from t = 0 to the theory's peak window "
                              f"{span} (mean) and falls back by t = {times[-1]:g}, the smaller "
                              "change in standard errors", min(rise, fall), n_se, ">="),
                agreement_row(figure, PAPER, f"Hessian block, {lab}: squared overlap of mu_c with "
                              f"the top eigenvector where the SGD mean is >= {floor:g}: time "
                              "scale of emergence and absorption, |alpha - 1| for the stretch "
                              "t -> t / alpha (and amplitude) of the theory fitted to SGD",
                              abs(time_scale_fit(times[seen], ov[seen], ov_se[seen], t_tr,
                                                 ov_tr) - 1),
                              tol["emergence_time_rel"]),
                agreement_row(figure, PAPER, f"Hessian block, {lab}: squared overlap of mu_c with "
                              f"the top eigenvector where the theory's is >= {floor:g}, max "
                              "|SGD - theory|", np.abs(ov - th_ov)[above].max(),
                              tol["emergence_overlap_abs"]),
                agreement_row(figure, PAPER, f"Hessian block, {lab} (no outlier at x = 0): "
                              "outliers emerge along training (theory, max count)", n_tr.max(),
                              1, ">="),
            ]
        else:
            rows += [
                agreement_row(figure, PAPER, f"Hessian block, {lab}: the top eigenvalue / limiting "
                              f"edge (SGD mean) rises from t = 0 to {span} (the emergence run's "
                              "peak window, mean) by less than this many standard errors",
                              rise, n_se, "<="),
                agreement_row(figure, PAPER, f"Hessian block, {lab}: no outlier at any time "
                              "(theory, max count)", n_tr.max(), 0, "<="),
            ]
        rows.append(agreement_row(figure, PAPER, f"Hessian block, {lab}: squared overlap of mu_c "
                                  "with the top eigenvector where the theory has no outlier: SGD "
                                  f"at the null level (< {floor:g}), max over those checkpoints",
                                  ov[none].max() if none.any() else 0.0, floor))
        changes = np.asarray(th["hessian_changes"]).reshape(-1, 3)
        for tc, before, after in changes:
            series.append(_rec("hessian", "theory", "count_change", int(after), tc, before,
                               run=name))
    lams, mtimes = np.asarray(outlier_map["lams"]), np.asarray(outlier_map["times"])
    for kind in ("hessian", "g"):
        for i, lam in enumerate(lams):
            for ti, t in enumerate(mtimes):
                for key in ("count", "separation", "overlap"):
                    series.append(_rec(kind, "map", key, 0, t,
                                       outlier_map[f"{kind}_{key}"][i, ti], lam=lam))
    run0 = next(iter(runs.values()))
    k = len(run0["p"])
    bbp = k / np.sqrt(run0["phi"])
    count0 = np.asarray(outlier_map["hessian_count"])[:, 0]
    first = lams[np.argmax(count0 > 0)] if np.any(count0 > 0) else np.inf
    step = lams[1] - lams[0]
    rows.append(agreement_row(figure, PAPER, "map: first lam with a Hessian outlier at t = 0 "
                              f"vs the BBP value k/sqrt(phi) = {bbp:.4g}, in grid steps",
                              (first - bbp) / step, 1.0))
    return series, rows


def edge_trend_comparison(trend_obs, theory, *, figure: str, dims, a: int, tol: dict):
    """Fig 7: the visible G-matrix transition at several d vs its finite-d prediction.

    ``trend_obs``: observables per dimension (kinds = [g]); ``theory``: edge-trend theory stage.
    Rows: per d, |t_visible(SGD) - t_visible(theory at n = phi d)|; the limiting absorption
    time t* lies before every measured visible transition.
    """
    level = tol["transition_level"]
    th_dims = list(np.asarray(theory["dims"]).tolist())
    th_times = np.asarray(theory["times"])
    series, rows, decay_err = [], [], []
    series += [_rec("g", "theory", "overlap", 0, t, v)
               for t, v in zip(th_times, theory["limit_overlap"])]
    series.append(_rec("g", "theory", "t_star", 0, float(theory["t_star"]), 0.0))
    for j, dd in enumerate(th_dims):
        series.append(_rec("g", "theory_finite", "visible_transition", 0,
                           float(theory["t_visible"][j]), level, d=dd))
        series += [_rec("g", "theory_finite", "overlap", 0, t, v, d=dd)
                   for t, v in zip(th_times, theory["finite_overlap"][j])]
    t_measured = []
    for d, ob in zip(dims, trend_obs):
        times = np.asarray(ob["times"])
        ov = aligned_overlap(np.asarray(ob["overlaps"])[:, :, 0, :, a], tol["transition_top"])
        mean = ov.mean(axis=1)
        t_emp = level_crossing(times, mean, level)
        per_seed = [level_crossing(times, ov[:, s], level) for s in range(ov.shape[1])]
        t_measured.append(t_emp)
        series += [_rec("g", "sgd", "overlap", 0, t, v, d=d, spread=s)
                   for t, v, s in zip(times, mean, ov.std(axis=1))]
        series.append(_rec("g", "sgd", "visible_transition", 0, t_emp, level, d=d,
                           spread=float(np.std(per_seed))))
        if d not in th_dims:
            raise ValueError(f"theory has no prediction at d = {d}")
        t_th = float(theory["t_visible"][th_dims.index(d)])
        decay_err.append(np.abs(mean - np.interp(times, th_times, theory["finite_overlap"][
            th_dims.index(d)])).max())
        rows.append(agreement_row(figure, PAPER, f"G-matrix block, d = {d}: visible transition "
                                  "(squared overlap of mu_c with the most aligned of the top "
                                  f"{tol['transition_top']} eigenvectors < {level:g}), |SGD - "
                                  "finite-d theory| in time units", abs(t_emp - t_th),
                                  tol["transition_abs"]))
    rows.append(agreement_row(figure, PAPER, "G-matrix block, the whole decay at every d: "
                              "squared overlap of mu_c with the most aligned of the top "
                              f"{tol['transition_top']} eigenvectors vs the finite-d theory's "
                              "outlier (0 once absorbed), max abs error over d and checkpoints",
                              max(decay_err), tol["overlap_abs"], difference=DECAY_DIFFERENCE))
    rows.append(agreement_row(figure, PAPER, "limiting absorption time t* (theory) precedes "
                              "every measured visible transition: min_d t_visible - t*",
                              min(t_measured) - float(theory["t_star"]), 0.0, ">="))
    return series, rows
