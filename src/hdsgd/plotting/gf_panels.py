"""Shared drawing helpers of the generating-functions figures (Fig 2 maps, critical alpha)."""

from __future__ import annotations

import numpy as np

#: how the normalisation of learning rates is stated on every figure
ALPHA_UNITS = r"$\alpha$ in units of $1/\lambda_{max}$ ($\lambda_{max}(K/N) = 1$)"


def pivot(df, x="alpha", y="beta", value="value"):
    """(xs, ys, Z[y, x]) of a long-format map."""
    table = df.pivot(index=y, columns=x, values=value)
    return table.columns.to_numpy(), table.index.to_numpy(), table.to_numpy()


def draw_log_loss_map(ax, df, vmin, vmax, cmap="viridis"):
    """pcolormesh of log10(L_T / L_0); NaN (diverged) cells show a grey background."""
    xs, ys, z = pivot(df)
    ax.set_facecolor("0.72")
    return ax.pcolormesh(xs, ys, np.ma.masked_invalid(z), shading="nearest", cmap=cmap,
                         vmin=vmin, vmax=vmax, rasterized=True)


def map_color_range(values, low_quantile=0.02):
    """Colour range that resolves the convergence region: from a low quantile of the finite
    log-losses to 0 (no progress)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return (float(np.quantile(v, low_quantile)) if v.size else -1.0), 0.0
