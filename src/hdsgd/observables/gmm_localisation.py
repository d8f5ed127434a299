"""Where SGD iterates and outlier eigenvectors live, for the k-GMM (arXiv 2310.03010, Figs 2.2-2.3).

* span_mass(V, mu) = |P_span(mu) v|^2 / |v|^2 per column v: the fraction of a vector in the
  means' span (for coordinate means mu_a = e_{i_a}, the squared mass on the coordinates i_a).
  The paper's Thm 2.3/2.4 say x^c and the top-k eigenvectors of the (c, c) blocks live there up
  to O(eps + 1/lam).
* orient(V): the sign convention of Fig 2.2 (largest-|entry| coordinate positive), since an
  eigenvector is defined up to sign.
* outlier_separation(vals, k) = (l_k - l_{k+1}) / (l_{k+1} - l_n): the gap between the k-th
  and (k+1)-th eigenvalues in units of the spread of the computed bulk eigenvalues (Fig 2.3:
  "the top k eigenvalues separate from the bulk").
"""

from __future__ import annotations

import numpy as np


def span_mass(vectors: np.ndarray, means: np.ndarray) -> np.ndarray:
    """|P v|^2 / |v|^2 for each column of ``vectors`` (d, n) (or a single vector (d,))."""
    V = np.asarray(vectors, dtype=float)
    single = V.ndim == 1
    V = V[:, None] if single else V
    q, _ = np.linalg.qr(np.asarray(means, dtype=float).T)  # (d, k) orthonormal basis of span
    out = np.sum((q.T @ V) ** 2, axis=0) / np.sum(V**2, axis=0)
    return out[0] if single else out


def orient(vectors: np.ndarray) -> np.ndarray:
    """Flip each column of ``vectors`` (d, n) so its largest-magnitude entry is positive."""
    V = np.array(vectors, dtype=float, copy=True)
    idx = np.argmax(np.abs(V), axis=0)
    V *= np.sign(V[idx, np.arange(V.shape[1])])
    return V


def outlier_separation(vals: np.ndarray, k: int) -> np.ndarray:
    """(l_k - l_{k+1}) / (l_{k+1} - l_last) over the last axis of descending ``vals`` (..., n).

    Needs n >= k + 2 computed eigenvalues (at least two in the bulk).
    """
    vals = np.asarray(vals, dtype=float)
    if vals.shape[-1] < k + 2:
        raise ValueError(f"need at least k + 2 = {k + 2} eigenvalues, got {vals.shape[-1]}")
    return (vals[..., k - 1] - vals[..., k]) / (vals[..., k] - vals[..., -1])
