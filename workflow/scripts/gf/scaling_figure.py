"""Convergence in N: (a) the exact mean loss of every draw at the largest N and the paper's SE
curve, relative to the SE curve with the derived tau;
(b) the RMS relative gap between single draws and each SE curve against N, with the fitted and
expected rates."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.checks.gf_scaling import QUANTITIES
    from hdsgd.plotting.scaling_panels import gap_axis, rate_panel
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    s, p, taus = snakemake.params.draws, snakemake.params.problem, snakemake.params.taus
    series = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, height=3.4)
    styles = {"derived": ("C0", "o", "--", "C0"), "paper": ("C3", "s", ":", "C3")}

    def tau_label(q):
        return f"{QUANTITIES[q][0]} $\\tau$ = ({taus[q][0]:g}, {taus[q][1]:g})"

    ax = axes[0, 0]
    c = series[series["panel"] == "curves"]
    n_max = int(c["size"].iloc[0])
    ref = c[c["curve"] == "derived"].set_index("step")["loss"]   # SE with the derived tau
    exact = c[c["curve"] == "exact"]
    for r, g in exact.groupby("draw"):
        ax.plot(g["step"], g["loss"].to_numpy() / ref[g["step"]].to_numpy(), "-", color="0.55",
                lw=0.6, alpha=0.6,
                label=f"exact mean loss, {exact['draw'].nunique()} draws" if r == 0 else None)
    for q, (color, marker, ls, _) in styles.items():
        g = c[c["curve"] == q]
        ax.plot(g["step"], g["loss"].to_numpy() / ref[g["step"]].to_numpy(), ls, color=color,
                marker=marker, ms=3, lw=1.2, label=tau_label(q))
    ax.set_xlabel("step t")
    ax.set_ylabel(r"$L_t\, /\, L_t^{SE}$ (derived $\tau$)")
    ax.set_title(f"(a) mean loss relative to SE, N = {n_max}")
    handles, _ = ax.get_legend_handles_labels()

    ax = axes[0, 1]
    rates = series[series["panel"] == "rate"]
    for q, (color, marker, _ls, ecolor) in styles.items():
        handles += rate_panel(ax, rates, q, color=color, marker=marker,
                              label=f"gap to {tau_label(q)}", size_label="data size N",
                              expected_color=ecolor)
    gap_axis(ax)
    ax.set_ylabel("RMS relative gap")
    ax.set_title("(b) gap to SE against N")
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=7)
    fig.suptitle(f"Convergence in N: exact mean loss vs SE, Haar basis, $\\nu$ = {p['nu']:g}, "
                 f"$\\varkappa$ = {p['kappa']:g}, b = {s['batch_size']}, "
                 f"$\\alpha$ = {s['alpha']:g}, $\\beta$ = {s['beta']:g}", fontsize=9)
    save_pdf(fig, snakemake.output[0])
