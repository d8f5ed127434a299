"""Panels of the real-data loss-curve figures of the generating-functions paper (Figs 1, 7-10):
loss curves (simulated, SE, exact second moments) above the ratios the agreement rows score,
eigendecompositions with power-law fits, and the noise-distance panels of Fig 8. Every function
draws from a tidy series table."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np

from hdsgd.plotting.style import annotate_agreement, apply_style, log_y_labels, mark_stand_in

#: the paper's normalisation and tau convention, stated on every figure (legend title)
CONVENTIONS = (r"units: $\lambda_{\max}(K/N)=1$; $\gamma=(N-b)/((N-1)b)$; "
               r"SE noise $\tau_1\,\mathrm{Tr}[HC]H-\tau_2 HCH$")
#: the agreement rows' reference curves (series "curve" names)
EXACT = "exact second moments (Prop. 1)"
NETWORK_RATIO = "network / linearised run 0 (same batches)"
#: label of the standard-error band (drawn on the ratio panels, where it is wide enough to see)
BAND = r"$\pm$ std/$\sqrt{\mathrm{runs}}$ of the sampled mean"


def tau_color(tau2: float):
    """One colour per tau2 value, from the dark part of the 'plasma' map over tau2 in [-2, 2]
    (dark enough to stand out on the light linearised curve and the standard-error band)."""
    return plt.get_cmap("plasma")(0.55 * (float(tau2) + 2.0) / 4.0)


def log_spaced(x, n: int) -> list[int]:
    """Indices of about ``n`` points of the increasing positive ``x``, evenly spaced in log x
    (the markers of a curve on a log axis)."""
    idx = np.searchsorted(x, np.geomspace(x[0], x[-1], n))
    return sorted(set(np.minimum(idx, len(x) - 1).tolist()))


def short_name(data: str) -> str:
    """A data set's label without its parenthesised source: 'RAND health insurance, N=1000'."""
    return re.sub(r"\s*\([^)]*\)", "", data)


#: the linearised mean: a light, wide under-layer, so that the theory curves drawn on it (where
#: they agree, exactly on it) leave it visible on both sides
LINEARISED = dict(color="#9ecae1", lw=5.0, zorder=1)


def theory_dashes(curves) -> dict:
    """Interleaved dash patterns of the theory curves of one panel (SE, exact moments, eq. 28a):
    where they coincide (SE and the exact moments on MNIST, eq. 28a and SE) each shows its own
    dashes instead of hiding the others. A pattern is (offset, (on, off)) in line widths."""
    theory = [c for c in curves if c.startswith(("SE", "exact", "eq. 28a"))]
    on = 3.0
    return {c: (on * i, (on, on * max(len(theory) - 1, 1))) for i, c in enumerate(theory)}


def _style(curve: str, dashes: dict) -> dict:
    """Line style and legend label of a loss curve, by its series name."""
    if curve.startswith("linearised"):
        return dict(**LINEARISED, label=curve)
    if curve.startswith("network"):
        return dict(color="0.1", lw=0.9, zorder=3, label=curve)
    if curve.startswith("exact"):
        return dict(color="k", lw=1.3, ls=dashes[curve], zorder=4, label=curve)
    if curve.startswith("SE"):
        t1, t2 = (float(v.split("=")[1]) for v in curve.split()[1:3])
        return dict(color=tau_color(t2), lw=1.3, ls=dashes[curve], zorder=4,
                    label=rf"SE $\tau_1={t1:g}, \tau_2={t2:g}$")
    if curve.startswith("eq. 28a"):
        zeta = curve.split("=")[-1]
        return dict(color="#d94801", lw=1.3, ls=dashes[curve], zorder=4,
                    label=rf"eq. 28a, $\zeta=\kappa/\nu={zeta}$ (fitted spectrum)")
    raise ValueError(f"no style for curve {curve!r}")


def loss_panel(ax, frame) -> None:
    """Loss curves of one (problem, b, alpha, beta) panel, log-log, t >= 1: the linearised
    mean, the exact second moments, the paper's SE curve (the first configured tau) and eq. 28a.
    The other taus and the network are drawn on the ratio panel below, where they can be told
    apart from the curve they are scored against."""
    frame = frame[(frame["quantity"] == "loss") & (frame["x"] >= 1)]
    curves = list(dict.fromkeys(frame["curve"]))
    paper_se = next((c for c in curves if c.startswith("SE")), None)
    shown = [c for c in curves if not c.startswith(("SE", "network")) or c == paper_se]
    dashes = theory_dashes(shown)
    for curve in shown:
        g = frame[frame["curve"] == curve]
        ax.plot(g["x"], g["y"], **_style(curve, dashes))
    ax.set(xscale="log", yscale="log")
    log_y_labels(ax)


