"""Figure 2.2: entries of x^1 and of the top-k eigenvectors of H_11 and G_11 at the end."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import key_colorbar, legend_below
    from hdsgd.plotting.style import class_colors, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    k = p["k"]
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=3, sharex=True, height=2.7)
    colors = class_colors(k)
    key_colorbar(fig, axes, colors, r"index $j$ of $v_j$")
    x1 = s[s["panel"] == "x1"]
    axes[0, 0].plot(x1["coordinate"], x1["value"], color="k", lw=0.7)
    axes[0, 0].set_title(r"entries of $x^1_\ell$")
    titles = {"hessian": f"top-{k} eigvecs of " + r"$\nabla^2_{11}\hat R(x_\ell)$",
              "G": f"top-{k} eigvecs of " + r"$\hat G_{11}(x_\ell)$"}
    for ax, matrix in zip(axes[0, 1:], ["hessian", "G"]):
        m = s[s["panel"] == matrix]
        # G_11: only v_1 (the mu_1 spike) is an outlier; v_2..v_k lie at the bulk edge and are
        # spread over every coordinate, drawn grey under it
        for j in range(k) if matrix == "hessian" else range(k - 1, -1, -1):
            g = m[m["series"] == f"v_{j + 1}"]
            bulk = matrix == "G" and j > 0
            ax.plot(g["coordinate"], g["value"], color="0.7" if bulk else colors[j], lw=0.7,
                    label=(f"$\\hat G_{{11}}$: $v_2, \\ldots, v_{{{k}}}$ at its bulk edge "
                           "(grey)" if bulk else None))
        ax.set_title(titles[matrix])
    for ax in axes[0]:
        ax.set_xlabel("coordinate index")
    legend_below(fig, ncols=1)
    fig.suptitle(f"Fig 2.2: k-GMM, k={k}, d={p['d']}, means $\\mu_i = e_{{{p['mean_spacing']}i}}$,"
                 f" end of training $\\ell\\delta$ = {p['t_max']:g}", fontsize=9)
    save_pdf(fig, snakemake.output[0])
