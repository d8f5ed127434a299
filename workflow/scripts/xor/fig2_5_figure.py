"""Figure 2.5: eigenvalues of the vv blocks over training (test sample; colour: index j, see
the colorbar), with the population blocks' top four (theory, markers over the lines) and the
class-projected bulk edge (dashed, over the bulk)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import draw_over, index_colorbar, legend_below
    from hdsgd.plotting.style import log_y_labels, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, height=3.1)
    colors = index_colorbar(fig, axes, p["K"], r"index $j$ of the eigenvalue $\lambda_j$")
    titles = {"hessian": r"eigenvalues of $\nabla^2_{vv}\hat R$",
              "G": r"eigenvalues of $\hat G_{vv}$"}
    for ax, m in zip(axes[0], ["hessian", "G"]):
        d = s[s["matrix"] == m]
        for j, grp in d[d["source"] == "test"].groupby("index"):
            ax.plot(grp["time"], grp["value"], color=colors[j - 1], lw=1.0)
        for _j, pop in d[d["source"] == "population"].groupby("index"):
            ax.plot(pop["time"], pop["value"], ls="none", color="k", marker="o", ms=3.5, mfc="none",
                    mec="k", mew=0.8, zorder=5,
                    label=r"population $\lambda_1, \ldots, \lambda_4$ (theory)")
        e = d[d["source"] == "bulk_edge"]
        draw_over(ax, e["time"], e["value"], r"bulk edge (bounds $\lambda_5$)")
        ax.set_yscale("log")
        log_y_labels(ax)
        ax.set_title(titles[m])
        ax.set_xlabel(r"rescaled time $\ell\delta$")
    legend_below(fig, ncols=2)
    fig.suptitle(f"Fig 2.5: XOR vv-block spectra, all K={p['K']} eigenvalues on the test set, "
                 f"d={p['d']}, $\\lambda$={p['lam']:g}", fontsize=9)
    save_pdf(fig, snakemake.output[0])
