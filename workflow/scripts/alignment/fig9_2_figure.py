"""Stand-in Fig 9.2: G_11's converged top eigenvalues over training with the predicted bulk
edge."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import legend_below
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    k = p["k"]
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=1, width=4.4, height=3.2)
    ax = axes[0, 0]
    colors = class_colors(k)
    sim = s[(s["source"] == "simulation") & s["series"].str.startswith("lambda_")]
    for j, (_name, g) in enumerate(sorted(sim.groupby("series"),
                                         key=lambda kv: int(kv[0].split("_")[1]))):
        ax.plot(g["time"], g["value"], color=colors[j], lw=1.2,
                label=f"$\\lambda_1..\\lambda_{{{k}}}$" if j == 0 else None)
    top = s[s["series"] == "bulk_top"]
    ax.plot(top["time"], top["value"], color="0.3", lw=1.0,
            label=r"top of the bulk ($\lambda_{max}$ on span$(\mu, x)^\perp$)")
    edge = s[s["source"] == "theory"]
    ax.plot(edge["time"], edge["value"], "k--", lw=1.0, label="bulk edge (theory)")
    ax.set_yscale("log")
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax.set_ylabel(r"eigenvalues of $\hat G_{11}(x_\ell)$")
    ax.set_title(f"k-GMM, k={k}, d={p['d']}, $\\lambda$={p['lam']:g}, test set "
                 f"{p['test_factor']:g}d")
    legend_below(fig, ncols=2)
    mark_stand_in(fig, "the paper's Sec. 9 figures are not retrievable; this is the G-matrix "
                  "analogue of Fig 2.3 (left) that the paper's text suggests")
    save_pdf(fig, snakemake.output[0])
