"""Stage (figure): Figs 1, 7, 9, 10, loss curves (simulated SGD, network, SE, exact second
moments) with the eigendecomposition panel where the figure has one; draws series.csv only."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.gf_real_panels import (
        figure_title,
        legend_below,
        loss_panel,
        panel_title,
        spectrum_panel,
    )
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    f, title = snakemake.params.fig, snakemake.params.title
    t = read_table(snakemake.input.series)
    problems = list(dict.fromkeys(t["problem"]))
    cfgs = f["configs"]
    spectrum = bool(f["power_law"])
    panels = []  # (row, col, kind, problem, config)
    if len(cfgs) == 1 and not spectrum:  # one panel per problem, in a row (Fig 7)
        panels = [(0, i, "loss", p, cfgs[0]) for i, p in enumerate(problems)]
        nrows, ncols = 1, len(problems)
    else:  # one row per problem: a panel per configuration, then the eigendecomposition
        for r, p in enumerate(problems):
            panels += [(r, i, "loss", p, c) for i, c in enumerate(cfgs)]
            if spectrum:
                panels.append((r, len(cfgs), "spectrum", p, None))
        nrows, ncols = len(problems), len(cfgs) + spectrum
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=6.0, height=2.4 * nrows + 1.3)
    for r, col, kind, p, c in panels:
        ax, g = axes[r, col], t[t["problem"] == p]
        data = g["data"].iloc[0]
        if kind == "spectrum":
            fits = spectrum_panel(ax, g)
            ax.set_title(panel_title(data, f"eigendecomposition: {fits}"), fontsize=7.5)
            continue
        m = g[(g["batch_size"] == c["batch_size"]) & (g["alpha"] == c["alpha"])
              & (g["beta"] == c["beta"])]
        loss_panel(ax, m)
        ax.set_title(panel_title(data, f"$b$={c['batch_size']}, $\\alpha$={c['alpha']:g}, "
                                 f"$\\beta$={c['beta']:g}"), fontsize=7.5)
        if col == 0:
            ax.set_ylabel(r"training loss $L_t$")
    legend_below(fig, axes)
    figure_title(fig, title, f["stand_in"])
    save_pdf(fig, snakemake.output[0])
