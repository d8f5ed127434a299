"""Tidy tables of the XOR run's observables (arXiv 2310.03010, Figs 2.4-2.6).

* ``unit_table``: per checkpoint and hidden unit i, the alignment ``||Q^T W_i|| / ||W_i||`` of
  W_i with E_2 of its Hessian and G blocks, the fraction of W_i in span(mu, nu) and the fraction
  of E_2 inside span(mu, nu) (``||U^T Q||_F^2 / 2``, the first-layer subspace theorem).
* ``run_table``: per checkpoint, test accuracy (overall and per hidden class), singular values
  of ``[g(W theta)]_theta``, the alignment of v with E_4 of the vv blocks, the fraction of
  E_4 inside span{g(W theta)} (the vv subspace theorem) and the vv outlier counts.
* ``vv_eigen_table``: every vv eigenvalue, from the test sample and from the population.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hdsgd.data.xor import HIDDEN_NAMES
from hdsgd.models.two_layer import (
    accuracy,
    hidden_class_accuracy,
    mean_representation_singular_values,
)
from hdsgd.observables.alignment import alignment, subspace_fraction
from hdsgd.observables.xor_spectra import count_outliers

MATRICES = {"h": "hessian", "g": "G"}


def unit_table(times, W, spectra, hidden_means) -> pd.DataFrame:
    """Long table: time, unit (1-based), v_i, matrix, alignment, alignment_sq, w_span_fraction,
    e2_span_fraction."""
    n, K, d = W.shape
    U = np.linalg.qr(hidden_means[[0, 2]].T)[0]                       # basis of span(mu, nu)
    w_span = np.linalg.norm(W @ U, axis=-1) / np.linalg.norm(W, axis=-1)
    frames = []
    for m, name in MATRICES.items():
        Q = spectra[f"{m}w_vecs"][..., :2].astype(np.float64)         # (n, K, d, 2)
        a = alignment(W, Q)
        frac = subspace_fraction(Q, U)
        frames.append(pd.DataFrame({
            "time": np.repeat(times, K), "unit": np.tile(np.arange(1, K + 1), n),
            "matrix": name, "alignment": a.ravel(), "alignment_sq": a.ravel() ** 2,
            "w_span_fraction": w_span.ravel(), "e2_span_fraction": frac.ravel()}))
    return pd.concat(frames, ignore_index=True)


def run_table(times, W, v, spectra, data, *, outlier_margin: float) -> pd.DataFrame:
    """One row per checkpoint (see module docstring)."""
    y, Y, hidden = data["test_y"], data["test_Y"].astype(np.float64), data["test_hidden"]
    means = data["hidden_means"]
    rows = []
    for t in range(len(times)):
        row = {"time": times[t], "accuracy": accuracy(W[t], v[t], y, Y)}
        for name, acc in zip(HIDDEN_NAMES, hidden_class_accuracy(W[t], v[t], y, Y, hidden)):
            row[f"accuracy_{name}"] = acc
        sv = mean_representation_singular_values(W[t], means)
        for j in range(4):
            row[f"sv{j + 1}"] = sv[j] if j < sv.size else 0.0
        G_span = np.linalg.svd(np.maximum(means @ W[t].T, 0.0).T, full_matrices=False)[0]
        for m, name in MATRICES.items():
            vals, vecs, edge = (spectra[f"{m}vv_vals"][t], spectra[f"{m}vv_vecs"][t],
                                spectra[f"{m}vv_edge"][t])
            k4 = min(4, vals.size)
            row[f"v_alignment_{name}"] = float(alignment(v[t], vecs[:, :k4]))
            row[f"e4_in_gspan_{name}"] = float(subspace_fraction(vecs[:, :k4], G_span[:, :k4]))
            row[f"edge_{name}"] = edge
            row[f"n_outliers_{name}"] = int(count_outliers(vals, edge, outlier_margin))
            row[f"gap12_{name}"] = vals[0] / vals[1]
            if vals.size > 4:
                row[f"gap45_{name}"] = vals[3] / vals[4]
        rows.append(row)
    return pd.DataFrame(rows)


def vv_eigen_table(times, spectra, population) -> pd.DataFrame:
    """Long table: time, matrix, index (1 = largest), value, source (test / population)."""
    frames = []
    for source, st in (("test", spectra), ("population", population)):
        for m, name in MATRICES.items():
            vals = st[f"{m}vv_vals"]
            n, K = vals.shape
            frames.append(pd.DataFrame({
                "time": np.repeat(times, K), "matrix": name,
                "index": np.tile(np.arange(1, K + 1), n), "value": vals.ravel(),
                "source": source}))
    return pd.concat(frames, ignore_index=True)


def w_block_eigen_table(times, spectra, unit: int) -> pd.DataFrame:
    """Long table of the top first-layer block eigenvalues of one unit (1-based)."""
    frames = []
    for m, name in MATRICES.items():
        vals = spectra[f"{m}w_vals"][:, unit - 1]
        n, p = vals.shape
        frames.append(pd.DataFrame({"time": np.repeat(times, p), "matrix": name,
                                    "index": np.tile(np.arange(1, p + 1), n),
                                    "value": vals.ravel(), "unit": unit}))
    return pd.concat(frames, ignore_index=True)
