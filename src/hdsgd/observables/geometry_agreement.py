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
           "edge_trend_comparison"]

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


def training_comparison(theory, obs, ode, *, figure: str, kinds, a: int, d: int, phi: float,
                        tol: dict):
    """Fig 2 / Fig 6: outliers, bulk quantile, overlaps and the visible G transition along SGD.

    ``theory``: training theory stage (``<kind>_right``, ``_outliers``, ``_n_outliers``,
    ``_overlaps``, ``_grid``/``_cdf``, ``_pole_edge``, ``_finite_*``, ``_changes``); ``obs``:
    observables (``values`` (T, S, K, n_top), ``overlaps`` (T, S, K, n_top, k), ``gram``);
    ``ode``: the ODE's ``gram`` (T, q, q). ``a`` the mean whose overlaps are compared, ``d`` the
    dimension, ``phi`` = n/d, ``tol`` the agreement config.
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
        n_show = min(vals.shape[-1], int(np.max(theory[f"{kind}_n_outliers"])) + 2, 6)
        out_err, q_err, ov_err, top_err = [], [], [], []
        th_top1, fin_top1 = np.zeros(times.size), np.zeros(times.size)
        for i, t in enumerate(times):
            locs = _theory_outliers(theory, f"{kind}_", i)
            fin = _theory_outliers(theory, f"{kind}_finite_", i)
            edge = float(theory[f"{kind}_right"][i])
            n_out = int(theory[f"{kind}_n_outliers"][i])
            th_ov = np.asarray(theory[f"{kind}_overlaps"][i])[:n_out, a]
            fin_ov = np.asarray(theory[f"{kind}_finite_overlaps"][i])[
                :int(theory[f"{kind}_finite_n_outliers"][i]), a]
            th_top1[i] = th_ov[0] if n_out else 0.0
            fin_top1[i] = fin_ov[0] if fin_ov.size else 0.0
            fin_edge = float(theory[f"{kind}_finite_right"][i])
            th_q = float(np.interp(q - max(0.0, 1.0 - phi),
                                   theory[f"{kind}_cdf"][i], theory[f"{kind}_grid"][i]))
            series += [_rec(kind, "sgd", "eigenvalue", r, t, top[i, r]) for r in range(n_show)]
            series += [_rec(kind, "sgd", "mass", r + 1, t, mass[i, r])
                       for r in range(min(mass.shape[-1], 8))]
            series += [_rec(kind, "sgd", "overlap", 0, t, top1[i]),
                       _rec(kind, "sgd", "quantile", 0, t, emp_q[i]),
                       _rec(kind, "theory", "edge", 0, t, edge),
                       _rec(kind, "theory", "quantile", 0, t, th_q),
                       _rec(kind, "theory", "overlap", 0, t, th_top1[i]),
                       _rec(kind, "theory", "mass", n_out, t, th_ov.sum()),
                       _rec(kind, "theory_finite", "edge", 0, t, fin_edge),
                       _rec(kind, "theory_finite", "overlap", 0, t, fin_top1[i])]
            if theory[f"{kind}_pole_edge"][i] > 0:
                series.append(_rec(kind, "theory", "pole_edge", 0, t,
                                   theory[f"{kind}_pole_edge"][i]))
            series += [_rec(kind, "theory", "outlier", r, t, v)
                       for r, v in enumerate(locs) if np.isfinite(v)]
            series += [_rec(kind, "theory_finite", "outlier", r, t, v)
                       for r, v in enumerate(fin) if np.isfinite(v)]
            out_err += list(outlier_relative_errors(locs, edge, top[i], tol["separation"]))
            q_err.append(abs(emp_q[i] - th_q) / th_q)
            for j in isolated_cuts(locs[:n_out], edge, tol["separation"]):
                ov_err.append(abs(mass[i, j - 1] - th_ov[:j].sum()))
            fin_pred = fin[0] if np.isfinite(fin[0]) else fin_edge
            series.append(_rec(kind, "theory_finite", "top", 0, t, fin_pred))
            n_fin = int(theory[f"{kind}_finite_n_outliers"][i])
            if n_fin == 0 and n_out == 0:
                top_err.append((top[i, 0], fin_edge))
        rows += [
            agreement_row(figure, PAPER, f"{label} block: outlier locations along training, max "
                          "relative error (limiting theory along the ODE vs SGD mean; outliers "
                          f">= {tol['separation']:g} above the edge)", max(out_err, default=np.nan),
                          tol["outlier_rel"]),
            agreement_row(figure, PAPER, f"{label} block: {q:g}-quantile of the spectrum along "
                          "training, max relative error", max(q_err), tol["edge_rel"]),
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
            t_fin = level_crossing(times, fin_top1, level)          # the outlier's eigenvector
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
                         n_bins: int = 80):
    """Fig 1: eigenvalue histograms at the full-spectrum times vs the limiting density.

    Rows: Kolmogorov distance between each test sample's spectrum and the limiting law (mean
    over the runs, each with its own test sample), per block and time.
    """
    series, rows = [], []
    times = np.asarray(theory["times"])
    for f, t in enumerate(np.asarray(obs["full_times"])):
        ti = int(np.argmin(np.abs(times - t)))
        for j, kind in enumerate(kinds):
            grid, rho, cdf = (np.asarray(theory[f"{kind}_{n}"][ti])
                              for n in ("grid", "density", "cdf"))
            eigs = np.asarray(obs["full"])[f, :, j]                     # (seeds, d)
            series += [_rec(kind, "theory", "density", 0, t, b, x=g) for g, b in zip(grid, rho)]
            n_out = int(theory[f"{kind}_n_outliers"][ti])
            series += [_rec(kind, "theory", "outlier", r, t, v, x=v)
                       for r, v in enumerate(theory[f"{kind}_outliers"][ti][:n_out])]
            bins = np.linspace(min(0.0, eigs.min()), 1.02 * eigs.max(), n_bins + 1)
            xc, dens = histogram_density(eigs, bins)
            series += [_rec(kind, "sgd", "density", 0, t, b, x=g) for g, b in zip(xc, dens)]
            atom = max(0.0, 1.0 - phi)

            def law_cdf(x, grid=grid, cdf=cdf, atom=atom):
                x = np.asarray(x, dtype=float)
                return np.where(x >= 0, atom, 0.0) + np.interp(x, grid, cdf, left=0.0,
                                                               right=cdf[-1])

            ks = float(np.mean([kolmogorov_distance(e, law_cdf) for e in eigs]))
            series.append(_rec(kind, "sgd", "ks", 0, t, ks, x=np.nan))
            rows.append(agreement_row(figure, PAPER, f"{LABELS[kind]} block at t = {t:g}: "
                                      "Kolmogorov distance, test-data spectrum vs limiting law "
                                      "(mean over runs)", ks, tol["ks"]))
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


def emergence_comparison(theories, observables, outlier_map, *, figure: str, runs: dict,
                         a: int, tol: dict):
    """Fig 5: Hessian outlier emergence along training, and the (lam, t) maps.

    ``theories`` / ``observables``: per run name (the emergence and the control run), training
    theory and observables with kinds = [hessian]. Rows: the squared overlap of mu_c with the
    top Hessian eigenvector, SGD vs theory (0 where the theory has no outlier), per run; the
    theory's outlier count (one emerges at lam below the x = 0 threshold, none in the control);
    the map's x = 0 Hessian threshold vs k / sqrt(phi).
    """
    series, rows = [], []
    for name, th in theories.items():
        ob, run = observables[name], runs[name]
        times = np.asarray(th["times"])
        top = np.asarray(ob["values"])[:, :, 0, 0]                   # (T, S)
        ov = np.asarray(ob["overlaps"])[:, :, 0, 0, a]               # (T, S)
        n_out = np.asarray(th["hessian_n_outliers"])
        th_ov = np.where(n_out > 0, np.asarray(th["hessian_overlaps"])[:, 0, a], 0.0)
        edge = np.asarray(th["hessian_right"])
        th_sep = np.where(n_out > 0, np.asarray(th["hessian_outliers"])[:, 0] / edge - 1, 0.0)
        fin_sep = np.asarray(th["hessian_finite_right"]) / edge - 1
        for i, t in enumerate(times):
            series += [_rec("hessian", "sgd", "overlap", 0, t, ov[i].mean(), run=name,
                            spread=ov[i].std()),
                       _rec("hessian", "sgd", "top_over_edge", 0, t, top[i].mean() / edge[i] - 1,
                            run=name, spread=top[i].std() / edge[i]),
                       _rec("hessian", "theory", "overlap", 0, t, th_ov[i], run=name),
                       _rec("hessian", "theory", "outlier_over_edge", 0, t, th_sep[i], run=name),
                       _rec("hessian", "theory_finite", "edge_over_edge", 0, t, fin_sep[i],
                            run=name)]
        err = np.abs(ov.mean(axis=1) - th_ov).max()
        rows.append(agreement_row(figure, PAPER, f"Hessian block, lam = {run['lam']:g}: squared "
                                  "overlap of mu_c with the top eigenvector along training, max "
                                  "|SGD - theory| (theory 0 without outlier)", err,
                                  tol["emergence_overlap_abs"]))
        changes = np.asarray(th["hessian_changes"]).reshape(-1, 3)
        for tc, before, after in changes:
            series.append(_rec("hessian", "theory", "count_change", int(after), tc, before,
                               run=name))
        if n_out[0] == 0 and n_out.max() > 0:
            rows.append(agreement_row(figure, PAPER, f"Hessian block, lam = {run['lam']:g} "
                                      "(no outlier at x = 0): outliers emerge along training "
                                      "(theory, max count)", n_out.max(), 1, ">="))
        else:
            rows.append(agreement_row(figure, PAPER, f"Hessian block, lam = {run['lam']:g}: "
                                      "no outlier at any time (theory, max count)", n_out.max(),
                                      0, "<="))
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
    series, rows = [], []
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
        rows.append(agreement_row(figure, PAPER, f"G-matrix block, d = {d}: visible transition "
                                  "(squared overlap of mu_c with the most aligned of the top "
                                  f"{tol['transition_top']} eigenvectors < {level:g}), |SGD - "
                                  "finite-d theory| in time units", abs(t_emp - t_th),
                                  tol["transition_abs"]))
    rows.append(agreement_row(figure, PAPER, "limiting absorption time t* (theory) precedes "
                              "every measured visible transition: min_d t_visible - t*",
                              min(t_measured) - float(theory["t_star"]), 0.0, ">="))
    return series, rows
