"""Figures 11-14: critical learning rate versus momentum for several batch sizes: SE closed
form (lines) against the simulated divergence edge (markers with their bisection bracket)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.plotting.gf_panels import ALPHA_UNITS
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import load_stage, read_table

    f, name = snakemake.params.fig, snakemake.params.name
    s = read_table(snakemake.input.series)
    label = str(load_stage(snakemake.input.problem)["label"])
    synthetic = snakemake.params.synthetic
    fig, axes = new_figure(ncols=2, width=6.2, height=3.0)
    colors = class_colors(len(f["batch_sizes"]))
    handles, labels = [], []
    for col, b in zip(colors, f["batch_sizes"]):
        d = s[s["batch_size"] == b]
        for ax, eff in zip(axes[0], (False, True)):
            def scale(beta, eff=eff):
                return 1 / (1 - np.asarray(beta)) if eff else 1.0
            se = d[d["series"] == "SE paper tau"]
            (h,) = ax.plot(se["beta"], se["alpha"] * scale(se["beta"]), "-", color=col)
            if synthetic:
                own = d[d["series"] == "SE own tau"]
                ax.plot(own["beta"], own["alpha"] * scale(own["beta"]), "--", color=col, lw=1)
            sim = d[(d["series"] == "simulated edge") & np.isfinite(d["alpha"])]
            ax.plot(sim["beta"], sim["alpha"] * scale(sim["beta"]), "o", ms=3.5, color=col,
                    mfc="none", mew=1.0)
            if eff:
                bound = d[(d["series"] == "Prop. 4 bound") & np.isfinite(d["alpha"])]
                ax.plot(bound["beta"], bound["alpha"] * scale(bound["beta"]), ":", color=col,
                        lw=0.9)
        handles.append(h)
        labels.append(f"b = {b}")
    for ax in axes[0]:
        ax.set_yscale("log")
        ax.set_xlabel(r"momentum $\beta$")
    axes[0, 0].set_ylabel(r"critical $\alpha$")
    axes[0, 1].set_ylabel(r"critical $\alpha_{eff} = \alpha / (1-\beta)$")
    what = ("solid: SE $\\tau_1 = \\tau_2 = 1$ (paper); dashed: SE $\\tau_2 = -1$ (Gaussian "
            "features)\n" if synthetic else "lines: SE $\\tau_1 = \\tau_2 = 1$; ")
    number = name.removeprefix("gf_fig")
    fig.suptitle(f"Fig {number}: critical learning rate (largest converging $\\alpha$), "
                 f"{label}\n{what}circles: simulated edge (linearised SGD, "
                 f"{f['n_steps']} steps); dotted (right): Prop. 4 bound", fontsize=8)
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=8,
               title=ALPHA_UNITS, title_fontsize=8)
    if snakemake.params.stand_in:
        mark_stand_in(fig, "CIFAR10 NTKs of pretrained ResNet-18 are not shipped offline: NTK of "
                      "a one-hidden-layer net on sklearn's 8x8 digits (a real file by path, "
                      "gf_real.problems.cifar_standin, gives the paper's figure)")
    save_pdf(fig, snakemake.output[0])
