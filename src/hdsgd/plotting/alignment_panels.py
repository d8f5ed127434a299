"""Panels of per-class alignment curves (alignment paper, Fig 2.1 and its train-data analogue)."""

from __future__ import annotations

from hdsgd.plotting.style import class_colors, new_figure

MATRIX_LABELS = {"hessian": r"$\nabla^2_{cc}\hat R$", "G": r"$\hat G_{cc}$"}


def class_alignment_figure(table, k: int, *, label_prefix: str = "", faint=None):
    """Two panels (Hessian, G-matrix) of ``alignment`` vs ``time``, one curve per class.

    ``table`` has columns time, class, matrix, alignment. ``faint`` (same columns), if given,
    is drawn dashed and light under the main curves for comparison.
    """
    fig, axes = new_figure(ncols=2, sharey=True)
    colors = class_colors(k)
    for ax, matrix in zip(axes[0], ["hessian", "G"]):
        if faint is not None:
            for c, g in faint[faint["matrix"] == matrix].groupby("class"):
                ax.plot(g["time"], g["alignment"], color=colors[c - 1], lw=0.8, alpha=0.35,
                        ls="--")
            ax.plot([], [], color="0.5", ls="--", alpha=0.5, label="test data")
        for c, g in table[table["matrix"] == matrix].groupby("class"):
            ax.plot(g["time"], g["alignment"], color=colors[c - 1], label=f"c = {c}")
        ax.set_title(f"alignment of $x^c_\\ell$ with $E_{{{k}}}$"
                     f"({label_prefix}{MATRIX_LABELS[matrix]})")
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.set_ylim(0, 1.02)
    axes[0, 0].set_ylabel(r"$\|P_E\, x^c\| / \|x^c\|$")
    axes[0, 1].legend(ncols=2, loc="lower right", fontsize=6, title="class")
    return fig
