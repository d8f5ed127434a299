"""Agreement rows of the alignment paper's XOR figures (arXiv 2310.03010, Figs 2.4-2.6 and the
first-layer stand-in). Tolerances come from config ``xor.<fig>`` (docs/alignment.md)."""

from __future__ import annotations

import numpy as np

from hdsgd.agreement import agreement_row
from hdsgd.observables.xor_deficiency import deficiency_profile

LABELS = {"hessian": "Hessian", "G": "G-matrix"}


def scored_units(v_final: np.ndarray, fraction: float) -> np.ndarray:
    """Units whose final output weight is at least ``fraction`` of the largest:
    ``|v_i| >= fraction * max_j |v_j|`` (boolean mask over units).

    The rule reads v only, never an alignment: the first-layer drift of unit i is
    ``-E[r v_i 1{W_i.Y > 0} Y]``, proportional to v_i, so a unit with a small |v_i| learns
    slowly and may not have aligned by the end of the run (docs/alignment.md).
    """
    a = np.abs(np.asarray(v_final, dtype=float))
    return a >= fraction * a.max()


def unit_alignment_rows(obs, v_final: np.ndarray, f: dict) -> list[dict]:
    """Figs 2.4 (a, b): every scored unit (:func:`scored_units`) has aligned with E_2 of its
    Hessian and G blocks by the end, risen from the random level, and E_2 lies in
    span(mu, nu); min over the scored units, so no unit hides behind the others."""
    scored = scored_units(v_final, f["scored_v_fraction"])
    units = f"scored units (final |v_i| >= {f['scored_v_fraction']:g} max |v|)"
    rows = [agreement_row("fig2_4", "alignment", f"number of {units}: XOR needs one unit per "
                          "hidden class", scored.sum(), f["min_scored_units"], ">=")]
    for n, label in LABELS.items():
        a = obs[f"w_alignment_{n}"][:, scored]                  # (n_ckpt, n_scored)
        rows += [
            agreement_row("fig2_4", "alignment", f"min over {units} of the final alignment "
                          f"of W_i with E_2({label} W_iW_i block)", a[-1].min(),
                          f[f"min_w_alignment_{n.lower()}"], ">="),
            agreement_row("fig2_4", "alignment", f"min over {units} of the alignment gain of "
                          f"W_i with E_2({label} block), t=0 to end", (a[-1] - a[0]).min(),
                          f["min_w_gain"], ">="),
            agreement_row("fig2_4", "alignment", f"theorem: min over {units} of the fraction "
                          f"of E_2({label} W_iW_i block) inside span(mu, nu), end",
                          obs[f"e2_span_fraction_{n}"][-1, scored].min(),
                          f["min_e2_span_fraction"], ">="),
        ]
    return rows


def fig2_4_rows(obs, v_final: np.ndarray, f: dict) -> list[dict]:
    """Layerwise alignment (per-checkpoint arrays of the run's observables stage; ``v_final``
    the second-layer weights at the end, which select the scored units)."""
    rows = [agreement_row("fig2_4", "alignment", f"final alignment of v with E_4({n} vv block)",
                          obs[f"v_alignment_{n}"][-1], f[f"min_v_alignment_{k}"], ">=")
            for n, k in (("hessian", "hessian"), ("G", "g"))]
    rows += unit_alignment_rows(obs, v_final, f)
    rows += [
        agreement_row("fig2_4", "alignment", "theorem: fraction of E_r(Hessian vv block) inside "
                      "span{g(W theta)} (r = its rank), end", obs["er_in_gspan_hessian"][-1],
                      f["min_er_in_gspan"], ">="),
        agreement_row("fig2_4", "alignment", "final test accuracy (XOR learned)",
                      obs["accuracy"][-1], f["min_accuracy"], ">="),
    ]
    return rows


def population_gap(test_vals: np.ndarray, pop_vals: np.ndarray, n_top: int = 4) -> float:
    """max over time of max_j<=n_top |test - population| eigenvalue / population top one."""
    gap = np.abs(test_vals[:, :n_top] - pop_vals[:, :n_top]).max(axis=1)
    return float(np.max(gap / pop_vals[:, 0]))


