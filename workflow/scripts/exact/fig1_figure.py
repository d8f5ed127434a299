"""Stage (figure): Fig 1, binary logistic risk, SGD over seeds vs ODE, four covariance models."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.exact_panels import (
        draw_bands,
        encoding_handles,
        figure_legend,
        footer,
        gap_title,
        measured,
        panel_grid,
        value_colors,
        value_handles,
    )
    from hdsgd.plotting.style import log_y_labels, save_pdf
    from hdsgd.stages import read_table

    f, runs = snakemake.params.fig, snakemake.params.runs
    series, agree = read_table(snakemake.input.series), read_table(snakemake.input.agreement)
    colors = value_colors(g for r in f["runs"] for g in runs[r]["gammas"])
    handles = (value_handles(colors, lambda g: f"$\\gamma$={g:g}")
               + encoding_handles("closed form (fixed point; zero-one law)"))
    fig, axes, leg = panel_grid(2, 2, n_legend=len(handles))
    for ax, letter, run in zip(axes.flat, "abcd", f["runs"], strict=True):
        p = runs[run]
        draw_bands(ax, series, run, "risk", colors)
        ax.set_xscale("log")
        if p["family"] == "isotropic":
            title = f"({letter}) identity covariance"
        elif p["family"] == "zero_one":
            title = f"({letter}) zero-one, $\\mu$ on the zero set"
            ax.set_yscale("log")
        else:
            title = f"({letter}) power law, $\\mu_i=d^{{-1/2}}i^{{-{p['beta']:g}}}$"
            if p["beta"] == 0:
                ax.set_yscale("log")
        if ax.get_yscale() == "log":
            log_y_labels(ax)  # minor tick labels of a short log range overlap
        gap_title(ax, title, measured(agree, f"{run}: risk"))
        ax.set_ylabel("population risk")
    figure_legend(leg, handles)
    p0, (a1, a2) = runs[f["runs"][0]], runs[f["runs"][2]]["alphas"]
    fig.suptitle(f"Fig 1 (arXiv 2510.14074): binary logistic regression, d={p0['d']}, "
                 f"{p0['seeds']} seeds; power law: $\\lambda_i=i^{{-{a1:g}}}, i^{{-{a2:g}}}$",
                 fontsize=9)
    footer(fig, "Panels as captioned in the paper (mean sign convention: docs/exact_dynamics.md "
                "§3); d, seeds, learning rates, zero fraction and beta chosen (§6); ODE "
                "re-derived (§2). Gap: max over t >= "
                f"{f['t_agree']:g} of |SGD mean - ODE| / max({f['max_risk_gap']:g} "
                "min(L(0) - L, L), 4 SE); agreement iff <= 1.")
    save_pdf(fig, snakemake.output[0])
