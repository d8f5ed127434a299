"""Figure 3: (nu, zeta) phase diagram with fitted exponents; the signal-to-noise transition with
the predicted transition time (29); convergence-then-divergence just above U(1) = 1 (eq. 24)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from matplotlib.colors import ListedColormap

    from hdsgd.plotting.style import (
        annotate_agreement,
        class_colors,
        mark_stand_in,
        new_figure,
        save_pdf,
    )
    from hdsgd.stages import load_stage, read_table

    c, f = snakemake.params.common, snakemake.params.fig
    th = load_stage(snakemake.input.theory)
    s = read_table(snakemake.input.series)
    agree = read_table(snakemake.input.agreement)
    fig, axes = new_figure(ncols=3)
    ax = axes[0, 0]
    cmap = ListedColormap(["0.8", "#9ecae1", "#fdae6b"])
    ax.pcolormesh(th["nu_grid"], th["zeta_grid"], th["phase_map"], cmap=cmap, vmin=-0.5,
                  vmax=2.5, shading="nearest", rasterized=True)
    nu = th["nu_grid"][th["nu_grid"] > 1]
    ax.plot(nu, 2 - 1 / nu, "k-", lw=1, label=r"$\zeta = 2 - 1/\nu$")
    ax.axvline(1, color="k", lw=1, ls=":")
    pts = s[s["panel"] == "phase"]
    ax.plot(pts["x"], pts["y"], "ko", ms=3)
    for _, r in pts.iterrows():
        ax.annotate(f"{r['sgd_fit']:.2f}|{r['predicted']:.2f}", (r["x"], r["y"]),
                    textcoords="offset points", xytext=(3, 3), fontsize=6)
    ax.text(0.8, 3.2, "divergent\n(Tr H = ∞)", fontsize=7, ha="center", va="top")
    ax.text(2.4, 0.4, "signal-\ndominated", fontsize=7, ha="center")
    ax.text(2.4, 2.9, "noise-\ndominated", fontsize=7, ha="center")
    ax.set_xlabel(r"spectral exponent $\nu$")
    ax.set_ylabel(r"target exponent $\zeta$")
    ax.set_title(r"phases; labels: SGD $\xi$ | Theorem 2 $\xi$", fontsize=9)
    ax.legend(loc="lower right", fontsize=7)

    ax = axes[0, 1]
    tr = s[s["panel"] == "transition"]
    get = {k: g for k, g in tr.groupby("series")}
    ax.loglog(get["sgd_mean"]["x"], get["sgd_mean"]["y"], "o", ms=3, color="C0",
              label=f"SGD, mean of {f['n_seeds']}")
    ax.loglog(get["se"]["x"], get["se"]["y"], "-", color="k", lw=1.2, label="SE theory")
    ax.loglog(get["signal_asymptote"]["x"], get["signal_asymptote"]["y"], "--", color="C2",
              label=r"signal $C_s t^{-\zeta}$")
    ax.loglog(get["noise_asymptote"]["x"], get["noise_asymptote"]["y"], "--", color="C3",
              label=r"noise $C_n t^{-(2-1/\nu)}$")
    ax.axvline(float(th["transition_time"]), color="0.4", ls=":", label="transition time (29)")
    ax.set_ylim(get["se"]["y"].min() / 3, 1.5 * get["se"]["y"].max())
    ax.set_xlabel("step t")
    ax.set_ylabel(r"loss $L_t$")
    trc = f["transition"]
    ax.set_title(f"$\\nu$={trc['nu']:g}, $\\zeta$={trc['zeta']:g}, b={f['batch_size']}",
                 fontsize=9)
    ax.legend(fontsize=6, loc="lower left")
    annotate_agreement(ax, f"median |SGD/SE-1| = {agree['measured'].iloc[2]:.3f}")

    ax = axes[0, 2]
    dv = s[s["panel"] == "divergence"]
    colors = class_colors(len(f["divergence"]["lr_factors"]))
    for j, factor in enumerate(f["divergence"]["lr_factors"]):
        g = {k: v for k, v in dv.groupby("series")}
        se = g[f"se_{j}"]
        ax.semilogy(se["x"], se["y"], "-", color=colors[j],
                    label=f"SE, $\\alpha$ = {factor:g} $\\alpha_{{max}}$, "
                          f"rate {th['divergence_rate'][j]:.1e}")
        mean = g[f"sgd_mean_{j}"]
        ax.semilogy(mean["x"], mean["y"], "o", ms=2.5, color=colors[j])
        med = g[f"sgd_median_{j}"]
        ax.semilogy(med["x"], med["y"], ":", color=colors[j])
        ax.axvline(th["divergence_turn"][j], color=colors[j], lw=0.8, ls="--")
    ax.set_xlabel("step t")
    ax.set_ylabel(r"loss $L_t$")
    ax.set_title("just above U(1) = 1: SE (lines), SGD mean (dots), median (dotted)",
                 fontsize=8)
    ax.legend(fontsize=6, loc="upper left")
    fig.suptitle(f"Fig 3: phases of mini-batch SGD on power-law problems (N = "
                 f"{c['problem']['n_data']}, $\\tau_1$ = {c['tau1']:g}, "
                 f"$\\tau_2$ = {c['tau2']:g})", fontsize=9)
    mark_stand_in(fig, "panel layout, exponents and learning rates chosen (paper text out of "
                  "reach); dashed verticals: predicted turn-around of the mean loss. The SGD "
                  "mean underestimates E[L] near the boundary (heavy tails)")
    save_pdf(fig, snakemake.output[0])
