"""Panels shared by the alignment paper's figures: per-class alignment curves (Fig 2.1 and its
train-data analogue), colour ramps with their colorbars, and the two ways a reference line is
drawn so that it stays visible next to a bundle of eigenvalue tracks (Figs 2.3, 2.5, 2.6, 9.2).

Legends go below the panels (``fig.legend(loc="outside lower center")``), never over data. A
set of many colours never gets one legend swatch: it gets a colorbar with one meaning (the
eigenvalue index j, a unit's output weight |v_i|).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize

from hdsgd.plotting.style import class_colors, new_figure

MATRIX_LABELS = {"hessian": r"$\nabla^2_{cc}\hat R$", "G": r"$\hat G_{cc}$"}
THEORY_UNDER_COLOR = "#9ecae1"  # light blue under-layer: thin lines on top stay visible


def ordered_colors(n: int):
    """``n`` colours for ordered curves (eigenvalue index): plasma from dark purple to orange,
    never the light yellow end."""
    cmap = plt.get_cmap("plasma")
    return [cmap(0.78 * i / max(n - 1, 1)) for i in range(n)]


def legend_below(fig, handles=None, labels=None, ncols: int = 5, **kw) -> None:
    """One figure legend under the panels (outside every axes); by default one entry per
    label of the drawn artists of every panel (several curves may share a label), each entry
    an artist that is drawn."""
    if handles is None:
        handles, labels = [], []
        for ax in fig.axes:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, frameon=False, **kw)


def _index_ticks(n: int) -> list[int]:
    """Integer ticks 1..n: every one up to 8 (a short colorbar has room for no more), else 1
    and multiples of 5."""
    return list(range(1, n + 1)) if n <= 8 else [1, *range(5, n + 1, 5)]


def _colorbar(fig, mappable, axes, label: str, **kw):
    cb = fig.colorbar(mappable, ax=axes, aspect=25, pad=0.02, **kw)
    cb.set_label(label)
    cb.ax.minorticks_off()
    # the edge lines between colours are not drawn (drawedges=False): their empty collection
    # is hidden so that nothing reads it as a black curve
    cb.dividers.set_visible(False)
    return cb


def key_colorbar(fig, axes, colors, label: str, **kw) -> None:
    """A discrete colorbar beside ``axes``: colour i is the integer i + 1 (a class, an
    eigenvector or eigenvalue index), for sets of curves too many or too close for a legend."""
    n = len(colors)
    sm = ScalarMappable(norm=BoundaryNorm(np.arange(0.5, n + 1.5), n),
                        cmap=ListedColormap(colors))
    _colorbar(fig, sm, axes, label, ticks=_index_ticks(n), **kw)


def index_colorbar(fig, axes, n: int, label: str, **kw):
    """Colours of the eigenvalue tracks j = 1..n (:func:`ordered_colors`) and the discrete
    colorbar beside ``axes`` saying which colour is which index; returns the colours."""
    colors = ordered_colors(n)
    key_colorbar(fig, axes, colors, label, **kw)
    return colors


def magnitude_colors(fig, axes, values: np.ndarray, vmin: float, label: str, **kw):
    """Colours of ``values`` on viridis from ``vmin`` to their maximum, below ``vmin`` grey
    (the colorbar's grey end), with the colorbar beside ``axes``; returns one colour per value.
    """
    cmap = plt.get_cmap("viridis").with_extremes(under="0.72")
    norm = Normalize(vmin=vmin, vmax=float(np.max(values)))
    _colorbar(fig, ScalarMappable(norm=norm, cmap=cmap), axes, label, extend="min", **kw)
    return [cmap(norm(x)) for x in values]


def draw_under(ax, x, y, label: str) -> None:
    """A theory curve as a wide light band under the data, so that thin tracks lying on it
    (a bulk edge on the top bulk eigenvalues) stay visible and so does the band."""
    ax.plot(x, y, color=THEORY_UNDER_COLOR, lw=8.0, solid_capstyle="butt", zorder=1.5,
            label=label)


def draw_over(ax, x, y, label: str | None) -> None:
    """A reference curve drawn over a bundle of tracks (the bulk edge at the top of a bulk of
    eigenvalues, which would hide it from below): black, dashed, in a white halo, so it
    stands out in luminance over light and dark tracks alike."""
    ax.plot(x, y, color="k", lw=1.0, ls=(0, (4, 2)), zorder=4, label=label,
            path_effects=[patheffects.Stroke(linewidth=3.0, foreground="white"),
                          patheffects.Normal()])


def class_alignment_figure(table, k: int, *, label_prefix: str = "", faint=None):
    """Two panels (Hessian, G-matrix) of ``alignment`` vs ``time``, one curve per class
    (colour key: a colorbar of the classes; the curves lie almost on top of each other, which
    is the paper's claim that all classes behave alike).

    ``table`` has columns time, class, matrix, alignment. ``faint`` (same columns), if given,
    is drawn black and dashed over the main curves for comparison (one legend entry for all
    classes: they lie on top of each other too).
    """
    fig, axes = new_figure(ncols=2, sharey=True, height=2.9)
    colors = class_colors(k)
    key_colorbar(fig, axes, colors, "class $c$")
    for ax, matrix in zip(axes[0], ["hessian", "G"]):
        for c, g in table[table["matrix"] == matrix].groupby("class"):
            ax.plot(g["time"], g["alignment"], color=colors[c - 1])
        if faint is not None:
            for _c, g in faint[faint["matrix"] == matrix].groupby("class"):
                ax.plot(g["time"], g["alignment"], color="k", lw=0.7, ls=(0, (3, 2)),
                        zorder=3, label="test data (Fig 2.1), every class")
        ax.set_title(f"alignment of $x^c_\\ell$ with $E_{{{k}}}$"
                     f"({label_prefix}{MATRIX_LABELS[matrix]})")
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.set_ylim(0, 1.02)
    axes[0, 0].set_ylabel(r"$\|P_E\, x^c\| / \|x^c\|$")
    if faint is not None:
        legend_below(fig, ncols=1)
    return fig
