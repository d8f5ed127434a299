"""Panels of the exact-dynamics figures: SGD mean and band over seeds against ODE curves.

Reads the long tables written by the exact-dynamics table stages (columns run, quantity,
gamma, t, source, value; source in ode | sgd_mean | sgd_lo | sgd_hi | closed_form).
"""

from __future__ import annotations

import numpy as np

from hdsgd.plotting.style import sequential_colors


def draw_bands(ax, series, run: str, quantity: str, *, log: bool = True, label_fmt=None,
               closed_form_label: str | None = None, x: str = "t", ls: str = "-",
               marker: str = "o") -> None:
    """One colour per gamma: ODE line (style ``ls``), SGD mean as markers, 10-90 % band shaded,
    closed form (if present) dashed black; ``x`` names the abscissa column."""
    df = series[(series["run"] == run) & (series["quantity"] == quantity)]
    gammas = np.sort(df["gamma"].unique())
    fmt = label_fmt or (lambda g: rf"$\gamma$={g:g}")
    for color, g in zip(sequential_colors(len(gammas)), gammas, strict=True):
        sub = df[df["gamma"] == g]

        def get(source, sub=sub):
            s = sub[sub["source"] == source].sort_values(x)
            return s[x].to_numpy(), s["value"].to_numpy()

        t, lo = get("sgd_lo")
        _, hi = get("sgd_hi")
        ax.fill_between(t, lo, hi, color=color, alpha=0.25, lw=0)
        ax.plot(*get("sgd_mean"), ls="none", marker=marker, ms=2.5, color=color)
        ax.plot(*get("ode"), color=color, ls=ls, label=fmt(g))
        tc, vc = get("closed_form")
        if tc.size:
            ax.plot(tc, vc, color="k", ls="--", lw=0.8,
                    label=closed_form_label if g == gammas[0] else None)
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
    if x == "t":
        ax.set_xlabel(r"$t$ = steps / $d$")


def legend_note(ax) -> None:
    """Legend plus the encoding note (ODE line, SGD mean dots, 10-90 % band over seeds)."""
    ax.plot([], [], color="0.4", label="ODE")
    ax.plot([], [], ls="none", marker="o", ms=2.5, color="0.4", label="SGD mean (band 10-90 %)")
    ax.legend(loc="best", fontsize=6, framealpha=0.6)
