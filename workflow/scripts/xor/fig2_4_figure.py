"""Figure 2.4: layerwise alignment of the XOR network with its Hessian / G-matrix blocks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import ordered_colors
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, sharex=True, sharey=True, height=5.0)
    colors = ordered_colors(p["K"])
    panels = [("W_hessian", r"(a) $W_i$ vs $E_2(\nabla^2_{W_iW_i}\hat R)$"),
              ("W_G", r"(b) $W_i$ vs $E_2(\hat G_{W_iW_i})$"),
              ("v_hessian", r"(c) $v$ vs $E_4(\nabla^2_{vv}\hat R)$"),
              ("v_G", r"(d) $v$ vs $E_4(\hat G_{vv})$")]
    for ax, (panel, title) in zip(axes.ravel(), panels):
        d = s[s["panel"] == panel]
        for u, grp in d.groupby("unit"):
            ax.plot(grp["time"], grp["alignment"], lw=1.0,
                    color=colors[u - 1] if u > 0 else "k")
        ax.set_title(title)
        ax.set_ylim(0, 1.02)
    for ax in axes[1]:
        ax.set_xlabel(r"rescaled time $\ell\delta$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$\|P_E\,x\| / \|x\|$")
    fig.suptitle(f"Fig 2.4: XOR, K={p['K']}, d={p['d']}, $\\lambda$={p['lam']:g}, "
                 f"$\\beta$={p['beta']:g}, $\\delta$=1/d, test set {p['test_factor']:g}d\n"
                 f"(a, b): one colour per unit i = 1..{p['K']}", fontsize=9)
    save_pdf(fig, snakemake.output[0])
