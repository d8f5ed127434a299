"""Shared drawing helpers of the local-geometry figures (arXiv 2502.15655).

The figures read their tidy ``series.csv`` (columns matrix, source, quantity, index, time,
value, ...) and draw; nothing is recomputed here. Legends go below the figure
(:func:`bottom_legend`) so they never cover data.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from hdsgd.plotting.style import class_colors

__all__ = ["select", "bottom_legend", "STAND_IN", "MATRIX_NAMES", "outlier_colors", "handle"]

STAND_IN = ("parameters chosen here (the paper's figures were not readable); theory re-derived, "
            "see docs/geometry.md")
MATRIX_NAMES = {"hessian": r"Hessian block $\nabla^2_{cc}\hat R$",
                "g": r"G-matrix block $\hat G_{cc}$"}


def select(df, **filters):
    """Rows of a series table matching every ``column=value`` filter, sorted by time."""
    mask = np.ones(len(df), dtype=bool)
    for key, value in filters.items():
        mask &= (df[key] == value).to_numpy()
    out = df[mask]
    return out.sort_values("time") if "time" in out else out


def outlier_colors(n: int):
    """One colour per outlier / eigenvalue index (tab10 without its grey and olive)."""
    cols = class_colors(10)
    keep = [0, 1, 2, 3, 4, 5, 6, 9]
    return [cols[keep[i % len(keep)]] for i in range(n)]


def handle(label, **style):
    """A legend entry (a proxy line) with matplotlib line/marker keywords."""
    style.setdefault("color", "k")
    return Line2D([], [], label=label, **style)


def bottom_legend(fig, handles, ncols: int = 3) -> None:
    """A figure legend below the axes (constrained layout makes room for it)."""
    fig.legend(handles=handles, loc="outside lower center", ncols=ncols, frameon=False)
