"""Alignment of vectors with subspaces, and principal angles between subspaces.

The alignment of ``v`` with the span ``E`` of orthonormal columns ``Q`` is
``||P_E v|| / ||v|| = ||Q^T v|| / ||v||`` in [0, 1] (arXiv 2310.03010, Def. 2.2: ``v`` lives in
``E`` up to error ``eps`` iff ``||P_E^perp v|| <= eps ||v||``, i.e. ``sqrt(1 - alignment^2)``).
"""

from __future__ import annotations

import numpy as np


def alignment(v: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """``||Q^T v|| / ||v||`` for ``v`` (..., d) and orthonormal ``Q`` (..., d, j)."""
    proj = np.einsum("...dj,...d->...j", Q, v)
    return np.linalg.norm(proj, axis=-1) / np.linalg.norm(v, axis=-1)


def principal_angles(Q1: np.ndarray, Q2: np.ndarray) -> np.ndarray:
    """Principal angles (radians, ascending) between spans of orthonormal ``Q1``, ``Q2``."""
    s = np.linalg.svd(np.swapaxes(Q1, -1, -2) @ Q2, compute_uv=False)
    s = np.clip(s, -1.0, 1.0)
    return np.sort(np.arccos(s), axis=-1)


def subspace_fraction(Q: np.ndarray, U: np.ndarray) -> np.ndarray:
    """Fraction of span(Q) inside span(U): ``||U^T Q||_F^2 / j`` (both orthonormal)."""
    return np.sum((np.swapaxes(U, -1, -2) @ Q) ** 2, axis=(-2, -1)) / Q.shape[-1]


def alignment_frame(times: np.ndarray, alignments: dict):
    """Tidy table of per-class alignments: ``alignments`` maps a matrix name (e.g.
    ``"hessian"``) to an array (n_ckpt, k). Columns: time, class (1-based), matrix,
    alignment, alignment_sq."""
    import pandas as pd

    frames = []
    for name, a in alignments.items():
        n_ckpt, k = a.shape
        frames.append(pd.DataFrame({
            "time": np.repeat(times, k), "class": np.tile(np.arange(1, k + 1), n_ckpt),
            "matrix": name, "alignment": a.ravel(), "alignment_sq": a.ravel() ** 2}))
    return pd.concat(frames, ignore_index=True)
