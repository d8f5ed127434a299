"""Figure 6: (left) the eq. 30 criterion over (nu, kappa) as the paper's map evaluates it,
clipped to [-1, 1], with the checked points; (centre) SE loss against alpha at beta = 0;
(right) SE loss against beta at the SE-optimal alpha, optimal betas dashed."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    from matplotlib import patheffects

    from hdsgd.plotting.gf_panels import pivot
    from hdsgd.plotting.style import class_colors, log_y_labels, new_figure, save_pdf
    from hdsgd.stages import read_table

    f = snakemake.params.fig
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=3, width=6.2, height=4.2)
    ax = axes[0, 0]
    xs, ys, z = pivot(s[(s["panel"] == "map") & (s["series"] == "eq. 30")], "x", "y")
    mesh = ax.pcolormesh(xs, ys, np.clip(z, -1, 1), cmap="RdBu_r", vmin=-1, vmax=1,
                         shading="nearest", rasterized=True)
    fig.colorbar(mesh, ax=ax, label="eq. 30, clipped", location="bottom",
                 shrink=0.9)
    line = s[(s["panel"] == "map") & (s["series"] == "kappa = 2 nu - 1")]
    # black in a white halo: readable on white, on the map's dark ends and in luminance
    (phase_line,) = ax.plot(line["x"], line["y"], "--", color="k", lw=1.2,
                            path_effects=[patheffects.Stroke(linewidth=2.8, foreground="w"),
                                          patheffects.Normal()])
    pts = s[(s["panel"] == "beta") & (s["series"] == "point")]
    colors = class_colors(len(pts))
    for col, (_, p) in zip(colors, pts.iterrows()):
        ax.plot(p["x"], p["y"], "D", color=col, mec="k", ms=6)
    ax.set_xlabel(r"$\nu$")
    ax.set_ylabel(r"$\varkappa$")
    ax.grid(False)
    ax = axes[0, 1]
    alpha_handles, alpha_labels = [], []
    for col, (i, c) in zip(["0.2", "0.55"], enumerate(f["alpha_curves"])):
        d = s[(s["panel"] == "alpha") & (s["pair"] == i)]
        g = d[d["series"] == "SE loss"]
        alpha_handles += ax.semilogy(g["x"], g["y"], color=col)
        alpha_labels.append(f"centre: ($\\nu$, $\\varkappa$) = ({c['nu']:g}, {c['kappa']:g})")
        ax.axvline(d[d["series"] == "SE optimum"]["x"].iloc[0], color=col, ls="--", lw=0.8)
        ax.axvline(d[d["series"] == "alpha* (28b)"]["x"].iloc[0], color=col, ls=":", lw=1.0)
    ax.set_xlabel(r"$\alpha$ ($\beta$ = 0)")
    ax.set_ylabel(r"SE loss $L_T$")
    log_y_labels(ax)
    ax = axes[0, 2]
    labels = []
    for col, (_, p) in zip(colors, pts.iterrows()):
        d = s[(s["panel"] == "beta") & (s["pair"] == p["pair"]) & (s["series"] == "SE loss")]
        ax.semilogy(d["x"], d["y"], color=col)
        ax.axvline(p["value"], color=col, ls="--", lw=0.8)
        # eq. 30 > 0 and d(28b)/d beta > 0 both predict a negative optimal momentum
        eq30 = r"$\beta^* < 0$" if p["eq30"] > 0 else r"$\beta^* > 0$"
        d28b = r"$\beta^* < 0$" if p["d28b"] > 0 else r"$\beta^* > 0$"
        labels.append(f"({p['x']:g}, {p['y']:g}): SE $\\beta^*$ = {p['value']:+.2f}; "
                      f"eq. 30: {eq30}; (28b): {d28b}")
    ax.set_xlabel(r"$\beta$ ($\alpha = \alpha_{opt}$)")
    ax.set_ylabel(r"$L(\beta) / \min_\beta L$")
    log_y_labels(ax)
    handles = [ax.plot([], [], "D", color=c, mec="k")[0] for c in colors]
    handles += [ax.plot([], [], "k--", lw=0.8)[0], ax.plot([], [], "k:", lw=1.0)[0]]
    handles += alpha_handles
    labels += ["SE optimum (centre, right)", r"$\alpha^*$ minimising (28b) (centre)",
               *alpha_labels]
    handles.append(phase_line)
    labels.append(r"left: phase boundary $\varkappa = 2\nu - 1$")
    fig.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=8,
               title=r"markers ($\nu$, $\varkappa$): the SE-optimal $\beta^*$ and the sign "
               "eq. 30 and (28b) predict for it", title_fontsize=8)
    fig.suptitle(f"Fig 6: negative momenta; SE recursion, N = {f['n_modes']}, "
                 f"b = {f['batch_size']}, $\\tau_1 = \\tau_2 = 1$, {f['n_steps']} steps, "
                 r"$\lambda_k = k^{-\nu}$, $\alpha$ in units of $1/\lambda_{max}$", fontsize=8)
    save_pdf(fig, snakemake.output[0])
