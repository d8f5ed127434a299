"""Stage (figure): Fig 2 (claim reproduction), least-squares analogue of Fig 1; under each
panel, SGD minus ODE at the scale of the seed spread."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.exact_panels import (
        draw_bands,
        draw_residuals,
        encoding_handles,
        figure_legend,
        gap_title,
        measured,
        residual_grid,
        value_colors,
        value_handles,
    )
    from hdsgd.plotting.style import mark_stand_in, save_pdf
    from hdsgd.stages import read_table

    f, runs = snakemake.params.fig, snakemake.params.runs
    series, agree = read_table(snakemake.input.series), read_table(snakemake.input.agreement)
    colors = value_colors(g for r in f["runs"] for g in runs[r]["gammas"])
    handles = value_handles(colors, lambda g: f"$\\gamma$={g:g}") + encoding_handles(
        r"(a) plateau $L^*/(1-\gamma\,\mathrm{tr}K/2d)$",
        band="SGD 10-90 % over seeds (lower panels)")
    fig, axes, res, leg = residual_grid(2, n_legend=len(handles))
    for ax, rax, letter, run in zip(axes[0], res[0], "ab", f["runs"], strict=True):
        p = runs[run]
        # (b): the exact solution is scored against the ODE (its row), not drawn: it is the ODE
        draw_bands(ax, series, run, "risk", colors, band=False,
                   closed=p["family"] == "isotropic")
        draw_residuals(rax, series, run, "risk", colors)
        if p["family"] == "isotropic":
            ax.set_xscale("log")
            title = f"({letter}) identity covariance"
        else:
            ax.set_yscale("log")
            title = f"({letter}) zero-one, exact decay"
        gap_title(ax, title, measured(agree, f"{run}: max rel. gap"), what="rel. gap")
        ax.set_ylabel("risk (least squares)")
    figure_legend(leg, handles)
    fig.suptitle(f"Binary least squares, d={runs[f['runs'][0]]['d']}: plateau (isotropic), "
                 f"decay to 0 (zero-one); rel. gap tolerance {f['max_rel_gap']:g}", fontsize=9)
    mark_stand_in(fig, "the paper's least-squares figure is not available "
                  "(docs/exact_dynamics.md §5.1, §5.5).")
    save_pdf(fig, snakemake.output[0])
