"""Figure 2 (stand-in): outliers, bulk edge and mu_c overlap of H_cc and G_cc over training."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    c, tr = snakemake.params.common, snakemake.params.training
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, sharex=True)
    names = {"hessian": r"$\nabla^2_{cc}\hat R$", "g": r"$\hat G_{cc}$"}
    colors = class_colors(c["k"] + 2)
    for col, kind in enumerate(("hessian", "g")):
        p = s[s["matrix"] == kind]
        ax = axes[0, col]
        for i, g in p[p["quantity"] == "eigenvalue"].groupby("index"):
            ax.plot(g["time"], g["value"], "o", ms=2.5, color=colors[i],
                    label="SGD: top eigenvalues" if i == 0 else None)
        for i, g in p[p["quantity"] == "outlier"].groupby("index"):
            ax.plot(g["time"], g["value"], "-", color=colors[i],
                    label="theory: outliers" if i == 0 else None)
        e = p[p["quantity"] == "edge"]
        ax.plot(e["time"], e["value"], "k--", label="theory: bulk edge")
        for src, style in (("theory", "k:"), ("empirical", "kx")):
            q = p[(p["quantity"] == "quantile") & (p["source"] == src)]
            ax.plot(q["time"], q["value"], style, ms=3,
                    label=f"{'theory' if src == 'theory' else 'SGD'}: 99% bulk quantile")
        ax.set_title(f"{names[kind]}: outliers along training")
        ax.set_ylabel("eigenvalue")
        ax = axes[1, col]
        for src, style in (("theory", "-"), ("empirical", "o")):
            o = p[(p["quantity"] == "overlap") & (p["source"] == src)]
            ax.plot(o["time"], o["value"], style, ms=3, color="C3" if src == "theory" else "0.3",
                    label={"theory": "theory", "empirical": "SGD (mean of runs)"}[src])
        ax.set_title(f"{names[kind]}: " + r"$|P_{\rm out}\,\mu_c|^2$")
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.set_ylim(-0.02, 1.02)
    axes[0, 0].legend(loc="lower left")
    axes[1, 0].legend(loc="lower left")
    axes[1, 0].set_ylabel("mass in outlier eigenspace")
    fig.suptitle(f"Local geometry, Fig 2: k = {c['k']}, d = {tr['d']}, {tr['seeds']} SGD runs "
                 f"from x = 0, $\\delta$ = {c['c_delta']:g}/d, $\\beta$ = {c['beta']:g}",
                 fontsize=9)
    mark_stand_in(fig, "parameters chosen here (the paper's figures were not readable); "
                       "theory re-derived, see docs/geometry.md")
    save_pdf(fig, snakemake.output[0])
