"""Stage (figure): Fig 3 (claim reproduction), overlap with the signal and alignment with the
clean directions."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from matplotlib.lines import Line2D

    from hdsgd.plotting.exact_panels import (
        draw_bands,
        figure_legend,
        panel_grid,
    )
    from hdsgd.plotting.style import mark_stand_in, save_pdf
    from hdsgd.stages import read_table

    f, runs = snakemake.params.fig, snakemake.params.runs
    series = read_table(snakemake.input.series)
    p = runs[f["run"]]
    (gamma,) = p["gammas"]
    # one colour per curve of (a, b): the clean-direction quantity and its plain counterpart;
    # the weight profiles (c) are other runs: colours and markers of their own
    c_clean, c_plain = {gamma: "tab:blue"}, {gamma: "tab:purple"}
    prof_style = dict(zip(f["profile_runs"], [("tab:red", "D"), ("tab:orange", "v")],
                          strict=True))
    clean, plain = r"$\cos(x,P_{\rm clean}\mu)$", r"$\cos(x,\mu)$"
    handles = [
        Line2D([], [], color="tab:blue", marker="o", ms=3.5,
               label=f"(a) {clean} $\\to$ 1 (lines: ODE, dots: SGD mean)"),
        Line2D([], [], color="tab:purple", ls="--", marker="s", mfc="white", ms=3.5,
               label=f"(a) {plain}: falls after its peak"),
        Line2D([], [], color="tab:blue", marker="o", ms=3.5, label="(b) clean weights: grow"),
        Line2D([], [], color="tab:purple", ls="--", marker="s", mfc="white", ms=3.5,
               label="(b) noisy weights: saturate"),
        *[Line2D([], [], color=c, marker=m, ms=3.5,
                 label=f"(c) $\\mu_i\\propto i^{{-\\beta}}$, $\\beta$={runs[r]['beta']:g}: "
                       "ODE per mode, SGD binned")
          for r, (c, m) in prof_style.items()]]
    fig, axes, leg = panel_grid(3, n_legend=len(handles), legend_cols=2, panel_height=2.4)
    ax = axes[0, 0]
    draw_bands(ax, series, f["run"], "cos_clean", c_clean, band=False)
    draw_bands(ax, series, f["run"], "cos_mu", c_plain, ls="--", marker="s", band=False,
               open_marker=True)
    ax.set_xscale("log")
    ax.set_ylabel("cosine")
    ax.set_title(f"(a) zero-one, $\\rho_0$={p['rho0']:g}, $\\gamma$={gamma:g}", fontsize=8)
    ax = axes[0, 1]
    draw_bands(ax, series, f["run"], "weight_clean", c_clean, band=False)
    draw_bands(ax, series, f["run"], "weight_noisy", c_plain, ls="--", marker="s", band=False,
               open_marker=True)
    ax.set_xscale("log")
    ax.set_ylabel("weight per unit mean")
    ax.set_title("(b) clean vs noisy weights", fontsize=8)
    ax = axes[0, 2]
    for run, (color, marker) in prof_style.items():
        sub = series[series["run"] == run]
        ode = sub[sub["quantity"] == "mode_weight"].sort_values("lambda")
        ax.plot(ode["lambda"], ode["value"], color=color)
        b = sub[sub["quantity"] == "binned_weight"]
        mean = b[b["source"] == "sgd_mean"].sort_values("lambda")
        lo = b[b["source"] == "sgd_lo"].sort_values("lambda")["value"].to_numpy()
        hi = b[b["source"] == "sgd_hi"].sort_values("lambda")["value"].to_numpy()
        mv = mean["value"].to_numpy()
        ax.errorbar(mean["lambda"], mv, yerr=[mv - lo, hi - mv], ls="none", marker=marker,
                    ms=3.5, color=color)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"mode variance $\bar\lambda_i$")
    ax.set_ylabel(r"$x_i/\mu_i$ at the final $t$")
    ax.set_title("(c) power law, per mode", fontsize=8)
    figure_legend(leg, handles, ncols=2)
    fig.suptitle(f"SGD aligns with the clean directions: {clean} $\\to$ 1 while {plain} falls",
                 fontsize=9)
    mark_stand_in(fig, "claim stated in the abstract; the paper's figure is not available "
                  "(docs/exact_dynamics.md §5.3).")
    save_pdf(fig, snakemake.output[0])
