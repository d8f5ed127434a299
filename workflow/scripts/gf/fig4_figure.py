"""Figure 4 (stand-in): minimum over z in [0, 1) of S (per g = gamma tau2) and of R1 over the
noiseless-stable region 0 < alpha lambda < 2 (1 + beta)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.plotting.gf_panels import pivot
    from hdsgd.plotting.style import mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    s = read_table(snakemake.input.series)
    edge = s[s["series"] == "noiseless edge a = 2 (1 + beta)"]
    names = [n for n in dict.fromkeys(s["series"]) if n.startswith("min_z")]
    fig, axes = new_figure(ncols=2, nrows=(len(names) + 1) // 2, width=6.2,
                           height=2.5 * ((len(names) + 1) // 2))
    for ax, name in zip(axes.ravel(), names):
        xs, ys, z = pivot(s[s["series"] == name], "a", "beta")
        mesh = ax.pcolormesh(xs, ys, np.log10(np.ma.masked_invalid(z)), shading="nearest",
                             cmap="viridis", rasterized=True)
        fig.colorbar(mesh, ax=ax, label=r"$\log_{10}$ of the minimum")
        ax.plot(edge["a"], edge["beta"], "k--", lw=0.8)
        ax.set_xlim(0, 4)
        ax.set_ylim(-1, 1)
        ax.set_xlabel(r"$a = \alpha\lambda$")
        ax.set_ylabel(r"momentum $\beta$")
        ax.set_title(name.replace("min_z", r"$\mathrm{min}_{z \in [0,1)}$")
                     .replace("g =", r"$g = \gamma\tau_2$ =").replace("R1", "$R_1$"), fontsize=8)
        ax.grid(False)
    for ax in axes.ravel()[len(names):]:
        ax.set_visible(False)
    fig.suptitle(r"Fig 4 (stand-in): Lemma 1 on the noiseless region $0 < a < 2(1+\beta)$ "
                 "(dashed edge; white: outside)", fontsize=8.5)
    fig.supxlabel(r"$S = \det(1 - zA)$: the per-mode polynomial; $R_1$: numerator of "
                  r"$d(z\tilde U_k)/dz$; colour: $\log_{10}$ of the minimum over $z$",
                  fontsize=8)
    mark_stand_in(fig, "the text never refers to Fig 4: Lemma 1's numerical check (App. E.2) "
                  "from the authors' notebook")
    save_pdf(fig, snakemake.output[0])
