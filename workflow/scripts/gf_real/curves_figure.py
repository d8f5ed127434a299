"""Stage (figure): Figs 1, 7, 9, 10, loss curves (simulated SGD, network, SE, exact second
moments), under each the ratios its agreement rows score, and the eigendecomposition panel
where the figure has one; draws series.csv only."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.gf_real_panels import (
        figure_title,
        late_note,
        legend_below,
        loss_panel,
        loss_ratio_grid,
        ratio_panel,
        short_name,
        spectrum_panel,
    )
    from hdsgd.plotting.style import save_pdf
    from hdsgd.stages import read_table

    f, title = snakemake.params.fig, snakemake.params.title
    t = read_table(snakemake.input.series)
    problems = list(dict.fromkeys(t["problem"]))
    cfgs = f["configs"]
    spectrum = bool(f["power_law"])
    by_column = len(cfgs) == 1 and not spectrum  # Fig 7: one panel per data set, in a row
    rows = 1 if by_column else len(problems)
    cols = len(problems) if by_column else len(cfgs)
    fig, grid = loss_ratio_grid(rows, cols, spectrum, width=6.0)
    axes = []
    for r, (sf, loss_axes, ratio_axes, spec_ax) in enumerate(grid):
        panels = ([(p, cfgs[0]) for p in problems] if by_column
                  else [(problems[r], c) for c in cfgs])
        for col, (p, c) in enumerate(panels):
            g = t[t["problem"] == p]
            m = g[(g["batch_size"] == c["batch_size"]) & (g["alpha"] == c["alpha"])
                  & (g["beta"] == c["beta"])]
            loss_panel(loss_axes[col], m)
            reference = ratio_panel(ratio_axes[col], m)
            late_note(ratio_axes[col], m)
            loss_axes[col].set_title(short_name(g["data"].iloc[0]) if by_column else
                                     f"$b$ = {c['batch_size']}, $\\alpha$ = {c['alpha']:g}, "
                                     f"$\\beta$ = {c['beta']:g}", fontsize=8)
            if col == 0:
                loss_axes[col].set_ylabel(r"training loss $L_t$")
                ratio_axes[col].set_ylabel(f"ratio to {reference}", fontsize=7.5)
        if spec_ax is not None:
            g = t[t["problem"] == problems[r]]
            spec_ax.set_title(f"NTK spectrum: {spectrum_panel(spec_ax, g)}", fontsize=8)
        if not by_column:
            sf.suptitle(t[t["problem"] == problems[r]]["data"].iloc[0], fontsize=8)
        axes += [*loss_axes, *ratio_axes, *([spec_ax] if spec_ax is not None else [])]
    if by_column:
        c = cfgs[0]
        title = (f"{title}; $b$ = {c['batch_size']}, $\\alpha$ = {c['alpha']:g}, "
                 f"$\\beta$ = {c['beta']:g}")
    legend_below(fig, axes)
    figure_title(fig, title, f["stand_in"])
    save_pdf(fig, snakemake.output[0])
