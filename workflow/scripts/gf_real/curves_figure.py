"""Figures 1, 7, 8, 11: loss curves of simulated SGD (network, linearised) and the SE theory."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import load_stage, read_table

    f, title = snakemake.params.fig, snakemake.params.title
    t = read_table(snakemake.input.series)
    label = str(load_stage(snakemake.input.problem)["label"])
    cfgs = t[t["curve"] == "linearised SGD"][["batch_size", "alpha", "beta"]].drop_duplicates()
    has_gd = (t["curve"] == "GD (b=N)").any()
    fig, axes = new_figure(ncols=len(cfgs) + has_gd, sharey=True)
    styles = {"network SGD": dict(color="k", lw=2.2, alpha=0.45),
              "exact second moments (Prop. 1)": dict(color="m", lw=1.0, ls=":"),
              "linearised SGD": dict(color="tab:blue", lw=1.4)}
    se_curves = sorted(c for c in t["curve"].unique() if c.startswith("SE"))
    se_colors = dict(zip(se_curves, class_colors(len(se_curves) + 1)[1:]))
    for ax, (_, c) in zip(axes[0], cfgs.iterrows()):
        m = t[(t["batch_size"] == c["batch_size"]) & (t["alpha"] == c["alpha"])
              & (t["beta"] == c["beta"]) & (t["step"] >= 1)]
        for name, g in m.groupby("curve", sort=False):
            if name in styles:
                ax.plot(g["step"], g["loss"], label=name, **styles[name])
            elif name in se_colors:
                ax.plot(g["step"], g["loss"], "--", color=se_colors[name], label=name)
        sim = m[m["curve"] == "linearised SGD"]["loss"]  # keep diverging SE curves readable
        ax.set_ylim(0.3 * sim.min(), 30 * sim.max())
        ax.set(xscale="log", yscale="log", xlabel="step $t$",
               title=f"$b$={c['batch_size']:g}, $\\alpha$={c['alpha']:g}, $\\beta$={c['beta']:g}")
    if has_gd:
        ax = axes[0, -1]
        for name, g in t[t["curve"].str.startswith("GD")].groupby("curve"):
            style = dict(color="tab:green") if name == "GD (b=N)" else dict(color="r", ls=":")
            ax.plot(g["step"], g["loss"], label=name, **style)
        sim = m[m["curve"] == "linearised SGD"]["loss"]  # keep diverging SE curves readable
        ax.set_ylim(0.3 * sim.min(), 30 * sim.max())
        ax.set(xscale="log", yscale="log", xlabel="step $t$", title="full-batch GD, power-law fit")
        ax.legend(loc="lower left")
    axes[0, 0].set_ylabel(r"training loss $L_t$")
    axes[0, 0].legend(loc="lower left")
    fig.suptitle(f"{title} | data: {label}", fontsize=9)
    if f.get("stand_in"):
        mark_stand_in(fig, f["stand_in"])
    save_pdf(fig, snakemake.output[0])