def ratio_panel(ax, frame) -> str:
    """What the agreement rows score, under a loss panel: every curve divided by the curve it
    is scored against, the sampled mean's standard-error band, and the network over the
    linearised run on the same batches. Against the linearised mean the band is the reference;
    against the exact second moments a line at 1 in the exact curve's style is. Returns the
    name of the reference for the y label."""
    frame = frame[(frame["quantity"] == "ratio") & (frame["x"] >= 1)]
    curves = list(dict.fromkeys(frame["curve"]))
    lin = next(c for c in curves if c.startswith("linearised"))
    g = frame[frame["curve"] == lin]
    x, y, err = g["x"].to_numpy(), g["y"].to_numpy(), g["y_err"].to_numpy()
    lo, hi, values = [1.0], [1.0], []
    if np.isfinite(err).all():
        ax.fill_between(x, y - err, y + err, color="tab:blue", alpha=0.45, lw=0, zorder=1,
                        label=BAND)
        lo.append(np.min(y - err))
        hi.append(np.max(y + err))
    reference = "mean"
    paper_se = next((c for c in curves if c.startswith("SE")), None)
    dashed = [c for c in curves if not c.startswith("SE") or c == paper_se]
    dashes = theory_dashes([*dashed, *([EXACT] if not np.allclose(y, 1.0) else [])])
    if not np.allclose(y, 1.0):  # scored against the exact second moments: a line at 1
        reference = "exact"
        ax.axhline(1.0, **_style(EXACT, dashes))
    for curve in curves:
        if curve == lin:
            continue
        g = frame[frame["curve"] == curve]
        if curve == NETWORK_RATIO:
            style = dict(color="0.1", lw=0.9, zorder=3, label=NETWORK_RATIO)
        elif curve in dashes:
            style = _style(curve, dashes)
        else:  # the other taus: open markers only, visible where they coincide with it
            style = {**_style(curve, {curve: "none"}), "zorder": 2, "marker": "o", "ms": 3.0,
                     "mfc": "none", "mew": 0.9, "markevery": log_spaced(g["x"].to_numpy(), 12)}
        ax.plot(g["x"], g["y"], **style)
        if "marker" in style:  # the other taus: their bulk in view, a few early points may leave it
            values.append(g["y"].to_numpy())
        else:
            lo.append(g["y"].min())
            hi.append(g["y"].max())
    if values:
        values = np.concatenate(values)
        lo.append(np.quantile(values, 0.05))
        hi.append(np.quantile(values, 0.95))
    bottom, top = max(min(lo), 0.5), min(max(hi), 2.0)
    pad = 0.08 * (top - bottom)
    ax.set(xscale="log", ylim=(bottom - pad, top + pad), xlabel="step $t$")
    return reference


def late_note(ax, frame) -> None:
    """Under a ratio panel: where the network ends up relative to its linearisation (the mean
    ratio over the last half decade, as in the network row's claim)."""
    g = frame[frame["quantity"] == "late_ratio"]
    if len(g):
        annotate_agreement(ax, f"late: network / linearised {g['y'].iloc[0]:.2f}")


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


def legend_below(fig, axes, title: str = CONVENTIONS) -> None:
    """One legend for the whole figure, below the axes (never over data), titled with the
    normalisation and tau convention; labels deduplicated in the order they were first drawn."""
    seen = {}
    for ax in np.ravel(axes):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, h)
    ncols = 3 if max(len(lab) for lab in seen) <= 32 else 2  # long labels: two columns
    fig.legend(list(seen.values()), list(seen.keys()), loc="outside lower center",
               ncols=min(ncols, len(seen)), fontsize=7.5, frameon=False, title=title,
               title_fontsize=7.5)


def figure_title(fig, title: str, stand_in: str = "") -> None:
    """One-line suptitle and, for stand-in data, a one-line red note above it."""
    fig.suptitle(title, fontsize=8.5)
    if stand_in:
        mark_stand_in(fig, stand_in)


def loss_ratio_grid(rows: int, loss_cols: int, spectrum: bool, *, width: float,
                    row_height: float = 3.4):
    """A figure with, per row (one data set), ``loss_cols`` loss panels each above its ratio
    panel (shared log t axis) and optionally the eigendecomposition spanning both; rows are
    subfigures so each can carry a one-line title.

    Returns ``fig`` and per row ``(subfigure, loss_axes, ratio_axes, spectrum_axes or None)``.
    """
    apply_style()
    fig = plt.figure(figsize=(width, row_height * rows + 1.2), layout="constrained")
    subfigs = np.atleast_1d(fig.subfigures(rows, 1))
    out = []
    for sf in subfigs:
        gs = sf.add_gridspec(2, loss_cols + spectrum, height_ratios=[2.0, 1.25])
        loss = [sf.add_subplot(gs[0, i]) for i in range(loss_cols)]
        ratio = [sf.add_subplot(gs[1, i], sharex=loss[i]) for i in range(loss_cols)]
        for ax in loss:
            ax.tick_params(labelbottom=False)
        spec = sf.add_subplot(gs[:, loss_cols]) if spectrum else None
        out.append((sf, loss, ratio, spec))
    return fig, out
