"""Stage (figure): convergence in d, single runs against the ODE in the Fig 1 (a), (c)
settings, with the gaps to two deliberately wrong ODEs."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.exact_panels import figure_legend, footer, panel_grid
    from hdsgd.plotting.scaling_panels import rate_panel
    from hdsgd.plotting.style import save_pdf
    from hdsgd.stages import read_table

    sc, settings = snakemake.params.scaling, snakemake.params.settings
    series = read_table(snakemake.input.series)
    titles = {"isotropic": "identity covariance", "power_law": r"power law, $\mu_i=d^{-1/2}$"}
    controls = {"gamma": ("s", ":", f"ODE with $\\gamma\\times${sc['control_gamma_scale']:g}"),
                "noise": ("^", "-.", "ODE without SGD noise")}
    fig, axes, leg = panel_grid(len(sc["settings"]), n_legend=4 * len(sc["settings"]),
                                legend_cols=len(sc["settings"]), panel_height=2.6)
    handles = []
    for ax, letter, setting in zip(axes[0], "abcd", sc["settings"], strict=False):
        wrong = []          # drawn first and larger: the right theory's points lie on top
        for which, (marker, style, name) in controls.items():
            wrong += rate_panel(ax, series, f"{setting} {which} control", color="0.45",
                                marker=marker, label=f"({letter}) vs {name}",
                                draw_expected=False, fit_style=style, open_marker=True, ms=8)
        h = rate_panel(ax, series, setting, color="C0", label=f"({letter}) single runs vs ODE")
        h[1].set_label(f"({letter}) {h[1].get_label()}")
        handles += h + wrong
        ax.set_title(f"({letter}) {titles[settings[setting]['family']]} (Fig 1 setting)",
                     fontsize=8)
        ax.set_ylabel("RMS risk gap to the ODE")
    figure_legend(leg, handles, ncols=len(sc["settings"]))
    fig.suptitle(f"Single SGD runs approach the ODE as d grows (binary logistic, "
                 f"$\\gamma$={sc['gamma']:g}, t in [{sc['t_agree']:g}, {sc['t_max']:g}])",
                 fontsize=9)
    footer(fig, "Not in the paper: the rates are derived in docs/exact_dynamics.md §7; bands: "
                "16-84 % bootstrap over runs.")
    save_pdf(fig, snakemake.output[0])
