"""Figure 3: (left) phase diagram in (nu, kappa); (centre) signal -> noise crossover of the SE
loss with the asymptotes 28a/28b and t_trans (29); (right) convergence then divergence in the
eventual-divergence phase with the asymptote of eq. 24."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from hdsgd.plotting.gf_panels import pivot
    from hdsgd.plotting.style import class_colors, new_figure, save_pdf
    from hdsgd.stages import read_table
    from hdsgd.theory.power_law_phases import REGIONS

    f = snakemake.params.fig
    cx, dv = f["crossover"], f["divergence"]
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=3, width=5.9, height=3.0)
    ax = axes[0, 0]
    d = s[s["panel"] == "phase"]
    xs, ys, z = pivot(d, "x", "y")
    colors = ["#b2182b", "#ef8a62", "#67a9cf", "#2166ac"]
    ax.pcolormesh(xs, ys, z, cmap=ListedColormap(colors), vmin=-0.5, vmax=3.5,
                  shading="nearest", rasterized=True)
    ax.plot(xs[xs > 1], 2 * xs[xs > 1] - 1, "k--", lw=0.8)
    ax.plot(cx["nu"], cx["kappa"], "k*", ms=8)
    ax.plot(dv["nu"], dv["kappa"], "kD", ms=5)
    ax.set_xlabel(r"$\nu$ ($\lambda_k \sim k^{-\nu}$)")
    ax.set_ylabel(r"$\varkappa$ (tail sums $\sim k^{-\varkappa}$)", fontsize=8)
    ax.set_title(r"phases in ($\nu$, $\varkappa$)", fontsize=8)
    ax.grid(False)

    ax = axes[0, 1]
    cols = class_colors(len(cx["inv_gamma"]) + len(dv["inv_gamma"]))[:len(cx["inv_gamma"])]
    d = s[s["panel"] == "crossover"]
    for col, b in zip(cols, cx["inv_gamma"]):
        e = d[d["batch_size"] == b]
        # the signal term hardly depends on gamma (the curves lie within 1.4 % at paper scale):
        # black dotted, over the loss curves
        styles = {"SE loss": dict(ls="-", color=col, lw=1.4, zorder=3,
                                  label=f"centre: $\\gamma$ = 1/{b}"),
                  "L_sig (28a)": dict(ls=":", color="k", lw=0.8, zorder=3.5),
                  "L_noise (28b)": dict(ls="--", color=col, lw=0.9, zorder=2)}
        for name, style in styles.items():
            g = e[e["series"] == name]
            ax.loglog(g["x"], g["y"], **style)
        ax.axvline(e[e["series"] == "t_trans (29)"]["x"].iloc[0], color=col, lw=0.7, ls="-.")
    # from a fifth of the first t_trans, where the batch sizes still share the signal-dominated
    # curve (a short stretch: coinciding curves hide each other), to the end; low enough to
    # show the signal term (28a) leave the loss after t_trans
    t_first = d[d["series"] == "t_trans (29)"]["x"].min()
    ax.set_xlim(left=t_first / 5)
    ax.set_ylim(bottom=d[d["series"] == "SE loss"]["y"].min() / 30,
                top=d[(d["series"] == "SE loss") & (d["x"] >= t_first / 5)]["y"].max() * 3)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"loss $L_t$")
    ax.set_title(f"signal $\\to$ noise at \u2605 ({cx['nu']:g}, {cx['kappa']:g})", fontsize=8)
    legend_items = [(Patch(color=c), f"left: {r}") for c, r in zip(colors, REGIONS)]
    legend_items += list(zip(*ax.get_legend_handles_labels()))

    ax = axes[0, 2]
    d = s[s["panel"] == "divergence"]
    cols = class_colors(len(cx["inv_gamma"]) + len(dv["inv_gamma"]))[len(cx["inv_gamma"]):]
    g = d[d["series"] == "noiseless loss"]
    ax.loglog(g["x"], g["y"], color="0.5", lw=1.0, label="right: noiseless loss")
    for col, b in zip(cols, dv["inv_gamma"]):
        e = d[d["batch_size"] == b]
        g = e[e["series"] == "SE loss"]
        ax.loglog(g["x"], g["y"], "-", color=col, lw=1.4, label=f"right: $\\gamma$ = 1/{b}")
        g = e[(e["series"] == "eq. 24") & (e["y"] < 10 * d["y"].max())]
        ax.loglog(g["x"], g["y"], "--", color=col, lw=0.9)
        m = e[e["series"] == "model minimum"]
        ax.axvline(m["x"].iloc[0], color=col, lw=0.7, ls="-.")
    lo = d[d["series"] == "SE loss"]["y"]
    ax.set_ylim(lo.min() / 3, 30 * lo.iloc[0])
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"loss $L_t$")
    ax.set_title(f"eventual divergence at \u25c6 ({dv['nu']:g}, {dv['kappa']:g})", fontsize=8)
    legend_items += list(zip(*ax.get_legend_handles_labels()))
    legend_items += [(ax.plot([], [], "k", ls=ls)[0], text) for ls, text in
                     ((":", r"centre: (28a) signal term (every $\gamma$)"),
                      ("--", "centre: (28b) noise term; right: eq. 24"),
                      ("-.", "$t_{trans}$ (29); right: turn of noiseless + eq. 24"))]
    fig.legend(*zip(*legend_items), loc="outside lower center", ncol=3, fontsize=7.5)
    fig.suptitle("Fig 3: SE dynamics with power-law spectra (the SE recursion iterated, "
                 f"M = {cx['n_modes']} / {dv['n_modes']} modes)", fontsize=8.5)
    save_pdf(fig, snakemake.output[0])
