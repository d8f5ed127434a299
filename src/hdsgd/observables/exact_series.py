"""Series and agreement rows of the exact-dynamics figures (docs/exact_dynamics.md §6).

Each ``figN_series`` takes the stage contents of the runs a figure uses -- ``data[run]`` (the
mixture and recorded times), ``theory[run]`` (the ODE, and a closed form where one exists),
``sim[run]`` (SGD over seeds) -- plus the figure's config, and returns the tidy plotted series
(one DataFrame) and the agreement rows. The simulation's numbers never depend on the theory:
every row compares two independently computed quantities (or a theory with a closed form), so a
deliberately wrong theory fails them (tests/test_exact_negative_controls.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hdsgd.agreement import agreement_row
from hdsgd.observables.sgd_vs_ode import (
    BAND,
    Z_SE,
    band_table,
    binned_profile,
    log_bins,
    max_relative_gap,
    risk_gap,
    rms_standard_score,
)

PAPER = "exact"


def _row(fig, claim, measured, tol, comparison="<="):
    return agreement_row(f"exact_{fig}", PAPER, claim, measured, tol, comparison)


def _closed_form_frames(run, gammas, t, closed):
    return [pd.DataFrame({"run": run, "quantity": "risk", "gamma": g, "t": t,
                          "source": "closed_form", "value": v})
            for g, v in zip(gammas, closed, strict=True)]


def _risk_claim(label, fig) -> str:
    return (f"{label}: risk, max over t >= {fig['t_agree']:g} of |SGD mean - ODE| / "
            f"max({fig['max_risk_gap']:g} min(L(0) - L, L), {Z_SE:g} SE)")


def decay_exponent(L: np.ndarray, t: np.ndarray, k_end: int) -> np.ndarray:
    """``-d log L / d log t`` over the quarter decade before ``t[k_end]`` (last axis of L)."""
    k0 = int(np.searchsorted(t, t[k_end] / 10**0.25))
    return np.log(L[..., k0] / L[..., k_end]) / np.log(t[k_end] / t[k0])


def fig1_series(runs, data, theory, sim, fig, *, beta_c):
    """Fig 1: binary logistic risk, SGD vs ODE, four covariance models.

    ``beta_c(run)`` gives the critical mean exponent of a power-law run (closed form §5.4).
    """
    frames, rows = [], []
    for run, p in runs.items():
        th, sm = theory[run], sim[run]
        gam, t, L = np.asarray(th["gammas"]), th["t"], th["risk"]
        frames.append(band_table(run, "risk", gam, t, L, sm["risk"]))
        rows.append(_row("fig1", _risk_claim(run, fig),
                         risk_gap(L, sm["risk"], t, fig["t_agree"], fig["max_risk_gap"]), 1.0))
        closed = th["closed_form"] if "closed_form" in th else None
        if closed is not None:
            frames += _closed_form_frames(run, gam, t, closed)
        if "t_ext" in th:                       # the ODE continued past the SGD horizon
            frames += [pd.DataFrame({"run": run, "quantity": "risk", "gamma": g,
                                     "t": th["t_ext"], "source": "ode", "value": v})
                       for g, v in zip(gam, th["risk_ext"], strict=True)]
            if closed is not None:
                frames += _closed_form_frames(run, gam, th["t_ext"], th["closed_form_ext"])
        s = float(np.sum(data[run]["means"][0] ** 2))
        if p["family"] == "isotropic":
            rows.append(_row("fig1", f"{run}: ODE risk at t={t[-1]:g} vs fixed point L_inf "
                                     "(positive plateau), max rel. diff",
                             np.max(np.abs(L[:, -1] - closed[:, -1]) / closed[:, -1]),
                             fig["fixed_point_tol"]))
        elif p["family"] == "zero_one":
            rows.append(_row("fig1", f"{run}: max over gamma |gamma s t L(t) - 1| at "
                                     f"t={t[-1]:g} (1/(gamma s t) law)",
                             np.max(np.abs(gam * s * t[-1] * L[:, -1] - 1)), 0.15))
        elif p["beta"] < beta_c(p):
            rows.append(_row("fig1", f"{run}: ODE decay exponent at t={t[-1]:g}, "
                                     f"beta={p['beta']:g} (loss decays like 1/t)",
                             decay_exponent(L, t, t.size - 1).min(), 0.8, ">="))
        else:
            L_end, limit = th["risk_ext"][:, -1], th["closed_form_ext"][:, -1]
            rows.append(_row("fig1", f"{run}: beta={p['beta']:g}, the risk saturates: max over "
                                     f"gamma of (L(t) - L_inf) / (L(0) - L_inf) of the ODE at "
                                     f"t={th['t_ext'][-1]:g}, L_inf its fixed point "
                                     f"{limit.min():.4f}-{limit.max():.4f}",
                             np.max(np.abs(L_end - limit) / (L[:, 0] - limit)),
                             fig["limit_tol"]))
        if p["family"] == "power_law":
            i0 = int(np.argmin(gam))
            g0 = gam[i0]
            coll = [abs(np.interp(np.log(t[-1] * g0 / g), np.log(t[1:]), L[i, 1:])
                        / L[i0, -1] - 1) for i, g in enumerate(gam)]
            rows.append(_row("fig1", f"{run}: collapse in gamma t, max rel. diff of "
                                     f"L_gamma(t {g0:g}/gamma) vs L_{g0:g}(t) at t={t[-1]:g}",
                             max(coll), 0.05))
    return pd.concat(frames, ignore_index=True), rows


def fig2_series(runs, data, theory, sim, fig):
    """Fig 2: least-squares risk, SGD vs ODE vs closed forms."""
    frames, rows = [], []
    for run, p in runs.items():
        th, sm = theory[run], sim[run]
        gam, t, L = np.asarray(th["gammas"]), th["t"], th["risk"]
        closed = th["closed_form"]
        frames.append(band_table(run, "risk", gam, t, L, sm["risk"]))
        frames += _closed_form_frames(run, gam, t, closed)
        rows.append(_row("fig2", f"{run}: max rel. gap SGD mean vs ODE risk",
                         max_relative_gap(L, sm["risk"]), fig["max_rel_gap"]))
        if p["family"] == "isotropic":
            claim = f"{run}: ODE risk at t={t[-1]:g} vs plateau L*/(1-gamma trK/2d), max rel. diff"
            measured = np.max(np.abs(L[:, -1] - closed[:, -1]) / closed[:, -1])
        else:
            claim = f"{run}: ODE vs exact zero-one least-squares risk, max rel. diff over t"
            measured = np.max(np.abs(L - closed) / closed)
        rows.append(_row("fig2", claim, measured, 1e-3))
    return pd.concat(frames, ignore_index=True), rows


def fig3_series(runs, data, theory, sim, fig):
    """Fig 3: overlap with the signal, clean-direction alignment, per-mode weight profiles."""
    frames, rows = [], []
    run = fig["run"]
    th, sm, dat = theory[run], sim[run], data[run]
    gam, t = np.asarray(th["gammas"]), th["t"]
    mu, clean = dat["means"][0], np.asarray(dat["clean"], dtype=bool)
    s0, s1 = float(mu[clean] @ mu[clean]), float(mu[~clean] @ mu[~clean])
    keep = t > 0

    def observables(st):
        m, pr, n2 = st["m"][..., 0], st["probes"][..., 0], st["norm2"]
        m, pr, n2 = m[..., keep], pr[..., keep], n2[..., keep]
        return {"cos_mu": m / np.sqrt((s0 + s1) * n2), "cos_clean": pr / np.sqrt(s0 * n2),
                "weight_clean": pr / s0, "weight_noisy": (m - pr) / s1}

    o_ode, o_sgd = observables(th), observables(sm)
    for q in o_ode:
        frames.append(band_table(run, q, gam, t[keep], o_ode[q], o_sgd[q]))
        rows.append(_row("fig3", f"{run}: max rel. gap SGD mean vs ODE, {q}",
                         max_relative_gap(o_ode[q], o_sgd[q]), fig["max_rel_gap"]))
    k = int(np.argmin(np.abs(gam - 1.0)))
    rows.append(_row("fig3", f"{run}: ODE cos(x, P_clean mu) at t={t[-1]:g}, gamma={gam[k]:g}",
                     o_ode["cos_clean"][k, -1], fig["min_final_clean_cosine"], ">="))
    rows.append(_row("fig3", f"{run}: cos(x, P_clean mu) - cos(x, mu) at t={t[-1]:g}, "
                             f"gamma={gam[k]:g} (aligns more with the clean projection)",
                     o_ode["cos_clean"][k, -1] - o_ode["cos_mu"][k, -1], 0.05, ">="))
    rows.append(_row("fig3", f"{run}: ODE cos(x, mu) peak minus final value, gamma={gam[k]:g}",
                     o_ode["cos_mu"][k].max() - o_ode["cos_mu"][k, -1], 0.01, ">="))
    for run in fig["profile_runs"]:
        th, sm, dat = theory[run], sim[run], data[run]
        gam = np.asarray(th["gammas"])
        k = int(np.argmin(np.abs(gam - 1.0)))
        mu, lam = dat["means"][0], dat["eigs"].mean(axis=0)
        frames.append(pd.DataFrame({"run": run, "quantity": "mode_weight", "gamma": gam[k],
                                    "lambda": lam, "source": "ode",
                                    "value": th["y_final"][k] / mu}))
        bins = log_bins(mu.size, fig["profile_bins"])
        mass = np.bincount(bins, weights=mu * mu)
        sel = mass >= fig["min_bin_mass"]
        lam_bin = np.exp(np.bincount(bins, weights=mu * mu * np.log(lam)) / mass)[sel]
        prof_ode = binned_profile(th["y_final"][k], mu, bins)[sel]
        prof_sgd = binned_profile(sm["x_final"][k], mu, bins)[:, sel]
        frames.append(band_table(run, "binned_weight", [gam[k]], lam_bin[None], prof_ode[None],
                                 prof_sgd[None], x_name="lambda"))
        rows.append(_row("fig3", f"{run}: max rel. gap SGD vs ODE binned weight profile at "
                                 f"t={th['t'][-1]:g} ({sel.sum()} bins)",
                         max_relative_gap(prof_ode[None], prof_sgd[None]),
                         fig["max_profile_gap"]))
    return pd.concat(frames, ignore_index=True), rows


def fig4_series(runs, phase, theory, sim, fig, *, beta_c):
    """Fig 4: ODE sweep over the mean exponent (``phase``: d, betas, t, risk, delta2_d,
    delta2), SGD points at two exponents, closed-form separation against d."""
    dims, betas, t, risk = phase["d"], phase["betas"], phase["t"], phase["risk"]
    frames, rows = [], []
    for i, d in enumerate(dims):
        frames.append(pd.DataFrame({"quantity": "final_risk", "d": d, "beta": betas,
                                    "t": t[-1], "source": "ode", "value": risk[i, :, -1]}))
        for k_end in (int(np.searchsorted(t, t[-1] / 10)), t.size - 1):
            frames.append(pd.DataFrame({"quantity": "decay_exponent", "d": d, "beta": betas,
                                        "t": t[k_end], "source": "ode",
                                        "value": decay_exponent(risk[i], t, k_end)}))
    slope = decay_exponent(risk[-1], t, t.size - 1)
    small, large = betas <= beta_c - 0.5, betas >= beta_c + 0.4
    rows.append(_row("fig4", f"ODE decay exponent at t={t[-1]:g}, d={dims[-1]}, min over "
                             f"beta <= {beta_c - 0.5:.3g} (loss keeps decaying)",
                     slope[small].min(), 0.8, ">="))
    rows.append(_row("fig4", f"ODE decay exponent at t={t[-1]:g}, d={dims[-1]}, max over "
                             f"beta >= {beta_c + 0.4:.3g} (loss saturates)",
                     slope[large].max(), 0.2, "<="))
    for run, p in runs.items():
        th, sm = theory[run], sim[run]
        k = list(th["gammas"]).index(fig["gamma"])
        final = sm["risk"][k, :, -1]
        lo, hi = np.percentile(final, BAND)
        for source, v in [("sgd_mean", final.mean()), ("sgd_lo", lo), ("sgd_hi", hi)]:
            frames.append(pd.DataFrame({"quantity": "final_risk", "d": [p["d"]],
                                        "beta": [p["beta"]], "t": [th["t"][-1]],
                                        "source": [source], "value": [v]}))
        rows.append(_row("fig4", _risk_claim(f"{run} (beta={p['beta']:g})", fig),
                         risk_gap(th["risk"][k:k + 1], sm["risk"][k:k + 1], th["t"],
                                  fig["t_agree"], fig["max_risk_gap"]), 1.0))
    dd = phase["delta2_d"]
    for beta, v in zip(fig["delta2"]["betas"], phase["delta2"], strict=True):
        frames.append(pd.DataFrame({"quantity": "delta2", "d": dd, "beta": beta, "t": np.nan,
                                    "source": "closed_form", "value": v}))
        growth = np.log(v[-1] / v[-3]) / np.log(dd[-1] / dd[-3])
        below = beta < beta_c
        rows.append(_row("fig4", f"closed form: growth exponent of mu^T(K1+K2)^-1 mu in d at "
                                 f"d={dd[-1]}, beta={beta:g} "
                                 f"({'diverges' if below else 'converges'}; beta_c={beta_c:g})",
                         growth, 0.05 if below else 0.01, ">=" if below else "<="))
    return pd.concat(frames, ignore_index=True), rows


def own_overlaps(m: np.ndarray) -> np.ndarray:
    """Own-class overlaps ``m_cc = <X e_c, mu_c>`` from mean overlaps (..., L, K), L = K."""
    return np.diagonal(m, axis1=-2, axis2=-1)


def fig5_series(runs, data, theory, sim, fig):
    """Fig 5: K-way classification with K growing with d.

    Per d: the learned risk ``L(0) - L(t)`` (ODE, SGD mean and band) and the RMS over seeds of
    its relative deviation from the ODE, the own-class overlaps ``m_cc(t)``, and the
    single-run spread of the own-class overlaps about the ODE (RMS of the
    relative deviation over seeds, classes and t >= t_agree) against ``d / K``, the number of
    samples per class per unit time (expected slope -1/2, docs/exact_dynamics.md §4.4).
    """
    from hdsgd.observables.convergence_rate import fit_rate, rate_rows, rate_series, squared_gaps

    frames, rows, per_class, spread = [], [], [], []
    tag = fig["t_agree"]
    for run, p in runs.items():
        th, sm = theory[run], sim[run]
        gam, t = np.asarray(th["gammas"]), th["t"]
        L, Ls = th["risk"], sm["risk"]
        K = p["n_classes"]
        learned, learned_sgd = L[:, :1] - L, L[:, None, :1] - Ls
        frames.append(band_table(run, "learned_risk", gam, t, learned, learned_sgd)
                      .assign(d=p["d"], n_classes=K))
        # single runs about the ODE: RMS over seeds of the learned risk's relative deviation
        rms = np.sqrt(np.mean((learned_sgd[..., 1:] / learned[:, None, 1:] - 1) ** 2, axis=1))
        frames += [pd.DataFrame({"run": run, "quantity": "learned_risk_rel_rms", "gamma": g,
                                 "t": t[1:], "source": "sgd", "value": v, "d": p["d"],
                                 "n_classes": K}) for g, v in zip(gam, rms, strict=True)]
        label = f"{run} (d={p['d']}, K={K})"
        rows.append(_row("fig5", _risk_claim(label, fig),
                         risk_gap(L, Ls, t, tag, fig["max_risk_gap"]), 1.0))
        oo, os_ = own_overlaps(th["m"][0]), own_overlaps(sm["m"][0])   # (T, K), (S, T, K)
        keep = t >= tag
        o_ct, s_cst = oo[keep].T, np.moveaxis(os_[:, keep], 2, 0)       # (K, T), (K, S, T)
        rows.append(_row("fig5", f"{label}: own-class overlaps m_cc, RMS over classes and "
                                 f"t >= {tag:g} of (SGD mean - ODE) / SE (seed noise: ~1.2)",
                         rms_standard_score(o_ct, s_cst), fig["max_overlap_score"]))
        for c in range(K):
            frames.append(band_table(run, "own_overlap", [c], t, oo[None, :, c],
                                     os_[None, :, :, c]).rename(columns={"gamma": "class"})
                          .assign(d=p["d"], n_classes=K))
        per_class.append(p["d"] / K)
        # per seed: mean over classes and t >= t_agree of the squared relative deviation
        spread.append(squared_gaps(os_[:, keep] / oo[keep], 1.0, axis=(1, 2)))
    fit = fit_rate(per_class, spread, n_boot=fig["n_boot"], seed=fig["seed"])
    frames.append(pd.DataFrame(rate_series(fit, quantity="overlap_spread", expected=-0.5)))
    rows += rate_rows(fit, figure="exact_fig5", paper=PAPER,
                      quantity="concentration: own-class overlaps m_cc of single runs, relative "
                               f"deviation from the ODE, RMS over seeds, classes and t >= {tag:g}, "
                               "against d/K (sizes: d/K)",
                      expected=-0.5, tol=fig["slope_tol"],
                      why_expected="CLT over a class's samples, d/K per unit time")
    print(f"fitted slope of the overlap spread against d/K: {fit.slope:.3f} +- "
          f"{fit.slope_se:.3f}")
    return pd.concat(frames, ignore_index=True), rows


# why single runs approach the ODE at the configured rate, per covariance family of a setting
# (docs/exact_dynamics.md §7)
SCALING_REASONS = {
    "isotropic": "the projected norm x^T K x is O(1): every step's gradient is O(1)-random, "
                 "the overlaps of one run fluctuate by d^-1/2",
    "power_law": "a mean spread over a trace-class spectrum keeps x^T K x = O(1/d): the "
                 "prediction is deterministic to O(d^-1/2), one run deviates by O(1/d)",
}


def scaling_series(scaling: dict, settings: dict, theory, sim, *, controls=()):
    """Convergence in d (figure exact_scaling, docs/exact_dynamics.md §7): for every setting,
    the mean squared gap between each single run's risk and the ODE over the recorded
    ``t >= t_agree`` (:func:`hdsgd.observables.convergence_rate.squared_gaps`), its RMS over
    runs against d, the fitted slope with its bootstrap error over runs and the row
    ``|slope - expected| <= slope_tol``.

    ``sim`` and ``theory`` hold the arrays ``<run>_t``, ``<run>_mean``, ``<run>_risk`` of
    :func:`hdsgd.training.streaming_sgd.scaling_simulation` and
    :func:`hdsgd.theory.exact_run.scaling_theory`; for each label in ``controls``, ``theory``
    also holds a deliberately wrong ODE's risk ``<label>_control_<run>_risk``, whose gaps are
    fitted for the figure (series quantity ``<setting> <label> control``) but not scored."""
    from hdsgd.observables.convergence_rate import fit_rate, rate_rows, rate_series, squared_gaps

    rows, table = [], []
    fit_kw = {"n_boot": scaling["n_boot"], "seed": scaling["seed"]}
    for setting in scaling["settings"]:
        p = settings[setting]
        expected = scaling["expected_slope"][setting]
        gaps = {label: [] for label in ("", *controls)}
        for d in scaling["d"]:
            name = f"{setting}_d{d}"
            t = sim[f"{name}_t"]
            if not (np.array_equal(t, theory[f"{name}_t"])
                    and np.array_equal(sim[f"{name}_mean"], theory[f"{name}_mean"])):
                raise ValueError(f"{name}: simulation and theory use other times or means")
            keep = t >= scaling["t_agree"]
            for label, e in gaps.items():
                ode = theory[f"{label}_control_{name}_risk" if label else f"{name}_risk"]
                e.append(squared_gaps(sim[f"{name}_risk"][:, keep], ode[keep]))
        fit = fit_rate(scaling["d"], gaps.pop(""), **fit_kw)
        quantity = (f"{setting} (Fig 1 setting, {p['family']} covariance): binary logistic risk "
                    f"of single runs vs ODE, RMS over runs and t in [{scaling['t_agree']:g}, "
                    f"{scaling['t_max']:g}], gamma={scaling['gamma']:g}")
        rows += rate_rows(fit, figure="exact_scaling", paper=PAPER, quantity=quantity,
                          expected=expected, tol=scaling["slope_tol"],
                          why_expected=SCALING_REASONS[p["family"]])
        table += rate_series(fit, quantity=setting, expected=expected)
        print(f"{setting}: slope {fit.slope:.3f} +- {fit.slope_se:.3f} (expected {expected:g})")
        for label, e in gaps.items():
            wrong = fit_rate(scaling["d"], e, **fit_kw)
            table += rate_series(wrong, quantity=f"{setting} {label} control", expected=expected)
            print(f"  {label} control: slope {wrong.slope:.3f} +- {wrong.slope_se:.3f}")
    return pd.DataFrame(table), rows


def load_run_stages(inputs, runs) -> tuple[dict, dict, dict]:
    """``(data, theory, sim)``: run name -> loaded stage, from a series rule's inputs (lists
    ``data``, ``theory``, ``simulation`` in the order of ``runs``)."""
    from hdsgd.stages import load_stage

    out = []
    for stage in ("data", "theory", "simulation"):
        out.append({r: load_stage(path) for r, path in zip(runs, inputs[stage], strict=True)})
    return tuple(out)


def write_series(output, series, rows, inputs) -> None:
    """Write a figure's ``series.csv`` and ``agreement.csv`` (with provenance: inside a workflow
    job, its rule's params) and log the rows."""
    from hdsgd.agreement import write_agreement
    from hdsgd.stages import write_table

    write_table(series, output.series, inputs=inputs)
    write_agreement(output.agreement, rows, inputs=inputs)
    print(pd.DataFrame(rows).to_string())
