"""Figure 2.1: alignment of each class vector with the top-k eigenspace of its H and G block."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import class_alignment_figure
    from hdsgd.plotting.style import save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    fig = class_alignment_figure(read_table(snakemake.input.series), p["k"])
    fig.suptitle(f"Fig 2.1: k-GMM, k={p['k']}, d={p['d']}, $\\lambda$={p['lam']:g}, "
                 f"$\\beta$={p['beta']:g}, $\\delta$=1/d, test set {p['test_factor']:g}d",
                 fontsize=9)
    save_pdf(fig, snakemake.output[0])
