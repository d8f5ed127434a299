"""Stand-in Fig 9.1: alignment with the train-data H_cc / G_cc top-k spaces (test-data faint)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, sharey=True)
    colors = class_colors(p["k"])
    titles = {"hessian": r"train-data $\nabla^2_{cc}\hat R$", "G": r"train-data $\hat G_{cc}$"}
    for ax, matrix in zip(axes[0], ["hessian", "G"]):
        m = s[s["matrix"] == matrix]
        for (c, data), g in m.groupby(["class", "data"]):
            train = data == "train"
            ax.plot(g["time"], g["alignment"], color=colors[c - 1], lw=1.2 if train else 0.8,
                    alpha=1.0 if train else 0.35, ls="-" if train else "--",
                    label=f"c = {c}" if train else None)
        ax.plot([], [], color="0.5", ls="--", alpha=0.5, label="test data")
        ax.set_title(f"alignment of $x^c_\\ell$ with $E_{{{p['k']}}}$({titles[matrix]})")
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.set_ylim(0, 1.02)
    axes[0, 0].set_ylabel(r"$\|P_E\, x^c\| / \|x^c\|$")
    axes[0, 1].legend(ncols=2, loc="lower right", fontsize=6)
    fig.suptitle(f"k-GMM, k={p['k']}, d={p['d']}, $\\lambda$={p['lam']:g}: matrices from the "
                 f"{p['t_max'] * p['d'] / p['c_delta']:.0f} training samples", fontsize=9)
    mark_stand_in(fig, "the paper's Sec. 9 figures are not retrievable; this is the train-data "
                  "analogue of Fig 2.1 that its Sec. 8 extension suggests")
    save_pdf(fig, snakemake.output[0])
