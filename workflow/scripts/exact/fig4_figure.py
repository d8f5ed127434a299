"""Stage (figure): Fig 4 (claim reproduction), phase transition across the mean exponent."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.lines import Line2D

    from hdsgd.plotting.exact_panels import figure_legend, panel_grid, value_colors
    from hdsgd.plotting.style import mark_stand_in, save_pdf
    from hdsgd.stages import read_table
    from hdsgd.theory.exact_closed_forms import power_law_critical_beta

    f = snakemake.params.fig
    series = read_table(snakemake.input.series)
    beta_c = power_law_critical_beta(min(f["alphas"]), f["mean_scaling"])
    fr = series[series["quantity"] == "final_risk"]
    ode, sgd = fr[fr["source"] == "ode"], fr[fr["source"] != "ode"]
    dims = np.sort(ode["d"].unique())
    colors = value_colors(dims)
    ex = series[series["quantity"] == "decay_exponent"]
    ex = ex[ex["d"] == dims[-1]]
    times = sorted(ex["t"].unique())
    d2 = series[series["quantity"] == "delta2"]
    # panel (c)'s mean exponents get their own ramp (oranges) and markers: viridis means d
    oranges = plt.get_cmap("Oranges")
    n_b = d2["beta"].nunique()
    b_style = {b: (oranges(0.45 + 0.5 * i / max(n_b - 1, 1)), "osD"[i % 3])
               for i, b in enumerate(sorted(d2["beta"].unique()))}
    # (a): the curves of different d meet above beta_c; each d marks every third beta, the
    # marks staggered between d so that every curve shows
    d_marker = {d: "osD^v"[i % 5] for i, d in enumerate(colors)}
    handles = [Line2D([], [], color=c, marker=d_marker[d], ms=3, label=f"ODE, d={d:g}")
               for d, c in colors.items()]
    handles += [Line2D([], [], color="0.4", marker="o", mec="k", ls="none",
                       label=f"SGD mean, 10-90 % (d={sgd['d'].iloc[0]:g})"),
                Line2D([], [], color="0.3", ls="--", label=f"(b) t={times[0]:.3g}"),
                Line2D([], [], color="0.3", label=f"(b) t={times[-1]:.3g}"),
                Line2D([], [], color="firebrick", ls=":",
                       label=f"$\\beta_c=(1+\\alpha_{{min}})/2$={beta_c:g}")]
    handles += [Line2D([], [], color=c, ls="-.", marker=m, ms=3.5,
                       label=f"(c) $\\beta$={b:g}") for b, (c, m) in b_style.items()]
    fig, axes, leg = panel_grid(3, n_legend=len(handles), legend_cols=3, panel_height=2.5)
    ax = axes[0, 0]
    for i, d in enumerate(dims):
        sub = ode[ode["d"] == d].sort_values("beta")
        ax.plot(sub["beta"], sub["value"], color=colors[float(d)], marker=d_marker[float(d)],
                ms=3, markevery=(i % 3, 3))
    for beta, grp in sgd.groupby("beta"):
        v = dict(zip(grp["source"], grp["value"], strict=True))
        ax.errorbar([beta], [v["sgd_mean"]], yerr=[[v["sgd_mean"] - v["sgd_lo"]],
                                                    [v["sgd_hi"] - v["sgd_mean"]]],
                    marker="o", ms=4, color=colors[float(grp["d"].iloc[0])], ls="none",
                    mec="k")
    ax.set_yscale("log")
    ax.set_xlabel(r"mean exponent $\beta$")
    ax.set_ylabel(f"risk at t={ode['t'].iloc[0]:g}")
    ax.set_title(f"(a) long-time risk, $\\gamma$={f['gamma']:g}", fontsize=8)
    ax = axes[0, 1]
    for ls, (t_ex, grp) in zip(["--", "-"], ex.groupby("t"), strict=True):
        grp = grp.sort_values("beta")
        ax.plot(grp["beta"], grp["value"], color=colors[float(dims[-1])], ls=ls,
                label=f"(b) t={t_ex:.3g}")        # the legend entry's label: it stands for this
    ax.set_xlabel(r"mean exponent $\beta$")
    ax.set_ylabel(r"$-\,d\log L/d\log t$")
    ax.set_title(f"(b) ODE decay exponent, d={dims[-1]}", fontsize=8)
    for a in axes[0, :2]:
        a.axvline(beta_c, color="firebrick", ls=":")
    ax = axes[0, 2]
    for beta, grp in d2.groupby("beta"):
        color, marker = b_style[beta]
        ax.plot(grp["d"], grp["value"], marker=marker, ms=3.5, color=color, ls="-.")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("d")
    ax.set_ylabel(r"$\mu^T(K_1+K_2)^{-1}\mu$")
    ax.set_title(r"(c) separation: diverges iff $\beta<\beta_c$", fontsize=8)
    figure_legend(leg, handles, ncols=3)
    a1, a2 = f["alphas"]
    fig.suptitle(f"Phase transition at $\\beta_c$: covariances $i^{{-{a1:g}}}$, $i^{{-{a2:g}}}$, "
                 "mean $\\mu_i\\propto i^{-\\beta}$ with $\\|\\mu\\|=1$", fontsize=9)
    mark_stand_in(fig, "transition stated in the abstract; criterion derived in "
                  "docs/exact_dynamics.md §3, §5.4.")
    save_pdf(fig, snakemake.output[0])
