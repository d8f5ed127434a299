"""Agreement rows of the alignment paper's k-GMM figures (arXiv 2310.03010, Figs 2.1-2.3 and
the stand-ins 9.1, 9.2). Tolerances come from config ``alignment.<fig>`` (docs/alignment.md).

Each row compares quantities computed independently (simulation never uses a theory output
to decide what it measures) on the part of the curve that carries the claim.
"""

from __future__ import annotations

import numpy as np

from hdsgd.agreement import agreement_row
from hdsgd.observables.gmm_localisation import span_mass


def _final_and_gain(fig: str, label: str, align: np.ndarray, min_final: float,
                    min_gain: float) -> list[dict]:
    return [
        agreement_row(fig, "alignment", f"final alignment with E_k({label}), min over classes",
                      align[-1].min(), min_final, ">="),
        agreement_row(fig, "alignment", f"alignment gain with E_k({label}) from t = 0 to the "
                      "end, mean over classes", align[-1].mean() - align[0].mean(), min_gain,
                      ">="),
    ]


def fig2_1_rows(h_align: np.ndarray, g_align: np.ndarray, f: dict) -> list[dict]:
    """Alignment of x^c with E_k of its test-data blocks (n_ckpt, k): high at the end (paper's
    Thm 2.3: 1 - O(eps + 1/lambda)) and risen from the random level."""
    return (_final_and_gain("fig2_1", "Hessian block", h_align, f["min_final_alignment_hessian"],
                            f["min_gain"])
            + _final_and_gain("fig2_1", "G-matrix block", g_align, f["min_final_alignment_g"],
                              f["min_gain"]))


def span_fraction_ode(m: np.ndarray, Q: np.ndarray, gram: np.ndarray) -> np.ndarray:
    """ODE prediction of |P_mu x^1|^2 / |x^1|^2 = m G^{-1} m^T / Q_11 from the summary
    statistics m (..., k) (x^1 . mu_a) and Q_11 = |x^1|^2 (...)."""
    return np.einsum("...a,...a->...", m, np.linalg.solve(gram, m[..., None])[..., 0]) / Q


def fig2_2_rows(x1: np.ndarray, means: np.ndarray, h_vecs: np.ndarray, g_vecs: np.ndarray,
                frac_sim: np.ndarray, frac_ode: np.ndarray, f: dict) -> list[dict]:
    """End of training: where x^1 (d,) and the top-k eigenvectors (d, k) of H_11, G_11 live;
    along training: |P_mu x^1|^2 / |x^1|^2 from SGD and from the ODE (theory) at the
    checkpoints (it saturates near 1 at the end, so the whole curve is compared)."""
    support = np.argmax(np.abs(means), axis=1)  # coordinate of each mean (mu_a = e_{i_a})
    return [
        agreement_row("fig2_2", "alignment",
                      "fraction of |x^1|^2 in span(mu), SGD vs ODE: max over checkpoints",
                      np.max(np.abs(frac_sim - frac_ode)), f["max_span_fraction_gap"], "<="),
        agreement_row("fig2_2", "alignment",
                      "largest |entry| of x^1 is at mu_1's coordinate (1 = yes)",
                      float(np.argmax(np.abs(x1)) == support[0]), 1.0, ">="),
        agreement_row("fig2_2", "alignment",
                      "x^1 negative on the other means' coordinates: fraction of a != 1",
                      float(np.mean(x1[support[1:]] < 0)), 1.0, ">="),
        agreement_row("fig2_2", "alignment",
                      "top-k eigenvectors of H_11 on the means' span: |P_mu V|_F^2 / k",
                      span_mass(h_vecs, means).mean(), f["min_span_mass_hessian"], ">="),
        agreement_row("fig2_2", "alignment",
                      "top eigenvector of G_11 on the means' span: |P_mu v_1|^2",
                      span_mass(g_vecs[:, 0], means), f["min_top_span_mass_g"], ">="),
    ]


