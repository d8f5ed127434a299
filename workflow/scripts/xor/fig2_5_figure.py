"""Figure 2.5: eigenvalues of the vv blocks over training (test sample), with the population
blocks' top four (theory, markers drawn over the lines) and the class-projected bulk edge."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import legend_below, ordered_colors
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, height=3.1)
    colors = ordered_colors(p["K"])
    titles = {"hessian": r"eigenvalues of $\nabla^2_{vv}\hat R$",
              "G": r"eigenvalues of $\hat G_{vv}$"}
    for ax, m in zip(axes[0], ["hessian", "G"]):
        d = s[s["matrix"] == m]
        for j, grp in d[d["source"] == "test"].groupby("index"):
            ax.plot(grp["time"], grp["value"], color=colors[j - 1], lw=1.0,
                    label="test sample" if j == 1 else None)
        pop = d[d["source"] == "population"]
        ax.plot(pop["time"], pop["value"], ls="none", marker="o", ms=3.5, mfc="none",
                mec="k", mew=0.8, zorder=5, label="population, top 4 (theory)")
        e = d[d["source"] == "bulk_edge"]
        ax.plot(e["time"], e["value"], color="0.3", lw=1.2, ls=(0, (1, 1)),
                label="bulk edge")
        ax.set_yscale("log")
        ax.set_title(titles[m])
        ax.set_xlabel(r"rescaled time $\ell\delta$")
    legend_below(fig, ncols=3)
    fig.suptitle(f"Fig 2.5: XOR vv-block spectra, all K={p['K']} eigenvalues (one colour each), "
                 f"d={p['d']}, $\\lambda$={p['lam']:g}", fontsize=9)
    save_pdf(fig, snakemake.output[0])
