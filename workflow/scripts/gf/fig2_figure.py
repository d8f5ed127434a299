"""Figure 2: log-loss after n_steps over (alpha, beta): (a) MNIST SE, (b) MNIST simulated
linearised SGD, (c) synthetic SE, (d) synthetic simulated; grey = diverged; U(1) = 1 curves,
the noiseless line alpha = 2 (1 + beta), the Prop. 4 line and a star at each map's minimum."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from matplotlib import patheffects

    from hdsgd.plotting.gf_panels import (
        ALPHA_UNITS,
        draw_log_loss_map,
        map_color_range,
        titled_rows,
    )
    from hdsgd.plotting.style import annotate_agreement, save_pdf
    from hdsgd.stages import read_table

    f = snakemake.params.fig
    s = read_table(snakemake.input.series)
    fig, rows, axes = titled_rows(2, 2, width=6.2, height=5.8)
    styles = {"U(1) = 1, paper tau": dict(color="k", ls="--", lw=1.2),
              "noiseless 2(1+beta)": dict(color="k", ls=":", lw=1.2),
              "Prop. 4 2(1-beta)/(gamma lambda_crit)": dict(color="k", ls="-.", lw=1.0)}
    names = {"U(1) = 1, paper tau": r"SE $U(1) = 1$, $\tau_1 = \tau_2 = 1$ (paper)",
             "noiseless 2(1+beta)": r"noiseless $\alpha = 2(1+\beta)$",
             "Prop. 4 2(1-beta)/(gamma lambda_crit)":
                 r"Prop. 4 $\alpha = 2(1-\beta)/(\gamma\tau_2\lambda_{crit})$"}
    handles = {}
    for row, panel in enumerate(("mnist", "synthetic")):
        d = s[s["panel"] == panel]
        vmin, vmax = map_color_range(d[d["series"].str.endswith("map")]["value"])
        for col, kind in enumerate(("SE", "simulated")):
            ax = axes[row, col]
            mesh = draw_log_loss_map(ax, d[d["series"] == f"{kind} map"], vmin, vmax)
            for name in d["series"].unique():
                if name.startswith("U(1) = 1, tau2"):
                    # a white rim keeps it visible on the dark converged region
                    st = dict(color="firebrick", ls="--", lw=1.2, path_effects=[
                        patheffects.Stroke(linewidth=2.6, foreground="white"),
                        patheffects.Normal()])
                    tau2 = name.split("= ")[-1]
                    names[name] = rf"SE $U(1) = 1$, $\tau_2 = {tau2}$ (Gaussian features)"
                elif name in styles:
                    st = styles[name]
                else:
                    continue
                c = d[d["series"] == name]
                (h,) = ax.plot(c["alpha"], c["beta"], **st)
                handles[names[name]] = h
            m = d[d["series"] == f"{kind} minimum"]
            (h,) = ax.plot(m["alpha"], m["beta"], "*", ms=11, color="cyan", mec="k", mew=0.6)
            handles[r"minimum of the map (simulated: smoothed, $\sigma$ = 2 cells)"] = h
            ax.set_xlim(f["alpha"]["start"], f["alpha"]["stop"])
            ax.set_ylim(f["beta"]["start"], f["beta"]["stop"])
            ax.set_xlabel(r"learning rate $\alpha$")
            ax.set_ylabel(r"momentum $\beta$")
            letter = "abcd"[2 * row + col]
            what = r"SE $\tau_1 = \tau_2 = 1$" if kind == "SE" else "linearised SGD"
            ax.set_title(f"({letter}) {what}: \u2605 at ({m['alpha'].iloc[0]:.2f}, "
                         f"{m['beta'].iloc[0]:.2f})", fontsize=8)
            ax.grid(False)
            between = d[d["series"] == "edge between taus"]
            if kind == "simulated" and len(between):
                annotate_agreement(ax, r"edge between the $\tau_2 = \pm 1$ curves: "
                                   f"{between['alpha'].iloc[0]:.0f}/"
                                   f"{between['beta'].iloc[0]:.0f} rows")
        fits = d[d["series"].isin(["fit nu", "fit kappa"])].set_index("series")["value"]
        nu, ka = fits["fit nu"], fits["fit kappa"]
        phase = "signal" if ka < 2 * nu - 1 else "noise"
        rows[row].suptitle(f"{'MNIST' if panel == 'mnist' else 'synthetic'}: fitted "
                           f"$\\nu$ = {nu:.2f}, $\\varkappa$ = {ka:.2f}, {phase}-dominated",
                           fontsize=8.5)
        rows[row].colorbar(mesh, ax=axes[row, :], label=r"$\log_{10} L_T / L_0$", shrink=0.9)
    fig.suptitle(f"Fig 2: loss after T = {f['n_steps']} steps, b = {f['batch_size']} (grey: "
                 "diverged; \u2605: minimum of the map)", fontsize=8.5)
    fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncol=2,
               fontsize=8, title=ALPHA_UNITS, title_fontsize=8)
    save_pdf(fig, snakemake.output[0])