def fig2_3_rows(m_sim: np.ndarray, m_ode: np.ndarray, h_vals: np.ndarray, edge: np.ndarray,
                top_vec_mu1: float, acc_sim: np.ndarray, acc_ode: np.ndarray, k: int,
                f: dict) -> list[dict]:
    """Fig 2.3 at the simulation's checkpoints: overlaps x^1 . mu_a (n, k) from SGD and from the
    ODE; converged eigenvalues of H_11 (n, >= k + 2): k outliers (the separation row checks it)
    and the top of the bulk l_k+1 against the predicted bulk edge (n,); the squared overlap of
    the final top eigenvector with mu_1; test accuracy, SGD vs ODE."""
    lk, lk1, lk2 = h_vals[:, k - 1], h_vals[:, k], h_vals[:, k + 1]
    return [
        agreement_row("fig2_3", "alignment",
                      "x^1.mu_a, SGD vs effective-dynamics ODE: "
                      "max_{t,a} |gap| / max_t ODE x^1.mu_1",
                      np.abs(m_sim - m_ode).max() / np.abs(m_ode[:, 0]).max(), f["max_ode_gap"],
                      "<="),
        agreement_row("fig2_3", "alignment",
                      "top k eigenvalues of H_11 separated from the bulk at every checkpoint: "
                      "min_t (l_k - l_k+1) / (l_k+1 - l_k+2)",
                      np.min((lk - lk1) / (lk1 - lk2)), f["min_outlier_separation"], ">="),
        agreement_row("fig2_3", "alignment",
                      "H_11 bulk edge, l_k+1 vs weighted Marchenko-Pastur edge from the ODE: "
                      "max_t |l_k+1 / edge - 1|",
                      np.max(np.abs(lk1 / edge - 1)), f["max_edge_gap"], "<="),
        agreement_row("fig2_3", "alignment",
                      "top eigenvector of H_11 along mu_1 at the end: |<v_1, mu_1>|^2",
                      top_vec_mu1, f["min_top_vector_overlap"], ">="),
        agreement_row("fig2_3", "alignment",
                      "test accuracy, SGD vs the ODE's prediction: max_t |gap|",
                      np.max(np.abs(acc_sim - acc_ode)), f["max_accuracy_gap"], "<="),
    ]


def fig9_1_rows(times_train: np.ndarray, train: dict, times_test: np.ndarray, test: dict,
                f: dict) -> list[dict]:
    """Train-data alignments ``train[matrix]`` (n_train, k) against the test-data ones at the
    same checkpoints (``times_train`` is a subset of ``times_test``)."""
    rows = []
    at = np.searchsorted(times_test, times_train)
    late = times_train >= f["compare_from"]
    for matrix, key, label in [("hessian", "min_final_alignment_hessian", "Hessian"),
                               ("G", "min_final_alignment_g", "G-matrix")]:
        tr, te = train[matrix], test[matrix][at]
        rows.append(agreement_row("fig9_1", "alignment",
                                  f"final alignment with E_k(train-data {label} block), "
                                  "min over classes", tr[-1].min(), f[key], ">="))
        rows.append(agreement_row("fig9_1", "alignment",
                                  f"train- vs test-data alignment ({label}), mean |gap| over "
                                  f"classes and t >= {f['compare_from']:g}",
                                  np.abs(tr[late] - te[late]).mean(), f["max_train_test_gap"],
                                  "<="))
    return rows


def fig9_2_rows(g_vals: np.ndarray, bulk_top: np.ndarray, edge: np.ndarray,
                f: dict) -> list[dict]:
    """Converged top eigenvalues of G_11 (n, >= 1) and the top of its bulk (its top eigenvalue
    on the complement of span(mu, x), n) against its predicted bulk edge (n,): the mu_1 spike
    is an outlier throughout, and the edge is where the bulk ends."""
    return [
        agreement_row("fig9_2", "alignment",
                      "G_11 top eigenvalue above the predicted bulk edge: min_t l_1 / edge",
                      np.min(g_vals[:, 0] / edge), f["min_top_over_edge"], ">="),
        agreement_row("fig9_2", "alignment",
                      "G_11 bulk edge: top eigenvalue on span(mu, x)^perp vs predicted edge: "
                      "max_t |top / edge - 1|",
                      np.max(np.abs(bulk_top / edge - 1)), f["max_edge_gap"], "<="),
    ]
