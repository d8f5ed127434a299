"""Convergence-in-d panels (the ``*_scaling`` figures of every paper): the RMS gap between
single runs and the theory against the size on log-log axes, its bootstrap band, the fitted
slope and the expected rate (:mod:`hdsgd.observables.convergence_rate`)."""

from __future__ import annotations

import numpy as np

from hdsgd.plotting.style import log_y_labels


def rate_panel(ax, series, quantity: str, *, color="C0", marker="o", label: str | None = None,
               size_label: str = "dimension d", expected_color="0.3",
               draw_expected: bool = True, fit_style="-", open_marker: bool = False,
               ms: float = 4, expected_offset: float = 0.6) -> list:
    """Draw one quantity's measured gaps (points with their 16-84 % bootstrap band), the fitted
    line (line style ``fit_style``) and the expected rate (dashed: the expected slope through
    the fit's middle-size value times ``expected_offset``; give each quantity its own
    ``expected_color`` where several share the axes; not drawn with ``draw_expected=False``,
    e.g. for a wrong theory's gaps on the same axes).
    ``open_marker`` draws the points unfilled (e.g. a wrong theory's gaps beside the right one;
    larger ``ms`` keeps them visible around points they coincide with). ``expected_offset``
    scales the expected-rate line: the default 0.6 is a guide below the points, which a
    fit of that very slope cannot hide; 1.0 draws it through the fit.

    ``series`` is the tidy table of :func:`hdsgd.observables.convergence_rate.rate_series`.
    Returns legend handles: measured (with the fitted slope) and, if drawn, expected (with its
    slope).
    """
    from matplotlib.lines import Line2D

    s = series[series["quantity"] == quantity]
    m = s[s["curve"] == "measured"].sort_values("size")
    fit = s[s["curve"] == "fit"].sort_values("size")
    exp = s[s["curve"] == "expected"].sort_values("size")
    slope, slope_se, expected = (float(m[c].iloc[0]) for c in ("slope", "slope_se", "expected"))
    err = np.vstack([m["gap"] - m["gap_lo"], m["gap_hi"] - m["gap"]])
    face = {"mfc": "white"} if open_marker else {}
    name = label or quantity
    measured = f"{name}: slope {slope:.2f} $\\pm$ {slope_se:.2f}"
    expected_label = f"expected rate, slope {expected:g}"
    # the drawn artists carry their legend entry's label (how a layout audit finds them)
    ax.errorbar(m["size"], m["gap"], yerr=err, fmt=marker, color=color, ms=ms, capsize=2,
                elinewidth=0.8, zorder=3, label=measured, **face)
    ax.plot(fit["size"], fit["gap"], ls=fit_style, color=color, lw=1.0, label=measured)
    if draw_expected:
        ax.plot(exp["size"], expected_offset * exp["gap"], "--", color=expected_color, lw=0.9,
                label=expected_label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(m["size"].to_numpy())
    ax.set_xticklabels([f"{v:g}" for v in m["size"]])
    ax.minorticks_off()
    ax.set_xlabel(size_label)
    log_y_labels(ax)
    handles = [Line2D([], [], color=color, marker=marker, ms=ms, ls=fit_style, **face,
                      label=measured)]
    if draw_expected:
        handles.append(Line2D([], [], color=expected_color, ls="--", label=expected_label))
    return handles


def gap_axis(ax, legend_fraction: float = 0.0) -> None:
    """Finish the log y axis of rate panels: the top ``legend_fraction`` of its height left
    free for a legend above the points, labels at 1, 2 and 5 times powers of ten as plain
    numbers (at least two on any axis spanning a factor 2.5), minor ticks unlabelled."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    lo, hi = ax.get_ylim()
    lo, hi = lo / 1.2, hi * 1.1
    if legend_fraction > 0:
        hi = hi * (hi / lo) ** (legend_fraction / (1.0 - legend_fraction))
    hi = max(hi, 2.5 * lo)
    ax.set_ylim(lo, hi)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
