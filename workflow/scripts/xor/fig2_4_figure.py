"""Figure 2.4: layerwise alignment of the XOR network with its Hessian / G-matrix blocks; each
first-layer unit coloured by its final output weight |v_i|, the units the rows do not score
(|v_i| below the configured fraction of the largest) in grey."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import legend_below, magnitude_colors
    from hdsgd.plotting.style import new_figure, save_pdf
    from hdsgd.stages import read_table

    p, f = snakemake.params.run, snakemake.params.fig
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, sharex=True, sharey=True, height=5.0)
    units = s[s["panel"] == "W_hessian"].groupby("unit")[["v_final", "scored"]].first()
    v_abs = units["v_final"].abs()
    cut = f["scored_v_fraction"] * v_abs.max()
    colors = dict(zip(units.index, magnitude_colors(
        fig, axes, v_abs.to_numpy(), cut, r"final $|v_i|$ (grey: not scored)", shrink=0.48,
        anchor=(0.0, 1.0)), strict=True))
    threshold = {"W_hessian": f["min_w_alignment_hessian"], "W_G": f["min_w_alignment_g"]}
    n_scored = int(units["scored"].sum())
    labels = {True: f"unit $i$, scored ({n_scored} of {len(units)}): "
                    f"$|v_i| \\geq {f['scored_v_fraction']:g}\\,\\max\\,|v|$",
              False: "unit $i$ with a smaller $|v_i|$ (slow, not scored)"}
    panels = [("W_hessian", r"(a) $W_i$ vs $E_2(\nabla^2_{W_iW_i}\hat R)$"),
              ("W_G", r"(b) $W_i$ vs $E_2(\hat G_{W_iW_i})$"),
              ("v_hessian", r"(c) $v$ vs $E_4(\nabla^2_{vv}\hat R)$"),
              ("v_G", r"(d) $v$ vs $E_4(\hat G_{vv})$")]
    for ax, (panel, title) in zip(axes.ravel(), panels):
        d = s[s["panel"] == panel]
        if panel.startswith("W"):
            # slowest units first, so the scored (coloured) ones are drawn on top
            for u in v_abs.sort_values().index:
                g = d[d["unit"] == u]
                on = bool(units.loc[u, "scored"])
                ax.plot(g["time"], g["alignment"], color=colors[u], lw=1.1 if on else 0.9,
                        zorder=2 if on else 1.5, label=labels[on])
            ax.axhline(threshold[panel], color="k", lw=0.8, ls=(0, (1, 1.5)), zorder=3,
                       label="each scored unit must end above this line (agreement rows)")
        else:
            ax.plot(d["time"], d["alignment"], color="k", lw=1.2)
        ax.set_title(title)
        ax.set_ylim(0, 1.02)
    for ax in axes[1]:
        ax.set_xlabel(r"rescaled time $\ell\delta$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$\|P_E\,x\| / \|x\|$")
    legend_below(fig, ncols=2)
    fig.suptitle(f"Fig 2.4: XOR, K={p['K']}, d={p['d']}, $\\lambda$={p['lam']:g}, "
                 f"$\\beta$={p['beta']:g}, $\\delta$=1/d, test set {p['test_factor']:g}d",
                 fontsize=9)
    save_pdf(fig, snakemake.output[0])
