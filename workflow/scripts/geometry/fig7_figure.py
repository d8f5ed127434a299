"""Figure 7 (stand-in): the G-matrix outlier's visible transition at d = 500 ... 4000 moves
slowly towards the limiting absorption time t*, SGD against the finite-d theory."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.geometry_panels import (
        STAND_IN,
        bottom_legend,
        handle,
        outlier_colors,
        select,
    )
    from hdsgd.plotting.style import mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    run, tr = snakemake.params.run, snakemake.params.trend
    level = snakemake.params.agreement["transition_level"]
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, height=3.6)
    ax, ax_t = axes[0]
    colors = dict(zip(tr["dims"], outlier_colors(len(tr["dims"]))))
    handles = []
    for d, col in colors.items():
        e = select(s, source="sgd", quantity="overlap", d=d)
        ax.errorbar(e["time"], e["value"], yerr=e["spread"], fmt="o", ms=3, color=col,
                    elinewidth=0.7, capsize=0)
        f = select(s, source="theory_finite", quantity="overlap", d=d)
        ax.plot(f["time"], f["value"], "-", lw=1.0, color=col)
        v = select(s, source="sgd", quantity="visible_transition", d=d)
        ax_t.errorbar(v["d"], v["time"], yerr=v["spread"], fmt="o", ms=4, color=col, capsize=2)
        handles.append(handle(f"d = {d}: SGD (mean, s.d. of runs) / finite-d theory",
                              color=col, marker="o", ms=3))
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
    ax.set_title(r"$\hat G_{cc}$: overlap with $\mu_c$")
    handles += [handle("limiting theory", lw=1.4),
                handle(r"limiting absorption time $t^*$", ls="-."),
                handle("finite-d theory (law conditioned on the largest of n weights)",
                       ls="--"),
                handle(f"transition level {level:g}", color="0.6", ls=":")]
    bottom_legend(fig, handles, ncols=2)
    fig.suptitle(f"Local geometry, Fig 7: the finite-d G-matrix edge\nk = C = {run['k']}, "
                 f"$\\lambda$ = {run['lam']:g}, $\\phi$ = {run['phi']:g}, SGD from x = 0")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
