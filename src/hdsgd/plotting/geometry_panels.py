"""Shared drawing helpers of the local-geometry figures (arXiv 2502.15655).

The figures read their tidy ``series.csv`` (columns matrix, source, quantity, index, time,
value, ...) and draw; nothing is recomputed here. Legends go below the figure
(:func:`bottom_legend`) so they never cover data.
"""

from __future__ import annotations

import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D

from hdsgd.plotting.style import class_colors

__all__ = ["select", "bottom_legend", "STAND_IN", "MATRIX_NAMES", "MATRIX_SHORT", "outlier_colors",
           "handle", "handle_set"]

STAND_IN = ("the paper's figures were not readable: parameters chosen here, theory re-derived "
            "(docs/geometry.md)")
MATRIX_NAMES = {"hessian": r"Hessian block $\nabla^2_{cc}\hat R$",
                "g": r"G-matrix block $\hat G_{cc}$"}
MATRIX_SHORT = {"hessian": r"Hessian $\nabla^2_{cc}\hat R$", "g": r"G-matrix $\hat G_{cc}$"}


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


def handle_set(label, colors, **style):
    """One legend entry for a set of colours (e.g. outliers by rank): the proxies side by side."""
    return label, tuple(Line2D([], [], color=col, **style) for col in colors)


def bottom_legend(fig, handles, ncols: int = 3) -> None:
    """A figure legend below the axes (constrained layout makes room for it).

    ``handles``: proxies from :func:`handle`, or ``(label, proxies)`` from :func:`handle_set`.
    """
    artists = [h[1] if isinstance(h, tuple) else h for h in handles]
    labels = [h[0] if isinstance(h, tuple) else h.get_label() for h in handles]
    fig.legend(artists, labels, loc="outside lower center", ncols=ncols, frameon=False,
               handler_map={tuple: HandlerTuple(ndivide=None, pad=0.1)})
