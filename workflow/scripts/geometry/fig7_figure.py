"""Figure 7 (stand-in): the G-matrix outlier's visible transition at d = 500 ... 4000, SGD
against the finite-d theory (which moves towards the limiting absorption time t* only
logarithmically in d) and the limit."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.plotting.geometry_panels import (
        STAND_IN,
        bottom_legend,
        handle,
        outlier_colors,
        select,
    )
    from hdsgd.plotting.style import annotate_agreement, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    run, tr = snakemake.params.run, snakemake.params.trend
    level = snakemake.params.agreement["transition_level"]
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, height=3.6)
    ax, ax_t = axes[0]
    colors = dict(zip(tr["dims"], outlier_colors(len(tr["dims"]))))
    handles = []
    for (d, col), n_runs in zip(colors.items(), tr["seeds"]):
        e = select(s, source="sgd", quantity="overlap", d=d)
        ax.errorbar(e["time"], e["value"], yerr=e["spread"], fmt="o", ms=3, color=col,
                    elinewidth=0.7, capsize=0)
        f = select(s, source="theory_finite", quantity="overlap", d=d)
        ax.plot(f["time"], f["value"], "-", lw=1.0, color=col)
        v = select(s, source="sgd", quantity="visible_transition", d=d)
        ax_t.errorbar(v["d"], v["time"], yerr=v["spread"], fmt="o", ms=4, color=col, capsize=2)
        handles.append(handle(f"d = {d} ({n_runs} runs)", color=col, marker="o", ms=3))
    lim = select(s, source="theory", quantity="overlap")
    ax.plot(lim["time"], lim["value"], "k-", lw=1.4)
    ax.axhline(level, color="0.6", ls=":", lw=0.8)
    t_star = select(s, quantity="t_star")["time"].iloc[0]
    ax.axvline(t_star, color="k", ls="-.", lw=0.9)
    ax.set_xlabel(r"rescaled time $t$")
    ax.set_ylabel(r"$(\mu_c \cdot v)^2$, outlier eigenvector")
    ax.set_ylim(-0.02, 1.0)
    th = select(s, source="theory_finite", quantity="visible_transition").sort_values("d")
    ax_t.plot(th["d"], th["time"], "k--", lw=1.0)
    ax_t.axhline(t_star, color="k", ls="-.", lw=0.9)
    ax_t.set_xscale("log")
    ax_t.set_xlabel(f"dimension d (test sample n = {run['phi']:g} d)")
    ax_t.set_ylabel("visible transition time")
    ax_t.set_title("visible transition against d")
    meas = select(s, source="sgd", quantity="visible_transition").sort_values("d")
    pred = th.set_index("d")["time"].reindex(meas["d"]).to_numpy()
    gap = meas["time"].to_numpy() - pred
    worst = int(np.abs(gap).argmax())
    trend = ("falls with d" if (meas["time"].diff().dropna() < 0).all() else
             "not monotone in d")
    annotate_agreement(ax_t, f"SGD {trend}; largest gap to theory {gap[worst]:+.1f} at "
                       f"d = {meas['d'].iloc[worst]:g}")
    ax.set_title(r"$\hat G_{cc}$: overlap with $\mu_c$")
    handles += [handle("SGD: mean $\\pm$ s.d. of runs", ls="", marker="o", ms=3),
                handle("finite-d theory at each d (largest of n weights)", lw=1.0),
                handle("finite-d theory against d", ls="--", lw=1.0),
                handle("limiting theory", lw=1.4),
                handle(r"limiting absorption time $t^*$", ls="-."),
                handle(f"transition level {level:g}", color="0.6", ls=":")]
    bottom_legend(fig, handles, ncols=3)
    fig.suptitle(f"Local geometry, Fig 7: the finite-d G-matrix edge (k = C = {run['k']}, "
                 f"$\\lambda$ = {run['lam']:g}, from x = 0)")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
