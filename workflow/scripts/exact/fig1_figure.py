"""Stage (figure): Fig 1, binary logistic risk, SGD over seeds vs ODE, four covariance models;
under each panel, SGD minus ODE at the scale of the seed spread."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.exact_panels import (
        draw_bands,
        draw_residuals,
        encoding_handles,
        figure_legend,
        footer,
        gap_title,
        measured,
        residual_grid,
        value_colors,
        value_handles,
    )
    from hdsgd.plotting.style import log_y_labels, save_pdf
    from hdsgd.stages import read_table

    f, runs = snakemake.params.fig, snakemake.params.runs
    series, agree = read_table(snakemake.input.series), read_table(snakemake.input.agreement)
    colors = value_colors(g for r in f["runs"] for g in runs[r]["gammas"])
    handles = (value_handles(colors, lambda g: f"$\\gamma$={g:g}")
               + encoding_handles(r"limit $L_\infty$ (fixed point)",
                                  band="SGD 10-90 % over seeds (lower panels)"))
    fig, axes, res, leg = residual_grid(2, 2, n_legend=len(handles))
    for ax, rax, letter, run in zip(axes.flat, res.flat, "abcd", f["runs"], strict=True):
        p = runs[run]
        # (b): the noiseless law is scored (its row), not drawn: it lies on the ODE
        draw_bands(ax, series, run, "risk", colors, band=False,
                   closed=p["family"] != "zero_one")
        draw_residuals(rax, series, run, "risk", colors)
        ax.set_xscale("log")
        if p["family"] == "isotropic":
            title = f"({letter}) identity covariance"
        elif p["family"] == "zero_one":
            title = f"({letter}) zero-one: $L\\approx 1/(\\gamma\\|\\mu\\|^2t)$"
            ax.set_yscale("log")
        else:
            title = f"({letter}) power law, $\\beta$={p['beta']:g}"
            title += ": saturates" if "ode_t_max" in p else ": decays"
            if p["beta"] == 0:
                ax.set_yscale("log")
        if ax.get_yscale() == "log":
            log_y_labels(ax)  # minor tick labels of a short log range overlap
        gap_title(ax, title, measured(agree, f"{run}: risk"))
        ax.set_ylabel("population risk")
    figure_legend(leg, handles)
    p0, (a1, a2) = runs[f["runs"][0]], runs[f["runs"][2]]["alphas"]
    seeds = sorted({runs[r]["seeds"] for r in f["runs"]})
    seeds = f"{seeds[0]}" if len(seeds) == 1 else f"{seeds[0]}-{seeds[-1]}"
    fig.suptitle(f"Fig 1 (arXiv 2510.14074): binary logistic, d={p0['d']}, {seeds} seeds; "
                 f"(c, d): $\\lambda_i=i^{{-{a1:g}}}, i^{{-{a2:g}}}$, "
                 "$\\mu_i=d^{-1/2}i^{-\\beta}$", fontsize=9)
    footer(fig, f"gap: max over t >= {f['t_agree']:g} of |SGD mean - ODE| / "
                f"max({f['max_risk_gap']:g} min(L(0) - L, L), 4 SE), agreement iff <= 1 "
                "(docs/exact_dynamics.md §6)")
    save_pdf(fig, snakemake.output[0])
