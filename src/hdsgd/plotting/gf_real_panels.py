"""Panels of the real-data loss-curve figures of the generating-functions paper (Figs 1, 7-10):
loss curves (simulated, SE, exact second moments), eigendecompositions with power-law fits,
and the noise-distance panels of Fig 8. Every function draws from a tidy series table."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib import pyplot as plt

from hdsgd.plotting.style import log_y_labels

#: text stating the paper's normalisation and tau convention, drawn on every figure
CONVENTIONS = (r"units: $\lambda_{\max}(K/N)=1$; $\gamma=(N-b)/((N-1)b)$; "
               r"SE noise $\tau_1\,\mathrm{Tr}[HC]H-\tau_2 HCH$")


def tau_color(tau2: float):
    """One colour per tau2 value, from the 'cool' map over tau2 in [-2, 2] (no yellow)."""
    return plt.get_cmap("cool")(0.1 + 0.85 * (float(tau2) + 2.0) / 4.0)


def _se_label(curve: str) -> str:
    t1, t2 = (float(v.split("=")[1]) for v in curve.split()[1:3])
    return rf"SE $\tau_1={t1:g}, \tau_2={t2:g}$"


def loss_panel(ax, frame) -> None:
    """Loss curves of one (problem, b, alpha, beta) panel, log-log, t >= 1."""
    frame = frame[(frame["quantity"] == "loss") & (frame["x"] >= 1)]
    for curve, g in frame.groupby("curve", sort=False):
        x, y = g["x"].to_numpy(), g["y"].to_numpy()
        if curve.startswith("linearised"):
            ax.plot(x, y, color="tab:blue", lw=1.6, label=curve)
            err = g["y_err"].to_numpy()
            if np.isfinite(err).all():
                ax.fill_between(x, y - err, y + err, color="tab:blue", alpha=0.25, lw=0,
                                label="  +- std/sqrt(runs)")
        elif curve.startswith("network"):
            ax.plot(x, y, color="0.15", lw=1.0, alpha=0.8, label=curve)
        elif curve.startswith("exact"):
            ax.plot(x, y, color="k", lw=1.4, ls=(0, (4, 2)), label=curve)
        elif curve.startswith("SE"):
            tau2 = float(curve.split("tau2=")[1])
            ax.plot(x, y, color=tau_color(tau2), lw=1.2, ls="--", label=_se_label(curve))
        elif curve.startswith("eq. 28a"):
            zeta = curve.split("=")[-1]
            ax.plot(x, y, color="tab:orange", lw=2.0, ls=":",
                    label=rf"eq. 28a, $\zeta=\kappa/\nu={zeta}$ (fitted spectrum)")
    ax.set(xscale="log", yscale="log", xlabel="step $t$")
    log_y_labels(ax)


def spectrum_panel(ax, frame) -> str:
    """Eigendecomposition: lambda_k / lambda_1 and the normalised tail sums S_k / S_1 of the
    initial loss over the kernel eigenvectors, with their power-law fits (dashed). Returns the
    fitted exponents as text for the panel title."""
    styles = {"eigenvalue": ("tab:purple", r"$\lambda_k/\lambda_1$", r"\nu"),
              "tail_sum": ("tab:brown", r"$S_k/S_1$, $S_k=\sum_{l\geq k}\lambda_l c_l$",
                           r"\kappa")}
    fitted = []
    for q, (color, label, sym) in styles.items():
        g = frame[frame["quantity"] == q]
        data = g[g["curve"] == "data"]
        ax.plot(data["x"], data["y"], color=color, lw=1.4, label=label)
        for curve, fit in g[g["curve"] != "data"].groupby("curve"):
            ax.plot(fit["x"], fit["y"], color="k", lw=1.0, ls="--",
                    label="power-law fit (fitted ranks)")
            fitted.append(f"${sym}={curve.split('=')[1]}$")
    ax.set(xscale="log", yscale="log", xlabel="eigenvalue rank $k$")
    return ", ".join(fitted)


def legend_below(fig, axes) -> None:
    """One legend for the whole figure, below the axes (never over data); labels deduplicated
    in the order they were first drawn."""
    seen = {}
    for ax in np.ravel(axes):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, h)
    ncols = 3 if max(len(lab) for lab in seen) <= 32 else 2  # long labels: two columns
    fig.legend(list(seen.values()), list(seen.keys()), loc="outside lower center",
               ncols=min(ncols, len(seen)), fontsize=7.5, frameon=False)


def panel_title(data: str, what: str) -> str:
    """Panel title: the data set's name wrapped to the panel's width, then ``what``."""
    return "\n".join(textwrap.wrap(data, 32)) + "\n" + what


def figure_title(fig, title: str, stand_in: str = "") -> None:
    """Suptitle: the figure's title, the normalisation and tau convention, and (in red, above
    the axes, never over data) what stands in for the paper's data."""
    lines = [*textwrap.wrap(title, 90), CONVENTIONS]
    if stand_in:
        lines += textwrap.wrap(f"STAND-IN: {stand_in}", 90)
    fig.suptitle("\n".join(lines), fontsize=8,
                 color="firebrick" if stand_in else "black")
