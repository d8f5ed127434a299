"""Shared figure style: one look for every paper figure, byte-reproducible PDFs.

PDFs are written with fixed metadata (no creation date), TrueType fonts (``pdf.fonttype``
42) and fonts shipped with matplotlib (DejaVu, mathtext), so rebuilding a figure from the
same stage files gives the same bytes. Figures are sized for a 6.5 in text width and
:func:`save_pdf` refuses one that prints wider, sets text below 7 pt or hides data under a
legend or text box (:mod:`hdsgd.plotting.layout`).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import (  # noqa: E402
    FormatStrFormatter,
    LogFormatterSciNotation,
    LogLocator,
    MaxNLocator,
    NullFormatter,
)

from hdsgd.plotting.layout import (  # noqa: E402
    TEXT_WIDTH_IN,
    FigureLayoutError,
    check_layout,
    savefig_measured,
)

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
MIN_PANEL_HEIGHT = 1.8
# the saved figure adds savefig.pad_inches (0.1 in) on each side of its tight bounding box
DEFAULT_MAX_WIDTH = TEXT_WIDTH_IN - 0.2


def apply_style() -> None:
    """Install the project's rcParams."""
    matplotlib.rcParams.update(RC)


def new_figure(ncols: int = 1, nrows: int = 1, *, sharex=False, sharey=False,
               width: float | None = None, height: float | None = None):
    """A figure with an ``nrows x ncols`` grid of axes (always a 2-D array) in project style.

    Sized for a page: one column is :data:`PANEL_WIDTH` wide, two or more share the text
    width less the 0.1 in padding the saved PDF adds on each side (6.3 in); panels get
    shorter as they get narrower. ``width`` above the 6.5 in text width is refused here
    (:func:`save_pdf` would refuse the figure anyway).
    """
    apply_style()
    w = width if width is not None else min(PANEL_WIDTH * ncols, DEFAULT_MAX_WIDTH)
    if w > TEXT_WIDTH_IN:
        raise FigureLayoutError(f"new_figure: width {w} in exceeds the {TEXT_WIDTH_IN} in "
                                "text width of a page")
    panel_h = min(PANEL_HEIGHT, max(MIN_PANEL_HEIGHT, 0.85 * w / ncols))
    h = height if height is not None else panel_h * nrows
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


def log_y_labels(ax) -> None:
    """Readable labels on a log y axis, at least two of them in view (the layout audit refuses
    fewer): powers of ten where two or more fall in the view, else 1, 2 and 5 times them where
    two or more do, else three plain numbers; minor ticks unlabelled (crowded labels
    overlap)."""
    lo, hi = sorted(ax.get_ylim())
    decades = 10.0 ** np.arange(np.floor(np.log10(lo)), np.ceil(np.log10(hi)) + 1)

    def in_view(subs) -> int:
        ticks = np.outer(decades, subs).ravel()
        return np.count_nonzero((ticks >= lo * (1 - 1e-9)) & (ticks <= hi * (1 + 1e-9)))

    if in_view([1.0]) >= 2:
        ax.yaxis.set_major_locator(LogLocator(base=10))
        ax.yaxis.set_major_formatter(LogFormatterSciNotation())
    elif in_view([1.0, 2.0, 5.0]) >= 2:
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        # label every one (by default a formatter labels 1, 2, 3, 4, 6 times a power of ten
        # only on a short axis, so 5 x 10^k would stay blank)
        ax.yaxis.set_major_formatter(LogFormatterSciNotation(labelOnlyBase=False,
                                                             minor_thresholds=(np.inf, np.inf)))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.yaxis.set_major_formatter(FormatStrFormatter("%.2g"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def mark_stand_in(fig, why: str) -> None:
    """Label a figure whose content is not attested by the paper (a reconstruction).

    One line of 7-pt red text above the figure (over the suptitle), leaving the bottom for a
    figure legend (``fig.legend(loc="outside lower center")``). A note wider than the 6.3 in
    the page leaves a figure (:data:`DEFAULT_MAX_WIDTH`) would wrap or widen the page and is
    refused: the details belong in the README and the report caption.
    """
    note = fig.text(0.5, 1.0, f"STAND-IN: {why}", ha="center", va="bottom", fontsize=7,
                    color="firebrick")
    width = note.get_window_extent(fig.canvas.get_renderer()).width / fig.dpi
    if "\n" in why or width > DEFAULT_MAX_WIDTH:
        note.remove()
        raise FigureLayoutError(f"stand-in note {note.get_text()[:60]!r}... is {width:.1f} in "
                                f"wide, more than one line ({DEFAULT_MAX_WIDTH:.1f} in): say the "
                                "rest in the README and the report caption")


def annotate_agreement(ax, text: str) -> None:
    """Small note (e.g. the theory-simulation gap) under an axes, below its x label.

    It sits outside the plotting area, so it never hides data (the layout audit of
    :func:`save_pdf` would refuse a note over data).
    """
    ax.annotate(text, xy=(0.5, 0.0), xycoords=ax.xaxis.label, xytext=(0, -2),
                textcoords="offset points", ha="center", va="top", fontsize=7, color="0.25")


def save_pdf(fig, path) -> None:
    """Audit ``fig``'s layout, save it as a byte-reproducible PDF (atomically) and close it.

    The audit (:mod:`hdsgd.plotting.layout`), measured while the PDF is written, prints one
    summary line (printed width, smallest font, most-covered artist) and raises
    :class:`~hdsgd.plotting.layout.FigureLayoutError` naming the figure, the artist and the
    covered fraction when the figure breaks a rule; then nothing is written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        report = savefig_measured(fig, tmp, path.name, format="pdf",
                                  metadata={"CreationDate": None, "ModDate": None,
                                            "Creator": "hdsgd", "Producer": "hdsgd"})
        print(report.summary(), flush=True)
        check_layout(report)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if tmp.exists():
            tmp.unlink()
