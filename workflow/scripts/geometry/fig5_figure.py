"""Figure 5 (stand-in): a Hessian outlier emerges along training below the x = 0 threshold and
is re-absorbed (SGD against theory, eigenvalue and eigenvector), and maps over (lam, log t) of
where outliers exist."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.plotting.geometry_panels import STAND_IN, bottom_legend, handle, select
    from hdsgd.plotting.style import annotate_agreement, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    runs, tol = snakemake.params.runs, snakemake.params.agreement
    run0 = next(iter(runs.values()))
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, height=6.0)
    colors = dict(zip(runs, ("C0", "C1")))
    handles = []
    for name, run in runs.items():
        col = colors[name]
        lab = f"$\\lambda$ = {run['lam']:g}"
        for ax, sgd_q, th_q, scale in ((axes[0, 0], "top_over_edge", "outlier_over_edge", 100),
                                       (axes[0, 1], "overlap", "overlap", 1)):
            e = select(s, run=name, source="sgd", quantity=sgd_q)
            ax.errorbar(e["time"], scale * e["value"], yerr=scale * e["spread"], fmt="o", ms=3,
                        color=col, elinewidth=0.8, capsize=1.5)
            t = select(s, run=name, source="theory", quantity=th_q)
            ax.plot(t["time"], scale * t["value"], "-", color=col)
        n_tests = run["seeds"] * run["tests_per_run"]
        handles += [handle(f"SGD {lab}: mean $\\pm$ s.e. of {n_tests} test spectra", ls="",
                           marker="o", ms=3, color=col),
                    handle(f"theory {lab}" + ("" if select(s, run=name, quantity="count_change")
                                               .size else " (no outlier)"), color=col)]
        for t in select(s, run=name, source="theory", quantity="count_change")["time"]:
            for ax in axes[0]:
                ax.axvline(t, color=col, ls="-.", lw=0.8)
    axes[0, 0].axhline(0.0, color="0.15", lw=0.6, zorder=2.5)   # over the flat lambda = 3 line
    axes[0, 0].set_ylabel(r"$\lambda_1 / \lambda_+ - 1$ (%)")
    axes[0, 0].set_title(f"Hessian, k = C = {run0['k']}, $\\phi$ = {run0['phi']:g}, from "
                         "x = 0")
    axes[0, 1].axhline(tol["emergence_floor"], color="0.5", ls=":", lw=0.9)
    axes[0, 1].set_ylabel(r"$(\mu_c \cdot v_1)^2$")
    axes[0, 1].set_title(r"Hessian: top eigenvector $v_1$ and $\mu_c$")
    for ax in axes[0]:
        ax.set_xlabel(r"rescaled time $t = \ell\delta$")
    annotate_agreement(axes[0, 0], "scored: the rise and fall; d = 1000 shifts points by ~1 %")
    mesh = None
    for ax, kind, title in ((axes[1, 0], "hessian", "Hessian"), (axes[1, 1], "g", "G-matrix")):
        m = select(s, matrix=kind, source="map", quantity="overlap")
        cnt = select(s, matrix=kind, source="map", quantity="count")
        grid = m.pivot_table(index="lam", columns="time", values="value")
        count = cnt.pivot_table(index="lam", columns="time", values="value")
        times = grid.columns.to_numpy()
        later = times > 0                              # log t: the t = 0 column is Figs 3-4's
        lams = grid.index.to_numpy()
        z = grid.to_numpy()[:, later]
        c = count.to_numpy()[:, later]
        mesh = ax.pcolormesh(times[later], lams, np.ma.masked_where(c == 0, z),
                             shading="nearest", cmap="viridis", vmin=0, vmax=1)
        ax.contour(times[later], lams, c, levels=[0.5], colors="k", linewidths=0.9,
                   linestyles="--")
        for name, run in runs.items():
            ax.axhline(run["lam"], color=colors[name], lw=1.0, ls="--")
        ax.set_xscale("log")
        ax.set_xlabel(r"rescaled time $t$ (log scale)")
        ax.set_ylabel(r"SNR $\lambda$")
        ax.set_title(f"{title}: outliers over ($\\lambda$, t)")
    fig.colorbar(mesh, ax=axes[1, :], location="bottom", shrink=0.6, aspect=40,
                 label=r"overlap $(\mu_c \cdot v)^2$ of the top outlier (blank: no outlier)")
    handles += [handle("outlier appears / is absorbed (theory)", ls="-.", lw=0.8),
                handle(f"{tol['emergence_floor']:g}: below, $(\\mu_c \\cdot v_1)^2$ is at its d = "
                       f"{run0['d']} null level", color="0.5", ls=":"),
                handle("maps: border of the outlier region", ls="--", lw=0.9),
                handle(r"limiting bulk edge $\lambda_+$", color="0.15", lw=0.6),
                handle("maps: the two runs' $\\lambda$", color="0.4", ls="--", lw=1.0)]
    bottom_legend(fig, handles, ncols=2)
    fig.suptitle(f"Local geometry, Fig 5: an outlier emerges below $k/\\sqrt{{\\phi}}$ = "
                 f"{run0['k'] / run0['phi'] ** 0.5:.3g}, d = {run0['d']}")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
