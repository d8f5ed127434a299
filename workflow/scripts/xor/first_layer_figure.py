"""Stand-in figure: the two outlier eigenvalues of one unit's first-layer Hessian and G blocks
over training, and the final W_i with the top-2 eigenvectors of its blocks (localised on
mu = e_1, nu = e_2)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import legend_below
    from hdsgd.plotting.style import class_colors, log_y_labels, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    unit = int(s["unit"].iloc[0])
    fig, axes = new_figure(ncols=2, height=3.1)
    colors = class_colors(2)
    # colour: eigenvalue index j; line style and marker: which matrix
    styles = {"hessian": ("-", "o"), "G": ("--", "s")}
    names = {"hessian": r"$\nabla^2_{W_iW_i}\hat R$", "G": r"$\hat G_{W_iW_i}$"}
    ax = axes[0, 0]
    ev = s[s["kind"] == "eigenvalue"]
    for m, j in [(m, j) for m in styles for j in (1, 2)]:
        grp = ev[(ev["matrix"] == m) & (ev["index"] == j)]
        ls, marker = styles[m]
        ax.plot(grp["time"], grp["value"], color=colors[j - 1], ls=ls, marker=marker, ms=3,
                mfc="none", markevery=2, label=f"$\\lambda_{j}$({names[m]})")
    ax.set_yscale("log")
    log_y_labels(ax)
    ax.set_title(f"top-2 eigenvalues, unit i = {unit}")
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax = axes[0, 1]
    w = s[s["kind"] == "W_i"]
    ax.plot(w["coordinate"], w["value"], color="k", lw=1.5, marker="D", ms=4, markevery=[0, 1],
            label=r"$W_i/\|W_i\|$")
    vecs = s[s["kind"] == "eigenvector"]
    for m, j in [(m, j) for m in styles for j in (1, 2)]:
        grp = vecs[(vecs["matrix"] == m) & (vecs["index"] == j)]
        ls, marker = styles[m]
        # markers on the coordinates of mu and nu, where the vectors live
        ax.plot(grp["coordinate"], grp["value"], ls=ls, lw=0.8, color=colors[j - 1],
                marker=marker, ms=4, mfc="none", markevery=[0, 1],
                label=f"eigenvector {j} of {names[m]}")
    ax.set_xscale("log")
    ax.set_xlabel(r"coordinate ($\mu = e_1$, $\nu = e_2$)")
    ax.set_title(f"entries at t = {w['time'].iloc[0]:g}")
    legend_below(fig, ncols=3)
    fig.suptitle(f"XOR first layer, unit {unit} (largest final $|v_i|$), K={p['K']}, "
                 f"d={p['d']}", fontsize=9)
    mark_stand_in(fig, "the paper's Sec. 9 figures are not retrievable; an XOR analogue of "
                  "Figs 2.2 and 2.3")
    save_pdf(fig, snakemake.output[0])
