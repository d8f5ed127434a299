"""Shared figure style: one look for every paper figure, byte-reproducible PDFs.

PDFs are written with fixed metadata (no creation date), TrueType fonts (``pdf.fonttype``
42) and fonts shipped with matplotlib (DejaVu, mathtext), so rebuilding a figure from the
same stage files gives the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RC = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 7,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.2,
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "axes.spines.top": False,
    "axes.spines.right": False,
}

PANEL_WIDTH = 3.2
PANEL_HEIGHT = 2.6


def apply_style() -> None:
    """Install the project's rcParams."""
    matplotlib.rcParams.update(RC)


def new_figure(ncols: int = 1, nrows: int = 1, *, sharex=False, sharey=False,
               width: float | None = None, height: float | None = None):
    """A figure with an ``nrows x ncols`` grid of axes (always a 2-D array) in project style."""
    apply_style()
    w = width if width is not None else PANEL_WIDTH * ncols
    h = height if height is not None else PANEL_HEIGHT * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(w, h), sharex=sharex, sharey=sharey,
                             squeeze=False, layout="constrained")
    return fig, axes


def class_colors(n: int):
    """``n`` distinguishable colours (tab10 up to 10, a sampled viridis beyond)."""
    if n <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(n)]
    cmap = plt.get_cmap("viridis")
    return [cmap(i / max(n - 1, 1)) for i in range(n)]


def sequential_colors(n: int, cmap: str = "viridis"):
    """``n`` colours along a sequential map, for ordered parameters (learning rates, d, ...)."""
    cm = plt.get_cmap(cmap)
    return [cm(0.1 + 0.8 * i / max(n - 1, 1)) for i in range(n)]


def mark_stand_in(fig, why: str) -> None:
    """Label a figure whose content is not attested by the paper (a reconstruction)."""
    fig.text(0.5, -0.02, f"STAND-IN: {why}", ha="center", va="top", fontsize=7,
             color="firebrick", wrap=True)


def annotate_agreement(ax, text: str) -> None:
    """Small boxed note (e.g. the theory-simulation gap) in the corner of an axes."""
    ax.text(0.98, 0.02, text, transform=ax.transAxes, ha="right", va="bottom", fontsize=7,
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.7", "alpha": 0.9})


def save_pdf(fig, path) -> None:
    """Save ``fig`` as a byte-reproducible PDF (atomically) and close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    fig.savefig(tmp, format="pdf", metadata={"CreationDate": None, "ModDate": None,
                                             "Creator": "hdsgd", "Producer": "hdsgd"})
    plt.close(fig)
    os.replace(tmp, path)
