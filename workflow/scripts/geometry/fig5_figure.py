"""Figure 5 (stand-in): a Hessian outlier emerges along training below the x = 0 threshold and
is re-absorbed (SGD against theory), and maps over (lam, t) of where outliers exist."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.plotting.geometry_panels import STAND_IN, bottom_legend, handle, select
    from hdsgd.plotting.style import mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    runs = snakemake.params.runs
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, height=5.6)
    colors = {name: col for name, col in zip(runs, ("C0", "C1"))}
    handles = []
    for name, run in runs.items():
        col = colors[name]
        lab = f"$\\lambda$ = {run['lam']:g}"
        for ax, sgd_q, th_q in ((axes[0, 0], "top_over_edge", "outlier_over_edge"),
                                (axes[0, 1], "overlap", "overlap")):
            e = select(s, run=name, source="sgd", quantity=sgd_q)
            ax.errorbar(e["time"], e["value"], yerr=e["spread"], fmt="o", ms=3, color=col,
                        elinewidth=0.7, capsize=0)
            t = select(s, run=name, source="theory", quantity=th_q)
            ax.plot(t["time"], t["value"], "-", color=col)
        f = select(s, run=name, source="theory_finite", quantity="edge_over_edge")
        axes[0, 0].plot(f["time"], f["value"], "--", lw=0.8, color=col)
        for t in select(s, run=name, source="theory", quantity="count_change")["time"]:
            for ax in axes[0]:
                ax.axvline(t, color=col, ls="-.", lw=0.8)
        handles += [handle(f"SGD {lab} (mean, s.d. of {run['seeds']})", ls="", marker="o",
                           ms=3, color=col),
                    handle(f"theory {lab}", color=col)]
    axes[0, 0].axhline(0.0, color="k", lw=0.8)
    axes[0, 0].set_ylabel("top eigenvalue / limiting edge - 1")
    axes[0, 0].set_title(r"Hessian block: top eigenvalue")
    axes[0, 1].set_ylabel(r"$(\mu_c \cdot v_1)^2$, top eigenvector")
    axes[0, 1].set_title(r"Hessian block: overlap with $\mu_c$")
    for ax in axes[0]:
        ax.set_xlabel(r"rescaled time $t = \ell\delta$")
    for ax, kind, title in ((axes[1, 0], "hessian", "Hessian"), (axes[1, 1], "g", "G-matrix")):
        m = select(s, matrix=kind, source="map", quantity="overlap")
        cnt = select(s, matrix=kind, source="map", quantity="count")
        lams, times = np.unique(m["lam"]), np.unique(m["time"])
        grid = m.pivot_table(index="lam", columns="time", values="value").to_numpy()
        count = cnt.pivot_table(index="lam", columns="time", values="value").to_numpy()
        mesh = ax.pcolormesh(times, lams, np.ma.masked_where(count == 0, grid), shading="nearest",
                             cmap="viridis", vmin=0, vmax=1)
        ax.contour(times, lams, count, levels=[0.5], colors="k", linewidths=0.8)
        for name, run in runs.items():
            ax.axhline(run["lam"], color=colors[name], lw=1.0, ls="--")
        ax.set_xlabel(r"rescaled time $t$")
        ax.set_ylabel(r"SNR $\lambda$")
        ax.set_title(f"{title} outliers over ($\\lambda$, t)")
    fig.colorbar(mesh, ax=axes[1, :], location="bottom", shrink=0.6, aspect=40,
                 label=r"overlap $(\mu_c \cdot v)^2$ of the top outlier (blank: no outlier)")
    handles += [handle("bulk edge at d (theory)", ls="--", lw=0.8),
                handle("outlier appears / merges", ls="-.", lw=0.8),
                handle("maps: border of outlier region", lw=0.8)]
    bottom_legend(fig, handles, ncols=3)
    run0 = next(iter(runs.values()))
    fig.suptitle(f"Local geometry, Fig 5: outlier emergence along training\nk = C = "
                 f"{run0['k']}, $\\phi$ = {run0['phi']:g}, d = {run0['d']}, SGD from x = 0\nx = 0 "
                 f"Hessian threshold $k/\\sqrt{{\\phi}}$ = {run0['k'] / run0['phi'] ** 0.5:.3g}")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
