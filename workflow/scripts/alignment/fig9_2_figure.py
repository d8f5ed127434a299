"""Stand-in Fig 9.2: G_11's converged top eigenvalues over training with the predicted bulk
edge dashed over them (left), and the measured top of the bulk over the predicted edge, the
quantity its edge row scores, with the row's tolerance (right)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import draw_over, legend_below
    from hdsgd.plotting.style import log_y_labels, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p, f = snakemake.params.run, snakemake.params.fig
    k = p["k"]
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, height=3.0)
    ax = axes[0, 0]
    sim = s[(s["source"] == "simulation") & s["series"].str.startswith("lambda_")]
    for name, g in sim.groupby("series"):
        j = int(name.split("_")[1])
        ax.plot(g["time"], g["value"], color="tab:purple" if j == 1 else "0.3",
                lw=1.3 if j == 1 else 0.7,
                label={1: r"$\lambda_1$ (outlier along $\mu_1$)",
                       2: rf"$\lambda_2, \ldots, \lambda_{{{k}}}$ (at the bulk edge)"}.get(j))
    edge = s[s["source"] == "theory"]
    draw_over(ax, edge["time"], edge["value"], "bulk edge (theory)")
    ax.set_yscale("log")
    log_y_labels(ax)
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax.set_ylabel(r"eigenvalues of $\hat G_{11}(x_\ell)$")
    ax.set_title(f"top {k} eigenvalues")
    ax = axes[0, 1]
    tol = f["max_edge_gap"]
    ax.axhspan(1 - tol, 1 + tol, color="0.88", zorder=0,
               label=f"edge row tolerance ($\\pm${100 * tol:g} %)")
    r = s[s["series"] == "bulk_top_over_edge"]
    ax.plot(r["time"], r["value"], color="k", lw=1.0, marker="o", ms=3, mfc="none",
            markevery=2, label=r"top of the bulk ($\lambda_{\max}$ on span$(\mu, x)^\perp$)")
    ax.axhline(1.0, color="tab:blue", lw=1.0, ls="--", label="predicted edge = 1")
    ax.set_ylim(1 - 2 * tol, 1 + 2 * tol)
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax.set_ylabel("bulk top / edge")
    ax.set_title("top of the bulk vs theory")
    legend_below(fig, ncols=2)
    fig.suptitle(f"k-GMM, k={k}, d={p['d']}, $\\lambda$={p['lam']:g}, test set "
                 f"{p['test_factor']:g}d: G-matrix block $\\hat G_{{11}}$", fontsize=9)
    mark_stand_in(fig, "the paper's Sec. 9 figures are not retrievable; the G-matrix analogue "
                  "of Fig 2.3 (left)")
    save_pdf(fig, snakemake.output[0])
