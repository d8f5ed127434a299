"""Per-checkpoint observables of an XOR run (arXiv 2310.03010, Figs 2.4-2.6), from its spectra.

* :func:`unit_observables`: per checkpoint and hidden unit i, the alignment
  ``||Q^T W_i|| / ||W_i||`` of W_i with E_2 of its Hessian and G blocks, the fraction of W_i in
  span(mu, nu) and the fraction ``||U^T Q||_F^2 / 2`` of E_2 inside span(mu, nu) (the
  first-layer subspace theorem).
* :func:`checkpoint_observables`: test accuracy (overall and per hidden class), singular values
  of ``[g(W theta)]_theta`` and the rank r of that matrix (singular values above ``rank_tol``
  times the largest), the alignment of v with E_4 of the vv blocks, the fraction of E_r of the
  vv blocks inside the r-dimensional span{g(W theta)} (the vv subspace theorem: the top-r
  eigenvectors, r the rank, so the check keeps its meaning in a rank-deficient run) and the
  number of vv outliers above the bulk edge.
"""

from __future__ import annotations

import numpy as np

from hdsgd.models.two_layer import (
    accuracy,
    hidden_class_accuracy,
    mean_representation_singular_values,
)
from hdsgd.observables.alignment import alignment, subspace_fraction
from hdsgd.observables.xor_spectra import count_outliers

MATRICES = {"h": "hessian", "g": "G"}


def unit_observables(W: np.ndarray, spectra, hidden_means: np.ndarray) -> dict:
    """Arrays (n_ckpt, K): ``w_alignment_{hessian,G}``, ``e2_span_fraction_{hessian,G}`` and
    ``w_span_fraction``, from first-layer eigenvectors ``spectra[{h,g}w_vecs]`` (n, K, d, >=2)."""
    U = np.linalg.qr(hidden_means[[0, 2]].T)[0]                       # basis of span(mu, nu)
    out = {"w_span_fraction": np.linalg.norm(W @ U, axis=-1) / np.linalg.norm(W, axis=-1)}
    for m, name in MATRICES.items():
        Q = np.asarray(spectra[f"{m}w_vecs"][..., :2], dtype=np.float64)
        out[f"w_alignment_{name}"] = alignment(W, Q)
        out[f"e2_span_fraction_{name}"] = subspace_fraction(Q, U)
    return out


def representation_rank(sv: np.ndarray, rank_tol: float) -> np.ndarray:
    """Number of singular values above ``rank_tol`` times the largest (last axis)."""
    sv = np.asarray(sv, dtype=float)
    return np.sum(sv > rank_tol * sv[..., :1], axis=-1)


def checkpoint_observables(W, v, spectra, data, *, outlier_margin: float,
                           rank_tol: float) -> dict:
    """Arrays with a leading checkpoint axis (module docstring)."""
    y, Y, hidden = data["test_y"], data["test_Y"], data["test_hidden"]
    means = data["hidden_means"]
    n = W.shape[0]
    out = {"accuracy": np.empty(n), "hidden_accuracy": np.empty((n, 4)), "sv": np.zeros((n, 4)),
           "rank": np.empty(n, dtype=np.int64)}
    for name in MATRICES.values():
        for key in ("v_alignment", "er_in_gspan"):
            out[f"{key}_{name}"] = np.empty(n)
        out[f"n_outliers_{name}"] = np.empty(n, dtype=np.int64)
    for t in range(n):
        out["accuracy"][t] = accuracy(W[t], v[t], y, Y)
        out["hidden_accuracy"][t] = hidden_class_accuracy(W[t], v[t], y, Y, hidden)
        sv = mean_representation_singular_values(W[t], means)
        out["sv"][t, :sv.size] = sv[:4]
        r = int(representation_rank(out["sv"][t], rank_tol))
        out["rank"][t] = r
        span = np.linalg.svd(np.maximum(means @ W[t].T, 0.0).T, full_matrices=False)[0][:, :r]
        for m, name in MATRICES.items():
            vals, vecs = spectra[f"{m}vv_vals"][t], spectra[f"{m}vv_vecs"][t]
            out[f"v_alignment_{name}"][t] = alignment(v[t], vecs[:, :min(4, vals.size)])
            out[f"er_in_gspan_{name}"][t] = subspace_fraction(vecs[:, :r], span) if r else 0.0
            out[f"n_outliers_{name}"][t] = count_outliers(vals, spectra[f"{m}vv_edge"][t],
                                                         outlier_margin)
    return out
