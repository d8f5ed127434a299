"""Figure 12 (synthetic part): critical learning rate versus momentum for several batch sizes:
SE theory (modes stable and U(1) = 1) as lines, the SGD divergence edge as markers."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import mark_stand_in, new_figure, save_pdf, sequential_colors
    from hdsgd.stages import load_stage, read_table

    c, f = snakemake.params.common, snakemake.params.fig
    th = load_stage(snakemake.input.theory)
    s = read_table(snakemake.input.series)
    agree = read_table(snakemake.input.agreement)
    fig, axes = new_figure(ncols=2)
    colors = sequential_colors(len(f["batch_sizes"]))
    for ax, eff in zip(axes[0], (False, True)):
        for col, b in zip(colors, f["batch_sizes"]):
            scale = 1 / (1 - th["fine_betas"]) if eff else 1.0
            ax.plot(th["fine_betas"], th[f"alpha_fine_b{b}"] * scale, "-", color=col,
                    label=f"b = {b}")
            rows = s[s["batch_size"] == b]
            scale = 1 / (1 - rows["beta"]) if eff else 1.0
            ax.plot(rows["beta"], rows["alpha_sgd"] * scale, "o", ms=3.5, color=col, mfc="none")
            if eff:
                ax.axhline(float(th[f"bound_b{b}"]), color=col, ls=":", lw=0.8)
        ax.set_yscale("log")
        ax.set_xlabel(r"momentum $\beta$")
    axes[0, 0].set_ylabel(r"critical $\alpha$")
    axes[0, 1].set_ylabel(r"critical $\alpha_{eff} = \alpha / (1-\beta)$")
    axes[0, 1].set_title(r"dotted: Prop. 4 bound $\alpha_c = 2/(\gamma\tau_1 \mathrm{Tr} H)$",
                         fontsize=8)
    axes[0, 0].set_title("lines: SE theory; circles: SGD divergence edge", fontsize=8)
    axes[0, 0].legend(fontsize=7)
    errs = ", ".join(f"{v:.2f}" for v in agree["measured"])
    fig.suptitle(f"Fig 12 (synthetic): $\\nu$ = {f['nu']:g}, N = {c['problem']['n_data']}; "
                 f"median rel. error per b: {errs}", fontsize=9)
    mark_stand_in(fig, "spectrum, batch sizes and momenta chosen (paper text out of reach)")
    save_pdf(fig, snakemake.output[0])
