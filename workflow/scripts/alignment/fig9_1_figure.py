"""Stand-in Fig 9.1: alignment with the train-data H_cc / G_cc top-k spaces (test-data faint)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import class_alignment_figure
    from hdsgd.plotting.style import mark_stand_in, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig = class_alignment_figure(s[s["data"] == "train"], p["k"], label_prefix="train-data ",
                                 faint=s[s["data"] == "test"])
    fig.suptitle(f"k-GMM, k={p['k']}, d={p['d']}, $\\lambda$={p['lam']:g}: matrices from the "
                 f"{p['t_max'] * p['d'] / p['c_delta']:.0f} training samples", fontsize=9)
    mark_stand_in(fig, "the paper's Sec. 9 figures are not retrievable; the train-data analogue "
                  "of Fig 2.1 (its Sec. 8)")
    save_pdf(fig, snakemake.output[0])
