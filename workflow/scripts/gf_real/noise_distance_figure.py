"""Stage (figure): Fig 8, the noise distance D(tau1, tau2) between the true SGD noise and its
SE form along the exact second-moment trajectory; draws series.csv only."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.plotting.gf_real_panels import figure_title, legend_below, short_name
    from hdsgd.plotting.style import log_y_labels, new_figure, save_pdf
    from hdsgd.stages import read_table

    f, title = snakemake.params.fig, snakemake.params.title
    t = read_table(snakemake.input.series)
    data = t["data"].iloc[0]
    fig, axes = new_figure(ncols=2, nrows=2, width=6.2, height=5.8)

    def series(q):
        g = t[(t["quantity"] == q) & (t["step"] >= 1)]
        return g["step"].to_numpy(), g["value"].to_numpy()

    ax = axes[0, 0]  # level sets at a few steps
    ell = t[t["quantity"] == "D"]
    steps = sorted(ell["step"].unique())
    level_colors = ["tab:blue", "tab:orange", "tab:red", "tab:olive", "tab:cyan"]  # one per step
    for s, color in zip(steps, level_colors * len(steps)):
        g = ell[ell["step"] == s]
        n1, n2 = g["tau1"].nunique(), g["tau2"].nunique()
        T1, T2, D = (g[k].to_numpy().reshape(n2, n1) for k in ("tau1", "tau2", "value"))
        ax.contour(T1, T2, D, levels=[0.05, 0.2, 0.5], colors=[color], linewidths=1.0)
        ax.plot([], [], color=color, label=f"$D$ = 0.05, 0.2, 0.5 at step {s}")
    t1, t2 = series("tau1_opt")[1], series("tau2_opt")[1]
    ax.plot(t1, t2, "-", lw=1.2, color="0.3", label=r"global minimiser $(\tau_1^*, \tau_2^*)$ "
            "over $t$")
    ax.set(xlabel=r"$\tau_1$", ylabel=r"$\tau_2$", title="level sets of $D$", xlim=(0, 2),
           ylim=(-2, 4))
    ax = axes[0, 1]
    ax.plot(*series("axis_ratio"), color="k", label="minor/major axis ratio")
    ax.set(xscale="log", yscale="log", xlabel="step $t$", title="ellipse axis ratio")
    log_y_labels(ax)
    ax = axes[1, 0]
    x, y = series("tau2_at_1")
    ax.plot(x, y, color="tab:purple", label=r"best $\tau_2$ at $\tau_1=1$")
    ax.axhline(1.0, color="0.4", lw=0.8, ls=":", label=r"$\tau_2=1$")
    ax.set(xscale="log", xlabel="step $t$", ylabel=r"$\tau_2^*$", title=r"optimal $\tau_2$",
           ylim=(min(0.0, np.min(y)), max(2.0, np.max(y))))
    ax = axes[1, 1]
    # where the two minima coincide, black dashes on a wide light line keep both in view
    ax.plot(*series("d_min"), color="#74c476", lw=3.0, label="global minimum of $D$")
    ax.plot(*series("d_min_at_1"), color="k", lw=1.0, ls="--",
            label=r"minimum of $D$ at $\tau_1=1$")
    ax.set(xscale="log", yscale="log", xlabel="step $t$", title="minimal relative error")
    log_y_labels(ax)
    legend_below(fig, axes)
    figure_title(fig, f"{title}: {short_name(data)}", f["stand_in"])
    save_pdf(fig, snakemake.output[0])
