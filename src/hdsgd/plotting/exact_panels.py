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


MAX_MARKERS = 20  # SGD markers per curve: more merge into a band and hide the line styles


def _every(n: int, max_markers: int) -> int:
    """Stride that leaves at most ``max_markers`` of ``n`` points."""
    return max(1, int(np.ceil(n / max_markers)))


def draw_bands(ax, series, run: str, quantity: str, colors: dict, *, key: str = "gamma",
               x: str = "t", ls: str = "-", marker: str = "o", band: bool = True,
               open_marker: bool = False, max_markers: int = MAX_MARKERS,
               closed: bool = True) -> None:
    """Per value of ``key``: ODE line (style ``ls``), SGD mean as markers (at most
    ``max_markers`` per curve, unfilled with ``open_marker``), 10-90 % band over seeds shaded
    (``band``), closed form (if present and ``closed``) dashed in the same colour."""
    df = series[(series["run"] == run) & (series["quantity"] == quantity)]
    for v in np.sort(df[key].unique()):
        color = colors[float(v)]
        c = curves(df, key, v, x)
        if band and "sgd_lo" in c:
            ax.fill_between(c["sgd_lo"][0], c["sgd_lo"][1], c["sgd_hi"][1], color=color,
                            alpha=0.25, lw=0)
        ax.plot(*c["ode"], color=color, ls=ls, lw=1.2, label="ODE")  # labels: the legend's
        if "sgd_mean" in c:
            xs, ys = c["sgd_mean"]
            k = _every(xs.size, max_markers)
            ax.plot(xs[::-1][::k][::-1], ys[::-1][::k][::-1], ls="none", marker=marker, ms=3.5,
                    color=color, mfc="white" if open_marker else color, mew=0.9, zorder=3,
                    label="SGD mean")
        if closed and "closed_form" in c:
            ax.plot(*c["closed_form"], color=color, ls=(0, (3, 2)), lw=0.9)
    if x == "t":
        ax.set_xlabel(r"$t$ = steps / $d$")


def draw_residuals(ax, series, run: str, quantity: str, colors: dict, *,
                   key: str = "gamma", max_markers: int = MAX_MARKERS) -> None:
    """Per value of ``key``, against t: SGD minus ODE, the 10-90 % band of single runs
    (shaded) and the SGD mean (markers), about the ODE's zero line; the agreement at the
    scale of the seed spread, which the main panel's axis is too coarse to show."""
    df = series[(series["run"] == run) & (series["quantity"] == quantity)]
    for v in np.sort(df[key].unique()):
        color = colors[float(v)]
        c = curves(df, key, v)
        t = c["sgd_mean"][0]
        ode = np.interp(np.log(t), np.log(c["ode"][0]), c["ode"][1])
        ax.fill_between(t, c["sgd_lo"][1] - ode, c["sgd_hi"][1] - ode, color=color, alpha=0.3,
                        lw=0)
        k = _every(t.size, max_markers)
        ax.plot(t[::-1][::k][::-1], (c["sgd_mean"][1] - ode)[::-1][::k][::-1], ls="none",
                marker="o", ms=2.5, color=color, zorder=3)
    ax.axhline(0.0, color="0.2", lw=0.8)
    ax.yaxis.set_major_locator(plt.MaxNLocator(3, symmetric=True))
    ax.set_xlabel(r"$t$ = steps / $d$")
    ax.set_ylabel("SGD$-$ODE", fontsize=8)


def encoding_handles(closed_form: str | None = None, *,
                     band: str | None = "SGD 10-90 % over seeds") -> list:
    """Legend entries for the line styles: ODE, SGD mean, the band (``band``: its label, None
    where no band is drawn) and the closed form."""
    h = [Line2D([], [], color="0.3", label="ODE"),
         Line2D([], [], color="0.3", ls="none", marker="o", ms=3, label="SGD mean")]
    if band:
        h.append(Patch(color="0.3", alpha=0.3, lw=0, label=band))
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


def residual_grid(ncols: int, nrows: int = 1, *, n_legend: int, legend_cols: int = 4,
                  width: float = DEFAULT_MAX_WIDTH - 0.2, panel_height: float = 2.0,
                  residual_height: float = 0.95):
    """As :func:`panel_grid`, with under each panel a short residual axis sharing its t axis
    (:func:`draw_residuals`). Returns (fig, axes, residual_axes, legend_ax)."""
    apply_style()
    leg_h = 0.2 * np.ceil(n_legend / legend_cols) + 0.1
    heights = [panel_height, residual_height] * nrows + [leg_h]
    fig = plt.figure(figsize=(width, sum(heights)), layout="constrained")
    gs = fig.add_gridspec(2 * nrows + 1, ncols, height_ratios=heights)
    axes = np.empty((nrows, ncols), dtype=object)
    res = np.empty((nrows, ncols), dtype=object)
    for r in range(nrows):
        for c in range(ncols):
            axes[r, c] = fig.add_subplot(gs[2 * r, c])
            res[r, c] = fig.add_subplot(gs[2 * r + 1, c], sharex=axes[r, c])
            axes[r, c].tick_params(labelbottom=False)
            axes[r, c].xaxis.label.set_visible(False)   # the residual axis below carries it
    leg = fig.add_subplot(gs[2 * nrows, :])
    leg.axis("off")
    return fig, axes, res, leg


def figure_legend(leg_ax, handles, ncols: int = 4) -> None:
    """The figure's legend, centred in its own row (see :func:`panel_grid`)."""
    leg_ax.legend(handles=handles, loc="center", fontsize=7, ncols=ncols, frameon=False)


def footer(fig, text: str) -> None:
    """A one-line grey note under the figure (what was chosen and where it is documented)."""
    fig.text(0.5, -0.01, text, ha="center", va="top", fontsize=7, color="0.3")


def gap_title(ax, title: str, gap: float, *, what: str = "gap") -> None:
    """One-line panel title ending with the panel's SGD-vs-ODE agreement number."""
    ax.set_title(f"{title} ({what} {gap:.2g})", fontsize=8)


def measured(agreement, prefix: str) -> float:
    """The measured value of the first agreement row whose claim starts with ``prefix``."""
    rows = agreement[agreement["claim"].str.startswith(prefix)]
    if rows.empty:
        raise KeyError(f"no agreement row starts with {prefix!r}")
    return float(rows["measured"].iloc[0])
