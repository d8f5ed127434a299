"""Rank deficiency of an XOR run (arXiv 2310.03010, abstract: the final layer's outlier
eigenspace is rank deficient when SGD converges to a sub-optimal classifier; Fig 2.6).

A run *develops* the deficiency when the 4 x K matrix ``[g(W theta)]_theta`` of the hidden
means' representations has full rank 4 at initialisation, loses rank at some time and stays
rank-deficient until the end, while the test accuracy has stopped moving below the XOR optimum:
SGD has converged to a sub-optimal classifier. :func:`deficiency_profile` measures these
properties from per-checkpoint arrays; :func:`develops_deficiency` applies the thresholds. Both
the seed scan (which finds such runs among many seeds) and the figure's checks use them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class DeficiencyProfile:
    rank_start: int             # rank of [g(W theta)] at t = 0
    sv_ratio_start: float       # s_4 / s_1 at t = 0
    t_deficient: float          # first time from which the rank stays below 4 (inf: never)
    sv_ratio_end: float         # s_4 / s_1 at the end
    accuracy_end: float         # test accuracy at the end
    accuracy_spread_late: float  # max - min test accuracy over the last third of the run
    n_outliers_end: int         # vv Hessian outliers at the end
    rank_end: int

    def as_dict(self) -> dict:
        return asdict(self)


def deficiency_profile(times, sv, rank, accuracy, n_outliers) -> DeficiencyProfile:
    """Profile of one run from per-checkpoint singular values ``sv`` (n, 4), ``rank`` (n,),
    test ``accuracy`` (n,) and vv Hessian outlier counts ``n_outliers`` (n,)."""
    times, sv = np.asarray(times, float), np.asarray(sv, float)
    rank, accuracy = np.asarray(rank), np.asarray(accuracy, float)
    full = rank >= 4
    # first checkpoint after the last full-rank one (inf when the run ends at full rank)
    last_full = np.flatnonzero(full)
    if last_full.size == 0:
        t_def = float(times[0])
    elif last_full[-1] == times.size - 1:
        t_def = float("inf")
    else:
        t_def = float(times[last_full[-1] + 1])
    late = times >= times[-1] - (times[-1] - times[0]) / 3
    ratio = sv[:, 3] / np.maximum(sv[:, 0], np.finfo(float).tiny)
    return DeficiencyProfile(
        rank_start=int(rank[0]), sv_ratio_start=float(ratio[0]), t_deficient=t_def,
        sv_ratio_end=float(ratio[-1]), accuracy_end=float(accuracy[-1]),
        accuracy_spread_late=float(accuracy[late].max() - accuracy[late].min()),
        n_outliers_end=int(np.asarray(n_outliers)[-1]), rank_end=int(rank[-1]))


def develops_deficiency(p: DeficiencyProfile, *, max_t_deficient: float,
                        max_accuracy: float, max_accuracy_spread: float) -> bool:
    """Full rank at t = 0, rank-deficient from ``t_deficient <= max_t_deficient`` to the end,
    accuracy below ``max_accuracy`` and flat (spread <= ``max_accuracy_spread``) over the last
    third, and as many vv Hessian outliers as the rank at the end."""
    return (p.rank_start == 4 and 0 < p.t_deficient <= max_t_deficient
            and p.accuracy_end < max_accuracy and p.accuracy_spread_late <= max_accuracy_spread
            and p.n_outliers_end == p.rank_end)
