"""Figure 2.3: H_11's top eigenvalues over training (left; colour: index j, see the colorbar)
with the predicted bulk edge drawn under the top of the bulk, and x^1 . mu_a (right) with the
effective-dynamics ODE."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import draw_under, index_colorbar, legend_below
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    k = p["k"]
    s = read_table(snakemake.input.series)
    agree = read_table(snakemake.input.agreement)
    fig, axes = new_figure(ncols=2, height=3.0)
    ax = axes[0, 0]
    colors = index_colorbar(fig, ax, k, r"index $j$ of the outlier $\lambda_j$")
    ev = s[s["panel"] == "eigenvalues"]
    sim = ev[(ev["source"] == "simulation") & ev["series"].str.startswith("lambda_")]
    for name, g in sim.groupby("series"):
        j = int(name.split("_")[1])
        if j <= k:
            ax.plot(g["time"], g["value"], color=colors[j - 1], lw=1.2)
        elif j == k + 1:
            ax.plot(g["time"], g["value"], color="k", lw=0.9,
                    label=f"$\\lambda_{{{j}}}$ (top of the bulk)")
        else:
            ax.plot(g["time"], g["value"], color="0.35", lw=0.8, marker="o", ms=2.5, mfc="none",
                    markevery=2, label=f"$\\lambda_{{{j}}}$")
    edge = ev[ev["source"] == "theory"]
    draw_under(ax, edge["time"], edge["value"], "bulk edge (theory)")
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax.set_ylabel(r"eigenvalues of $\nabla^2_{11}\hat R(x_\ell)$")
    ax = axes[0, 1]
    ov = s[s["panel"] == "overlaps"]
    for a in range(1, k + 1):
        g = ov[ov["series"] == f"a={a}"]
        sim_a, th_a = g[g["source"] == "simulation"], g[g["source"] == "theory"]
        ax.plot(sim_a["time"], sim_a["value"], color="tab:blue" if a == 1 else "tab:green",
                lw=1.4 if a == 1 else 1.0,
                label={1: r"SGD, $a = 1$", 2: f"SGD, $a = 2, \\ldots, {k}$"}.get(a))
        ax.plot(th_a["time"], th_a["value"], color="k", ls=":", lw=1.0, zorder=3,
                label="effective-dynamics ODE" if a == 1 else None)
    gap = agree[agree["claim"].str.startswith("x^1.mu_a")]["measured"].iloc[0]
    ax.set_title(f"max |SGD $-$ ODE| / max ODE = {gap:.3f}", fontsize=8)
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax.set_ylabel(r"$x^1_\ell\cdot\mu_a$")
    legend_below(fig, ncols=3)
    fig.suptitle(f"Fig 2.3: k-GMM, k={k}, d={p['d']}, $\\lambda$={p['lam']:g}, "
                 f"$\\beta$={p['beta']:g}, $\\delta$=1/d, test set {p['test_factor']:g}d",
                 fontsize=9)
    save_pdf(fig, snakemake.output[0])
