"""Stand-in figure: the two outlier eigenvalues of one unit's first-layer Hessian and G blocks
over training, and the final W_i with the top-2 eigenvectors of its blocks (localised on
mu = e_1, nu = e_2)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import legend_below
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    unit = int(s["unit"].iloc[0])
    fig, axes = new_figure(ncols=2, height=3.1)
    colors = class_colors(2)
    styles = {"hessian": "-", "G": "--"}
    names = {"hessian": r"$\nabla^2_{W_iW_i}\hat R$", "G": r"$\hat G_{W_iW_i}$"}
    ax = axes[0, 0]
    for (m, j), grp in s[s["kind"] == "eigenvalue"].groupby(["matrix", "index"]):
        ax.plot(grp["time"], grp["value"], color=colors[j - 1], ls=styles[m],
                label=f"$\\lambda_{j}$({names[m]})")
    ax.set_yscale("log")
    ax.set_title(f"top-2 eigenvalues, unit i = {unit}")
    ax.set_xlabel(r"rescaled time $\ell\delta$")
    ax = axes[0, 1]
    w = s[s["kind"] == "W_i"]
    ax.plot(w["coordinate"], w["value"], color="k", lw=1.5, label=r"$W_i/\|W_i\|$")
    for (m, j), grp in s[s["kind"] == "eigenvector"].groupby(["matrix", "index"]):
        ax.plot(grp["coordinate"], grp["value"], ls=styles[m], lw=0.8, color=colors[j - 1],
                label=f"eigenvector {j} of {names[m]}")
    ax.set_xscale("log")
    ax.set_xlabel(r"coordinate ($\mu = e_1$, $\nu = e_2$)")
    ax.set_title(f"entries at t = {s[s['kind'] == 'W_i']['time'].iloc[0]:g}")
    h0, l0 = axes[0, 0].get_legend_handles_labels()
    h1, l1 = axes[0, 1].get_legend_handles_labels()
    legend_below(fig, h0 + h1, l0 + l1, ncols=3)
    fig.suptitle(f"XOR first layer, unit {unit} (largest final |v_i|), K={p['K']}, d={p['d']}",
                 fontsize=9)
    mark_stand_in(fig, "the paper's additional figures (Sec. 9) were not retrievable; this is an "
                  "XOR analogue of Figs 2.2/2.3")
    save_pdf(fig, snakemake.output[0])
