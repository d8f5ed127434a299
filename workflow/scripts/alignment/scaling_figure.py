"""Convergence in d: x^1 . mu_1 of single SGD runs at the smallest and largest d around the
effective-dynamics ODE (a), and the RMS gap to the ODE against d with its fitted and expected
rates for the overlaps (b), the squared norms (c) and the test accuracy (d)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    from hdsgd.checks.alignment_scaling import QUANTITIES
    from hdsgd.plotting.alignment_panels import legend_below
    from hdsgd.plotting.scaling_panels import rate_panel
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    model, sweep, times = snakemake.params.model, snakemake.params.sweep, snakemake.params.times
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, height=5.2)
    ax = axes[0, 0]
    traj = s[s["panel"] == "trajectory"]
    sim = traj[traj["source"] == "simulation"]
    sizes = sorted(sim["size"].unique())
    for color, d in zip(("tab:orange", "tab:purple"), sizes):
        for r, g in sim[sim["size"] == d].groupby("run"):
            ax.plot(g["time"], g["value"], color=color, lw=0.7, alpha=0.8,
                    label=f"SGD, d = {d:g} ({sweep['runs']} runs)" if r == 0 else None)
    ode = traj[traj["source"] == "theory"]
    ax.plot(ode["time"], ode["value"], "k--", lw=1.2, label="effective-dynamics ODE")
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax.set_ylabel(r"$x^1_\ell\cdot\mu_1$")
    ax.set_title(r"(a) single runs around the $d\to\infty$ ODE")
    legend_below(fig, *ax.get_legend_handles_labels(), ncols=3)
    rates = s[s["panel"] == "rate"]
    for ax, (q, (label, _wording)), tag in zip(axes.flat[1:], QUANTITIES.items(), "bcd"):
        handles = rate_panel(ax, rates, q, label="RMS gap")
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo / 1.4, hi * (hi / lo) ** 0.8)  # room for the legend above the points
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_title(f"({tag}) {label}: SGD vs ODE")
        ax.set_ylabel("RMS gap to the ODE")
        ax.legend(handles=handles, loc="upper right", fontsize=7)
    fig.suptitle(f"Convergence in d: k-GMM SGD vs effective dynamics, k = {model['k']}, "
                 f"$\\lambda$ = {model['lam']:g}, $\\beta$ = {model['beta']:g}, "
                 f"$\\delta$ = {model['c_delta']:g}/d, t $\\leq$ {times['t_max']:g}",
                 fontsize=9)
    save_pdf(fig, snakemake.output[0])
