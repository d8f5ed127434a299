"""Figure 6: the loss at step T minimised over alpha, as a function of the momentum beta, in
the signal- and noise-dominated phases (SE theory lines, SGD markers; optimal beta marked)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import annotate_agreement, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    c, f = snakemake.params.common, snakemake.params.fig
    s = read_table(snakemake.input.series)
    agree = read_table(snakemake.input.agreement)
    fig, axes = new_figure(ncols=2)
    for ax, phase in zip(axes[0], ("signal", "noise")):
        d = s[s["phase"] == phase]
        ax.semilogy(d["beta"], d["se_best_loss"], "k-", label=r"SE theory, best $\alpha$")
        ax.semilogy(d["beta"], d["sgd_best_loss"], "o", color="C0", ms=4,
                    label=f"SGD (mean of {len(f['seeds'])}), best $\\alpha$")
        b_se = d["beta"].iloc[d["se_best_loss"].argmin()]
        b_sgd = d["beta"].iloc[d["sgd_best_loss"].argmin()]
        ax.axvline(b_se, color="k", ls="--", lw=0.8, label=f"SE optimum $\\beta$ = {b_se:.2f}")
        ax.axvline(b_sgd, color="C0", ls=":", lw=0.8,
                   label=f"SGD optimum $\\beta$ = {b_sgd:.2f}")
        ax.axvline(0, color="0.6", lw=0.5)
        ax.set_xlabel(r"momentum $\beta$")
        ax.set_ylabel(f"$\\min_\\alpha L_T$, T = {f['n_steps']}")
        ax.set_title(f"{phase}-dominated: $\\nu$ = {f['nu']:g}, $\\zeta$ = "
                     f"{f['zetas'][phase]:g}, b = {f['batch_size']}", fontsize=9)
        ax.legend(fontsize=6)
        err = agree[agree["claim"].str.startswith(f"{phase}-dominated: median")]["measured"]
        annotate_agreement(ax, f"median |SGD/SE-1| = {err.iloc[0]:.3f}")
    fig.suptitle("Fig 6: optimal momentum is positive in the signal-dominated phase and "
                 "negative in the noise-dominated phase", fontsize=9)
    mark_stand_in(fig, "problem, batch size, horizon and grids chosen (paper text out of "
                  "reach); alpha scanned as fractions of the SE max stable alpha")
    save_pdf(fig, snakemake.output[0])
