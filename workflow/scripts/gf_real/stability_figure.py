"""Figures 2, 9, 10, 12, 13: convergence regions / critical learning rates (SE vs simulated),
and for Figs 9, 10 the kernel spectrum with its power-law fits."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import load_stage, read_table

    f, title, kind = snakemake.params.fig, snakemake.params.title, snakemake.params.kind
    t = read_table(snakemake.input.series)
    st = load_stage(snakemake.input.stability)
    label = str(load_stage(snakemake.input.problem)["label"])
    bs = [int(b) for b in st["batch_sizes"]]
    crit = t[t["quantity"] == "critical_alpha"]
    se_sources = sorted(s for s in crit["source"].unique() if s.startswith("SE"))
    colors = class_colors(max(len(bs), len(se_sources)) + 1)

    def critical_panel(ax, effective=False):
        for i, b in enumerate(bs):
            for k, src in enumerate(se_sources):
                g = crit[(crit["batch_size"] == b) & (crit["source"] == src)]
                y = g["value"] * ((1 - g["beta"]) ** -1 if effective else 1)
                ax.plot(g["beta"], y, ["-", "--", ":"][k % 3], color=colors[i],
                        label=f"{src}, b={b}")
            g = crit[(crit["batch_size"] == b) & (crit["source"] == "simulated linearised SGD")]
            y = g["value"] * ((1 - g["beta"]) ** -1 if effective else 1)
            ax.plot(g["beta"], y, "o", ms=3, color=colors[i], label=f"simulated, b={b}")
        ax.set(xlabel=r"momentum $\beta$", yscale="log",
               ylabel=r"critical $\alpha/(1-\beta)$" if effective else r"critical $\alpha$")
        ax.legend(fontsize=5, loc="upper left", bbox_to_anchor=(1.01, 1.0))

    if kind == "region":
        fig, axes = new_figure(ncols=len(bs), sharey=True)
        A, B = np.meshgrid(st["alphas"], st["betas"])
        for ax, i in zip(axes[0], range(len(bs))):
            conv = st["sim_converges"][i]
            ax.pcolormesh(A, B, np.where(conv, 1.0, 0.0), cmap="Greys_r", vmin=-0.5, vmax=1.5,
                          shading="nearest")
            for k, (tau1, tau2) in enumerate(st["taus"]):  # the stage's tau order
                src = f"SE tau1={tau1:g} tau2={tau2:g}"
                ax.contour(A, B, st["theory_converges"][i, k].astype(float), levels=[0.5],
                           colors=[colors[k + 1]], linestyles=["-", "--", ":"][k % 3])
                ax.plot([], [], ["-", "--", ":"][k % 3], color=colors[k + 1],
                        label=f"{src} boundary")
            ax.set(xlabel=r"learning rate $\alpha$", title=f"b={bs[i]} (light: SGD converged)")
            ax.legend(fontsize=6, loc="lower right")
        axes[0, 0].set_ylabel(r"momentum $\beta$")
    elif kind in ("critical", "effective"):
        fig, axes = new_figure(ncols=1, width=4.6, height=3.4)
        critical_panel(axes[0, 0], effective=kind == "effective")
    else:  # spectrum: eigenvalues, loss tail, critical alpha
        fig, axes = new_figure(ncols=3)
        for ax, q, ylab in ((axes[0, 0], "eigenvalue", r"$\lambda_k / \lambda_1$"),
                            (axes[0, 1], "loss_tail", r"$\sum_{l\geq k} p_l$")):
            g = t[t["quantity"] == q]
            data = g[g["source"] == "data"]
            ax.plot(data["x"], data["value"], color="tab:blue", label="kernel spectrum")
            for src, fit in g[g["source"] != "data"].groupby("source"):
                ax.plot(fit["x"], fit["value"], "r--", label=f"power law, {src}")
            ax.set(xscale="log", yscale="log", xlabel="rank $k$", ylabel=ylab)
            ax.legend(fontsize=6, loc="lower left")
        critical_panel(axes[0, 2])
    fig.suptitle(f"{title} | data: {label}", fontsize=9)
    if f.get("stand_in"):
        mark_stand_in(fig, f["stand_in"])
    save_pdf(fig, snakemake.output[0])