def fig2_5_rows(obs, theory, f: dict) -> list[dict]:
    """vv-block spectra (test sample, observables stage) against the population blocks (theory
    stage) and the outlier counts the paper's caption states."""
    h_out, g_out = obs["n_outliers_hessian"], obs["n_outliers_G"]
    g0 = obs["gvv_vals"][0]
    rows = [
        agreement_row("fig2_5", "alignment", "Hessian vv outliers at t=0: |count - 1|",
                      abs(h_out[0] - 1), 0, "<="),
        agreement_row("fig2_5", "alignment", "Hessian vv outliers at the end: |count - 4|",
                      abs(h_out[-1] - 4), 0, "<="),
        agreement_row("fig2_5", "alignment", "G vv at t=0: 1st / 2nd eigenvalue (one dominant "
                      "outlier)", g0[0] / g0[1], f["min_g_gap12_init"], ">="),
        agreement_row("fig2_5", "alignment", "G vv outliers at the end: |count - 4|",
                      abs(g_out[-1] - 4), 0, "<="),
    ]
    for m, n in (("h", "hessian"), ("g", "G")):
        rows.append(agreement_row(
            "fig2_5", "alignment", f"theory: max over time of |test - population| top-4 {n} vv "
            "eigenvalues / population top eigenvalue",
            population_gap(obs[f"{m}vv_vals"], theory[f"{m}vv_vals"]), f["max_population_gap"],
            "<="))
    return rows


def fig2_6_rows(obs, f: dict, scan: dict) -> list[dict]:
    """A run converging to a sub-optimal classifier: [g(W theta)] full rank at t = 0, rank
    deficient from some time on, as many vv Hessian outliers as its rank at every checkpoint
    after the burn-in, accuracy flat below the optimum, one hidden class unresolved."""
    times = np.asarray(obs["times"])
    prof = deficiency_profile(times, obs["sv"], obs["rank"], obs["accuracy"],
                              obs["n_outliers_hessian"])
    late = times >= f["burn_in"]
    mismatch = np.abs(obs["n_outliers_hessian"][late] - obs["rank"][late]).max()
    return [
        agreement_row("fig2_6", "alignment", "rank of [g(W theta)] at t=0 (full: 4)",
                      prof.rank_start, 4, ">="),
        agreement_row("fig2_6", "alignment", "rank of [g(W theta)] below 4 from this time to "
                      "the end", prof.t_deficient, scan["max_t_deficient"], "<="),
        agreement_row("fig2_6", "alignment", f"theorem: max over t >= {f['burn_in']:g} of "
                      "|Hessian vv outliers - rank [g(W theta)]|", mismatch, 0, "<="),
        agreement_row("fig2_6", "alignment", "final test accuracy (sub-optimal classifier)",
                      prof.accuracy_end, scan["max_accuracy"], "<="),
        agreement_row("fig2_6", "alignment", "test accuracy max - min over the last third "
                      "(converged)", prof.accuracy_spread_late, scan["max_accuracy_spread"],
                      "<="),
        agreement_row("fig2_6", "alignment", "worst hidden-class test accuracy at the end "
                      "(unresolved class)", np.min(obs["hidden_accuracy"][-1]),
                      f["max_worst_class_accuracy"], "<="),
    ]


def first_layer_rows(unit: int, obs, f: dict) -> list[dict]:
    """One unit's (1-based) first-layer alignment and subspace fraction at the end."""
    rows = []
    for n in LABELS:
        rows.append(agreement_row("xor_first_layer", "alignment",
                                  f"unit {unit}: alignment of W_i with E_2({n} block), end",
                                  obs[f"w_alignment_{n}"][-1, unit - 1], f["min_unit_alignment"],
                                  ">="))
        rows.append(agreement_row("xor_first_layer", "alignment",
                                  f"unit {unit}: fraction of E_2({n} block) in span(mu, nu)",
                                  obs[f"e2_span_fraction_{n}"][-1, unit - 1],
                                  f["min_e2_span_fraction"], ">="))
    return rows
