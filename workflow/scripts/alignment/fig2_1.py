"""Figure 2.1: alignment of each class vector with the top-k eigenspace of its H and G block."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import class_colors, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    t = read_table(snakemake.input.table)
    fig, axes = new_figure(ncols=2, sharey=True)
    colors = class_colors(p["k"])
    titles = {"hessian": r"$\nabla^2_{cc}\hat R$", "G": r"$\hat G_{cc}$"}
    for ax, matrix in zip(axes[0], ["hessian", "G"]):
        m = t[t["matrix"] == matrix]
        for c, grp in m.groupby("class"):
            ax.plot(grp["time"], grp["alignment"], color=colors[c - 1], label=f"c = {c}")
        ax.set_title(f"alignment of $x^c_\\ell$ with $E_{{{p['k']}}}$({titles[matrix]})")
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.set_ylim(0, 1.02)
    axes[0, 0].set_ylabel(r"$\|P_E\, x^c\| / \|x^c\|$")
    axes[0, 1].legend(ncols=2, loc="lower right", title="class")
    fig.suptitle(f"Fig 2.1: k-GMM, k={p['k']}, d={p['d']}, $\\lambda$={p['lam']:g}, "
                 f"$\\beta$={p['beta']:g}, $\\delta$=1/d, test set {p['test_factor']:g}d",
                 fontsize=9)
    save_pdf(fig, snakemake.output[0])
