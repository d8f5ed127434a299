"""Shared drawing helpers of the generating-functions figures (Fig 2 maps, critical alpha)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from hdsgd.plotting.style import apply_style

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


def batch_markers(n: int) -> list[dict]:
    """Marker styles of ``n`` batch sizes (smallest first): distinct shapes of nested sizes, open
    (white inside, edged in the batch size's colour) but for the small filled triangle. Drawn
    largest first (:func:`by_marker_size`), each smaller marker sits inside the larger ones
    where the edges of several batch sizes coincide (small momenta), and every one stays
    visible."""
    shapes = [dict(marker="o", ms=3.8, mfc="white", mew=1.0),
              dict(marker="s", ms=5.6, mfc="white", mew=1.0),
              dict(marker="^", ms=4.6, mew=0.0),
              dict(marker="D", ms=8.0, mfc="white", mew=1.0)]
    return [shapes[i % len(shapes)] for i in range(n)]


def by_marker_size(items, markers):
    """``items`` reordered (with their markers) from the largest marker to the smallest."""
    return sorted(zip(items, markers), key=lambda im: -im[1]["ms"])


def titled_rows(nrows: int, ncols: int, *, width: float, height: float):
    """A figure of ``nrows`` rows of ``ncols`` axes, each row a subfigure that can carry its
    own one-line title (the data set it shows). Returns ``fig``, the row subfigures and the
    axes as an (nrows, ncols) array."""
    apply_style()
    fig = plt.figure(figsize=(width, height), layout="constrained")
    rows = np.atleast_1d(fig.subfigures(nrows, 1))
    axes = np.array([np.atleast_1d(sf.subplots(1, ncols)) for sf in rows])
    return fig, rows, axes
