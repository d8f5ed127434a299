"""Figure 5: budget independence: L(t)/L(0) against samples processed t b for several batch
sizes (linearised SGD on MNIST, beta = 0; SE dashed)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.style import class_colors, new_figure, save_pdf
    from hdsgd.stages import load_stage, read_table

    f = snakemake.params.fig
    s = read_table(snakemake.input.series)
    prob = load_stage(snakemake.input.problem)
    n = prob["r0"].size
    fig, axes = new_figure(ncols=1, width=4.6, height=3.2)
    ax = axes[0, 0]
    cols = class_colors(len(f["batch_sizes"]))
    for col, b, a in zip(cols, f["batch_sizes"], f["alphas"]):
        for name, st in (("simulated", "-"), ("SE", "--")):
            d = s[(s["series"] == name) & (s["batch_size"] == b) & (s["step"] > 0)]
            ax.loglog(d["samples"], d["loss_ratio"], st, color=col, lw=1.3 if st == "-" else 0.9,
                      label=f"b = {b}, $\\alpha$ = {a:g}" if name == "simulated" else None)
    ax.set_xlabel(r"samples processed $t \cdot b$")
    ax.set_ylabel(r"$L(t) / L(0)$")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.02, 0.5),
              title="solid: linearised SGD\ndashed: SE", title_fontsize=8)
    data = str(prob["label"])
    note = (f" (the paper: N = {snakemake.params.paper_n}, full MNIST by path)"
            if n < snakemake.params.paper_n else "")
    ax.set_title(f"Fig 5: {data}{note}\n$\\beta$ = {f['beta']:g}, "
                 f"{f['n_steps']} steps per b, $\\alpha$ in units of $1/\\lambda_{{max}}$",
                 fontsize=8)
    save_pdf(fig, snakemake.output[0])
