"""Panels of the exact-dynamics figures: SGD mean and band over seeds against ODE curves.

Reads the long tables written by the exact-dynamics series stages (columns run, quantity, a
key column such as gamma, the abscissa t, source, value; source in ode | sgd_mean | sgd_lo |
sgd_hi | closed_form). Legends go above the axes (:func:`figure_legend`), never over data.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from hdsgd.plotting.style import DEFAULT_MAX_WIDTH, apply_style

SOURCES = ("ode", "sgd_mean", "sgd_lo", "sgd_hi", "closed_form")


def ordered_colors(n: int):
    """``n`` colours along viridis without its light (yellow) end: readable on white."""
    cm = plt.get_cmap("viridis")
    return [cm(0.8 * i / max(n - 1, 1)) for i in range(n)]


def value_colors(values) -> dict:
    """One colour per distinct value (sorted): the same value gets the same colour everywhere."""
    vals = sorted({float(v) for v in values})
    return dict(zip(vals, ordered_colors(len(vals)), strict=True))


def curves(df, key: str, value, x: str = "t"):
    """``{source: (x, y)}`` of the rows with ``df[key] == value``, sorted by x, x > 0 if t."""
    sub = df[df[key] == value]
    if x == "t":
        sub = sub[sub["t"] > 0]
    out = {}
    for source in SOURCES:
        s = sub[sub["source"] == source].sort_values(x)
        if len(s):
            out[source] = (s[x].to_numpy(), s["value"].to_numpy())
    return out


def draw_bands(ax, series, run: str, quantity: str, colors: dict, *, key: str = "gamma",
               x: str = "t", ls: str = "-", marker: str = "o", band: bool = True) -> None:
    """Per value of ``key``: ODE line (style ``ls``), SGD mean as markers, 10-90 % band over
    seeds shaded, closed form (if present) dashed in the same colour."""
    df = series[(series["run"] == run) & (series["quantity"] == quantity)]
    for v in np.sort(df[key].unique()):
        color = colors[float(v)]
        c = curves(df, key, v, x)
        if band and "sgd_lo" in c:
            ax.fill_between(c["sgd_lo"][0], c["sgd_lo"][1], c["sgd_hi"][1], color=color,
                            alpha=0.25, lw=0)
        if "sgd_mean" in c:
            ax.plot(*c["sgd_mean"], ls="none", marker=marker, ms=2.5, color=color)
        ax.plot(*c["ode"], color=color, ls=ls, lw=1.2)
        if "closed_form" in c:
            ax.plot(*c["closed_form"], color=color, ls=(0, (3, 2)), lw=0.9)
    if x == "t":
        ax.set_xlabel(r"$t$ = steps / $d$")


def encoding_handles(closed_form: str | None = None) -> list:
    """Legend entries for the line styles: ODE, SGD mean and band, closed form."""
    h = [Line2D([], [], color="0.3", label="ODE"),
         Line2D([], [], color="0.3", ls="none", marker="o", ms=3, label="SGD mean"),
         Patch(color="0.3", alpha=0.25, lw=0, label="SGD 10-90 % over seeds")]
    if closed_form:
        h.append(Line2D([], [], color="0.3", ls=(0, (3, 2)), lw=0.9, label=closed_form))
    return h


def value_handles(colors: dict, fmt) -> list:
    """One legend entry per coloured value, labelled ``fmt(value)``."""
    return [Line2D([], [], color=c, lw=2, label=fmt(v)) for v, c in colors.items()]


def panel_grid(ncols: int, nrows: int = 1, *, n_legend: int, legend_cols: int = 4,
               width: float = DEFAULT_MAX_WIDTH - 0.2, panel_height: float = 2.3):
    """Figure with an ``nrows x ncols`` grid of axes and, below them, a row of its own for the
    legend of ``n_legend`` entries in ``legend_cols`` columns: the legend never covers data and
    leaves the bottom margin to footers. The width leaves 0.2 in of the page for titles that
    overhang their axes. Returns (fig, axes, legend_ax)."""
    apply_style()
    leg_h = 0.2 * np.ceil(n_legend / legend_cols) + 0.1
    fig = plt.figure(figsize=(width, panel_height * nrows + leg_h), layout="constrained")
    gs = fig.add_gridspec(nrows + 1, ncols, height_ratios=[panel_height] * nrows + [leg_h])
    axes = np.array([[fig.add_subplot(gs[r, c]) for c in range(ncols)] for r in range(nrows)])
    leg = fig.add_subplot(gs[nrows, :])
    leg.axis("off")
    return fig, axes, leg


def figure_legend(leg_ax, handles, ncols: int = 4) -> None:
    """The figure's legend, centred in its own row (see :func:`panel_grid`)."""
    leg_ax.legend(handles=handles, loc="center", fontsize=7, ncols=ncols, frameon=False)


def footer(fig, text: str) -> None:
    """A grey note under the figure (what was chosen and where it is documented)."""
    fig.text(0.5, -0.01, text, ha="center", va="top", fontsize=7, color="0.3", wrap=True)


def gap_title(ax, title: str, gap: float, *, what: str = "gap",
              limit: str = " (agree: <= 1)") -> None:
    """Panel title with the panel's SGD-vs-ODE agreement number on a second line."""
    ax.set_title(f"{title}\n{what} SGD vs ODE {gap:.2g}{limit}", fontsize=8)


def measured(agreement, prefix: str) -> float:
    """The measured value of the first agreement row whose claim starts with ``prefix``."""
    rows = agreement[agreement["claim"].str.startswith(prefix)]
    if rows.empty:
        raise KeyError(f"no agreement row starts with {prefix!r}")
    return float(rows["measured"].iloc[0])
