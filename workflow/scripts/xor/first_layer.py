"""Stand-in figure: spectrum of one unit's first-layer blocks over training, and the final W_i
with the top-2 eigenvectors of its blocks (localised on mu = e_1, nu = e_2)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    unit = int(s["unit"].iloc[0])
    fig, axes = new_figure(ncols=3)
    eig = s[s["kind"] == "eigenvalue"]

    def grp_first(e):
        return int(e[~e["converged"].astype(bool)]["index"].min())

    colors = class_colors(int(eig["index"].max()))
    for ax, m, title in [(axes[0, 0], "hessian", rf"$\nabla^2_{{W_iW_i}}\hat R$, i={unit}"),
                         (axes[0, 1], "G", rf"$\hat G_{{W_iW_i}}$, i={unit}")]:
        for j, grp in eig[eig["matrix"] == m].groupby("index"):
            if grp["converged"].iloc[0]:
                ax.plot(grp["time"], grp["value"], color=colors[j - 1], label=f"$\\lambda_{j}$")
            else:
                ax.plot(grp["time"], grp["value"], color="0.6", ls="--", lw=0.8,
                        label="bulk (Ritz lower bounds)" if j == grp_first(eig) else None)
        ax.set_yscale("log")
        ax.set_title("top eigenvalues of " + title)
        ax.set_xlabel(r"rescaled time $\ell\delta$")
        ax.legend(fontsize=7, ncols=2)
    ax = axes[0, 2]
    w = s[s["kind"] == "W_i"]
    ax.plot(w["coordinate"], w["value"], color="k", lw=1.5, label=r"$W_i/\|W_i\|$")
    styles = {"hessian": "-", "G": "--"}
    for (m, j), grp in s[s["kind"] == "eigenvector"].groupby(["matrix", "index"]):
        ax.plot(grp["coordinate"], grp["value"], ls=styles[m], lw=0.8, color=colors[j - 1],
                label=f"{'H' if m == 'hessian' else 'G'} eigvec {j}")
    ax.set_xscale("log")
    ax.set_xlabel("coordinate (mu = 1, nu = 2)")
    ax.set_title(f"entries at t = {s['time_final'].iloc[0]:g}")
    ax.legend(fontsize=6)
    fig.suptitle(f"XOR first layer, unit {unit} (largest final |v_i|), K={p['K']}, d={p['d']}",
                 fontsize=9)
    mark_stand_in(fig, "the paper's additional figures (Sec. 9) were not retrievable; this "
                  "XOR analogue of Figs 2.2/2.3 is the brief's stand-in")
    save_pdf(fig, snakemake.output[0])
