"""Figure 5: budget independence: L(t)/L(0) against samples processed t b for several batch
sizes (linearised SGD on MNIST, beta = 0; SE dashed)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.style import annotate_agreement, class_colors, new_figure, save_pdf
    from hdsgd.stages import load_stage, read_table

    f = snakemake.params.fig
    s = read_table(snakemake.input.series)
    prob = load_stage(snakemake.input.problem)
    n = prob["r0"].size
    fig, axes = new_figure(ncols=1, width=6.0, height=3.4)
    ax = axes[0, 0]
    cols = class_colors(len(f["batch_sizes"]))
    handles, labels = [], []
    for col, b, a in zip(cols, f["batch_sizes"], f["alphas"]):
        for name, st in (("simulated", "-"), ("SE", "--")):
            d = s[(s["series"] == name) & (s["batch_size"] == b) & (s["step"] > 0)]
            ax.loglog(d["samples"], d["loss_ratio"], st, color=col, lw=1.3 if st == "-" else 0.9)
        # colour keys: an unlabelled proxy, so that the line-style keys below stand for
        # every colour's solid and dashed curves
        handles.append(ax.plot([], [], "-", color=col, lw=2.5)[0])
        labels.append(f"b = {b}, $\\alpha$ = {a:g}")
    handles += [ax.plot([], [], "k-", lw=1.3)[0], ax.plot([], [], "k--", lw=0.9)[0]]
    labels += ["linearised SGD (mean of runs)", r"SE $\tau_1 = \tau_2 = 1$"]
    ax.legend(handles, labels, fontsize=7.5, loc="center left", bbox_to_anchor=(1.02, 0.5))
    ax.set_xlabel(r"samples processed $t \cdot b$")
    ax.set_ylabel(r"$L(t) / L(0)$")
    data = str(prob["label"])
    paper = f" (paper: {snakemake.params.paper_n})" if n < snakemake.params.paper_n else ""
    fig.suptitle(f"Fig 5: {data}{paper}; $\\beta$ = {f['beta']:g}, {f['n_steps']} steps per b",
                 fontsize=8.5)
    # the learning rates differ between batch sizes: say how they were chosen
    bs, alphas = f["batch_sizes"], f["alphas"]
    scaled = all(abs(a - min(alphas[0] * b / bs[0], max(alphas))) < 1e-12
                 for a, b in zip(alphas, bs))
    annotate_agreement(ax, (r"$\alpha$ (units of $1/\lambda_{max}$) $\propto b$, the linear-"
                            f"scaling rule, capped at {max(alphas):g}: b = {bs[0]} runs at "
                            f"$\\alpha$ = {alphas[0]:g}") if scaled else
                       r"$\alpha$ differs between batch sizes (legend)")
    save_pdf(fig, snakemake.output[0])
