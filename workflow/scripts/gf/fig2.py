"""Figure 2 (synthetic panels): final SGD loss over the (alpha, beta) plane, diverged cells grey,
the SE boundary (every mode stable and U(1) = 1) and the bound alpha / (1 - beta) < alpha_c."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    from matplotlib.colors import LogNorm

    from hdsgd.plotting.style import annotate_agreement, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import load_stage, read_table

    c, f = snakemake.params.common, snakemake.params.fig
    series = read_table(snakemake.input.series)
    th = load_stage(snakemake.input.theory)
    agree = read_table(snakemake.input.agreement)
    n_panels = len(f["panels"])
    fig, axes = new_figure(ncols=n_panels)
    for i, ax in enumerate(axes[0]):
        s = series[series["panel"] == i]
        alphas = np.sort(s["alpha"].unique())
        betas = np.sort(s["beta"].unique())
        grid = s.pivot(index="beta", columns="alpha", values="sim_final_loss").to_numpy()
        conv = s.pivot(index="beta", columns="alpha", values="sim_converged").to_numpy()
        loss = np.ma.masked_where(~conv.astype(bool), grid)
        ax.set_facecolor("0.8")                     # diverged cells show the grey background
        mesh = ax.pcolormesh(alphas, betas, loss, shading="nearest", cmap="viridis",
                             norm=LogNorm(vmin=max(loss.min(), 1e-12), vmax=loss.max()))
        fig.colorbar(mesh, ax=ax, label=r"SGD loss $L_T$")
        ax.plot(th[f"alpha_max_{i}"], th["fine_betas"], "r-", lw=1.5,
                label="SE: modes stable and $U(1)=1$")
        bound = float(th[f"alpha_eff_bound_{i}"])
        ax.plot(bound * (1 - th["fine_betas"]), th["fine_betas"], "w--", lw=1.2,
                label=r"$\alpha/(1-\beta)=\alpha_c$")
        ax.set_xlim(0, alphas[-1])
        ax.set_ylim(betas[0], betas[-1])
        ax.set_xlabel(r"learning rate $\alpha$")
        ax.set_ylabel(r"momentum $\beta$")
        b = f["panels"][i]["batch_size"]
        ax.set_title(f"b = {b}, N = {c['problem']['n_data']}, "
                     f"$\\nu$ = {f['nu']:g}, T = {f['n_steps']}", fontsize=9)
        rows = agree[agree["claim"].str.startswith(f"b={b}:")]
        annotate_agreement(ax, "\n".join(
            [f"cells agree: {rows['measured'].iloc[0]:.3f}",
             f"boundary err: {rows['measured'].iloc[1]:.3f}"]))
    axes[0, 0].legend(loc="upper right", fontsize=7)
    fig.suptitle("Fig 2 (synthetic): convergence region of mini-batch heavy-ball SGD; grey = "
                 "diverged", fontsize=9)
    mark_stand_in(fig, "synthetic spectrum, batch sizes and grid range chosen (paper text out "
                  "of reach); boundary from the re-derived SE generating functions")
    save_pdf(fig, snakemake.output[0])
