"""Convergence in d of the Hessian block's spectrum: RMS Kolmogorov distance to the limiting law
at x = 0 (a) and along SGD (b, also against the law of each test sample's own weights), and the
RMS gap of the outlier eigenvalues at x = 0 (c) and along SGD (d), against d with the fitted and
expected rates."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.checks.geometry_scaling import QUANTITIES
    from hdsgd.plotting.scaling_panels import gap_axis, rate_panel
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    model, s = snakemake.params.model, snakemake.params.scaling
    series = read_table(snakemake.input.series)
    t = s["time"]
    fig, axes = new_figure(ncols=2, nrows=2, height=5.6)
    panels = [
        (axes[0, 0], ["ks_x0"], "(a) Kolmogorov distance, x = 0", "RMS Kolmogorov distance"),
        (axes[0, 1], ["ks_limit", "ks_sample"], f"(b) Kolmogorov distance, t = {t:g}",
         "RMS Kolmogorov distance"),
        (axes[1, 0], ["outliers_x0"], "(c) outlier eigenvalues, x = 0", "RMS outlier gap"),
        (axes[1, 1], ["outliers_train"], f"(d) outlier eigenvalues, t = {t:g}",
         "RMS outlier gap"),
    ]
    styles = [("C0", "o"), ("C3", "s")]
    for ax, quantities, title, ylabel in panels:
        handles = []
        for q, (color, marker) in zip(quantities, styles):
            label = QUANTITIES[q][0].format(t=t) if len(quantities) > 1 else "measured"
            handles += rate_panel(ax, series, q, color=color, marker=marker, label=label,
                                  expected_color=color if len(quantities) > 1 else "0.3")
        gap_axis(ax, legend_fraction=0.2 * len(quantities))
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(handles=handles, loc="upper right", fontsize=7)
    fig.suptitle(f"Convergence in d: Hessian block $H_{{cc}}$ vs its limiting law, "
                 f"k = {model['k']}, $\\lambda$ = {model['lam']:g}, $\\phi$ = n/d = "
                 f"{model['phi']:g}", fontsize=9)
    save_pdf(fig, snakemake.output[0])
