"""Figure 5 (synthetic): loss versus samples processed at a fixed budget for several batch
sizes (each at a fixed fraction of its SE critical learning rate), and the loss at the budget
versus b (SE line over a b scan, SGD markers)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import (
        annotate_agreement,
        mark_stand_in,
        new_figure,
        save_pdf,
        sequential_colors,
    )
    from hdsgd.stages import read_table

    c, f = snakemake.params.common, snakemake.params.fig
    s = read_table(snakemake.input.series)
    agree = read_table(snakemake.input.agreement)
    fig, axes = new_figure(ncols=2)
    ax = axes[0, 0]
    curves = s[s["kind"] == "curve"]
    colors = sequential_colors(len(f["batch_sizes"]))
    finals = []
    for col, b in zip(colors, f["batch_sizes"]):
        d = curves[(curves["batch_size"] == b) & (curves["samples"] > 0)]
        ax.loglog(d["samples"], d["se_loss"], "-", color=col, label=f"b = {b}")
        ax.loglog(d["samples"], d["sgd_loss"], "o", ms=2.5, color=col, mfc="none")
        finals.append(d["sgd_loss"].iloc[-1])
    ax.set_xlabel(r"samples processed $b\,t$")
    ax.set_ylabel(r"loss $L$")
    ax.set_title("lines: SE theory; circles: SGD mean", fontsize=9)
    ax.legend(fontsize=7)
    annotate_agreement(ax, f"max median |SGD/SE-1| = {agree['measured'].iloc[0]:.3f}")
    ax = axes[0, 1]
    scan = s[s["kind"] == "budget"]
    ax.loglog(scan["batch_size"], scan["se_loss"], "k-", label="SE theory")
    ax.loglog(f["batch_sizes"], finals, "o", color="C0", label="SGD mean")
    ax.set_xlabel("batch size b")
    ax.set_ylabel(f"loss after {f['budget']} samples")
    ax.legend(fontsize=7)
    fig.suptitle(f"Fig 5 (synthetic): fixed sample budget, $\\nu$ = {f['nu']:g}, "
                 f"$\\zeta$ = {f['zeta']:g}, N = {c['problem']['n_data']}, "
                 f"$\\alpha$ = {f['lr_fraction']:g} $\\alpha_{{max}}(b)$, $\\beta$ = 0",
                 fontsize=9)
    mark_stand_in(fig, "problem, batch sizes, budget and learning-rate rule chosen (paper "
                  "text out of reach)")
    save_pdf(fig, snakemake.output[0])
