"""Figure 2.5: eigenvalues of the vv blocks over training (test sample and population)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import class_colors, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2)
    colors = class_colors(p["K"])
    titles = {"hessian": r"eigenvalues of $\nabla^2_{vv}\hat R$",
              "G": r"eigenvalues of $\hat G_{vv}$"}
    for ax, m in zip(axes[0], ["hessian", "G"]):
        d = s[s["matrix"] == m]
        for j, grp in d[d["source"] == "test"].groupby("index"):
            ax.plot(grp["time"], grp["value"], color=colors[j - 1], lw=1.0)
        for j, grp in d[(d["source"] == "population") & (d["index"] <= 4)].groupby("index"):
            ax.plot(grp["time"], grp["value"], color="k", lw=0.8, ls="--",
                    label="population (MC), top 4" if j == 1 else None)
        e = d[d["source"] == "bulk_edge"]
        ax.plot(e["time"], e["value"], color="0.4", lw=1.2, ls=":",
                label="bulk edge (within-class)")
        ax.set_yscale("log")
        ax.set_title(titles[m])
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.legend(loc="lower right", fontsize=7)
    fig.suptitle(f"Fig 2.5: XOR vv-block spectra, all K={p['K']} eigenvalues (colours), "
                 f"d={p['d']}, $\\lambda$={p['lam']:g}", fontsize=9)
    save_pdf(fig, snakemake.output[0])
