"""Panels shared by the alignment paper's figures: per-class alignment curves (Fig 2.1 and its
train-data analogue) and eigenvalue tracks over training (Figs 2.3, 2.5, 9.2, ...).

Legends go below the panels (``fig.legend(loc="outside lower center")``), never over data.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from hdsgd.plotting.style import class_colors, new_figure

MATRIX_LABELS = {"hessian": r"$\nabla^2_{cc}\hat R$", "G": r"$\hat G_{cc}$"}


def ordered_colors(n: int):
    """``n`` colours for ordered curves (eigenvalue index, hidden unit): plasma from dark
    purple to orange, never the light yellow end."""
    cmap = plt.get_cmap("plasma")
    return [cmap(0.78 * i / max(n - 1, 1)) for i in range(n)]


def legend_below(fig, handles=None, labels=None, ncols: int = 5, **kw) -> None:
    """One figure legend under the panels (outside every axes)."""
    if handles is None:
        handles, labels = fig.axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, frameon=False, **kw)


def class_alignment_figure(table, k: int, *, label_prefix: str = "", faint=None):
    """Two panels (Hessian, G-matrix) of ``alignment`` vs ``time``, one curve per class.

    ``table`` has columns time, class, matrix, alignment. ``faint`` (same columns), if given,
    is drawn dashed and light under the main curves for comparison.
    """
    fig, axes = new_figure(ncols=2, sharey=True, height=2.9)
    colors = class_colors(k)
    for ax, matrix in zip(axes[0], ["hessian", "G"]):
        if faint is not None:
            for c, g in faint[faint["matrix"] == matrix].groupby("class"):
                ax.plot(g["time"], g["alignment"], color=colors[c - 1], lw=0.8, alpha=0.35,
                        ls="--")
        for c, g in table[table["matrix"] == matrix].groupby("class"):
            ax.plot(g["time"], g["alignment"], color=colors[c - 1], label=f"c = {c}")
        ax.set_title(f"alignment of $x^c_\\ell$ with $E_{{{k}}}$"
                     f"({label_prefix}{MATRIX_LABELS[matrix]})")
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.set_ylim(0, 1.02)
    axes[0, 0].set_ylabel(r"$\|P_E\, x^c\| / \|x^c\|$")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if faint is not None:
        handles.append(axes[0, 0].plot([], [], color="0.5", ls="--", alpha=0.5)[0])
        labels.append("test data")
    legend_below(fig, handles, labels, ncols=min(len(labels), 6))
    return fig
