"""Figure 2: log-loss after n_steps over (alpha, beta): (a) MNIST SE, (b) MNIST simulated
linearised SGD, (c) synthetic SE, (d) synthetic simulated; grey = diverged; U(1) = 1 curves,
the noiseless line alpha = 2 (1 + beta), the Prop. 4 line and a star at each map's minimum."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.gf_panels import ALPHA_UNITS, draw_log_loss_map, map_color_range
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    f, labels = snakemake.params.fig, snakemake.params.labels
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, width=6.2, height=5.6)
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
                    st = dict(color="firebrick", ls="--", lw=1.2)
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
            handles["minimum of the map"] = h
            ax.set_xlim(f["alpha"]["start"], f["alpha"]["stop"])
            ax.set_ylim(f["beta"]["start"], f["beta"]["stop"])
            ax.set_xlabel(r"learning rate $\alpha$")
            ax.set_ylabel(r"momentum $\beta$")
            letter = "abcd"[2 * row + col]
            what = r"SE, $\tau_1 = \tau_2 = 1$" if kind == "SE" else "linearised SGD"
            ax.set_title(f"({letter}) {'MNIST' if panel == 'mnist' else 'synthetic'}: {what}\n"
                         f"min at $\\alpha$ = {m['alpha'].iloc[0]:.2f}, "
                         f"$\\beta$ = {m['beta'].iloc[0]:.2f}", fontsize=8)
            ax.grid(False)
        fig.colorbar(mesh, ax=axes[row, :], label=r"$\log_{10} L_T / L_0$", shrink=0.9)
    fits = s[s["series"].isin(["fit nu", "fit kappa"]) & (s["panel"] == "mnist")]
    nu_m = fits[fits["series"] == "fit nu"]["value"].iloc[0]
    ka_m = fits[fits["series"] == "fit kappa"]["value"].iloc[0]
    syn = s[(s["series"].isin(["fit nu", "fit kappa"])) & (s["panel"] == "synthetic")]
    nu_s = syn[syn["series"] == "fit nu"]["value"].iloc[0]
    ka_s = syn[syn["series"] == "fit kappa"]["value"].iloc[0]
    fig.suptitle(
        f"Fig 2: loss after T = {f['n_steps']} steps, b = {f['batch_size']}; grey: diverged.\n"
        f"MNIST ({labels['mnist']}): fitted $\\nu$ = {nu_m:.2f}, $\\varkappa$ = {ka_m:.2f} "
        f"($\\zeta$ = {ka_m / nu_m:.2f}, signal-dominated)\nsynthetic: fitted $\\nu$ = "
        f"{nu_s:.2f}, $\\varkappa$ = {ka_s:.2f} ($\\zeta$ = {ka_s / nu_s:.2f}, "
        "noise-dominated)", fontsize=8)
    fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncol=2,
               fontsize=8, title=ALPHA_UNITS, title_fontsize=8)
    save_pdf(fig, snakemake.output[0])
