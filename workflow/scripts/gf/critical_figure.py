"""Figures 11-14: critical learning rate versus momentum for several batch sizes: SE closed
form (lines) against the simulated divergence edge (markers, one shape per batch size), the
same as alpha_eff with the Prop. 4 bound, and the problem's spectrum and initial-loss tail sums
(the critical alpha depends on the spectrum only: Figs 13 and 14 share it and differ in the
tail sums)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    from matplotlib.lines import Line2D

    from hdsgd.plotting.gf_panels import ALPHA_UNITS, batch_markers, by_marker_size
    from hdsgd.plotting.style import (
        annotate_agreement,
        class_colors,
        mark_stand_in,
        new_figure,
        save_pdf,
    )
    from hdsgd.stages import load_stage, read_table

    f, name = snakemake.params.fig, snakemake.params.name
    s = read_table(snakemake.input.series)
    synthetic, spec = snakemake.params.synthetic, snakemake.params.spec
    label = (rf"synthetic $\nu$ = {spec['nu']:g}, $\varkappa$ = {spec['kappa']:g}, "
             f"N = {spec['n_data']}" if synthetic
             else str(load_stage(snakemake.input.problem)["label"]))
    fig, axes = new_figure(ncols=3, width=6.2, height=3.7)
    colors = class_colors(len(f["batch_sizes"]))
    markers = batch_markers(len(f["batch_sizes"]))
    for col, b in zip(colors, f["batch_sizes"]):
        d = s[s["batch_size"] == b]
        for ax, eff in zip(axes[0, :2], (False, True)):
            def scale(beta, eff=eff):
                return 1 / (1 - np.asarray(beta)) if eff else 1.0
            se = d[d["series"] == "SE paper tau"]
            # on the log alpha_eff panel the batch sizes' curves meet under the markers: drawn
            # over them there, thin
            ax.plot(se["beta"], se["alpha"] * scale(se["beta"]), "-", color=col,
                    **(dict(lw=1.0, zorder=3.5) if eff else {}))
            if synthetic and not eff:  # left panel only: on the log alpha_eff scale the two
                own = d[d["series"] == "SE own tau"]      # taus' curves are a few px apart
                ax.plot(own["beta"], own["alpha"] * scale(own["beta"]), "--", color=col,
                        lw=1.3, zorder=2.5)
            if eff:
                bound = d[(d["series"] == "Prop. 4 bound") & np.isfinite(d["alpha"])]
                ax.plot(bound["beta"], bound["alpha"] * scale(bound["beta"]), ":", color=col,
                        lw=0.9)
    # the simulated edges over every line, the largest markers first (nested where they meet)
    for (col, b), mk in by_marker_size(list(zip(colors, f["batch_sizes"])), markers):
        d = s[(s["batch_size"] == b) & (s["series"] == "simulated edge")
              & np.isfinite(s["alpha"])]
        for ax, eff in zip(axes[0, :2], (False, True)):
            ax.plot(d["beta"], d["alpha"] / ((1 - d["beta"]) if eff else 1.0), ls="none",
                    color=col, zorder=3, **mk)
    # each batch size's entry shows its marker: where the SE curves of several batch sizes
    # coincide, a line is hidden but the markers are not
    handles = [axes[0, 0].plot([], [], ls="none", color=c, **mk)[0]
               for c, mk in zip(colors, markers)]
    labels = [f"b = {b}" for b in f["batch_sizes"]]
    for ax in axes[0, :2]:
        ax.set_xlabel(r"momentum $\beta$")
    axes[0, 0].set_ylim(bottom=0)  # linear: the two taus' edges part visibly at beta > 0
    axes[0, 1].set_yscale("log")   # alpha_eff spans decades
    axes[0, 0].set_ylabel(r"critical $\alpha$")
    axes[0, 1].set_ylabel(r"critical $\alpha_{eff} = \alpha / (1-\beta)$")
    between = s[s["series"] == "edge between taus"]
    if len(between):
        annotate_agreement(axes[0, 1], r"edges between the $\tau_2 = \pm 1$ curves: "
                           f"{between['value'].iloc[0]:.0f}/{between['total'].iloc[0]:.0f}")
    ax = axes[0, 2]  # what the critical alpha does not depend on: the target's tail sums
    for series, color, text in (("eigenvalue", "tab:purple", r"$\lambda_k / \lambda_1$"),
                                ("tail sum", "tab:brown",
                                 r"$S_k/S_1$, $S_k = \sum_{l \geq k} \lambda_l c_l$")):
        g = s[s["series"] == series]
        ax.loglog(g["rank"], g["value"], color=color, lw=1.3, label=text)
    ax.set_xlabel("eigenvalue rank $k$")
    ax.set_title("spectrum and target", fontsize=8)
    annotate_agreement(ax, r"critical $\alpha$ depends on $\lambda_k$ only")
    style = [(axes[0, 0].plot([], [], "k-")[0], r"SE $\tau_1 = \tau_2 = 1$ (paper)")]
    if synthetic:
        style.append((axes[0, 0].plot([], [], "k--", lw=1.3)[0],
                      r"SE $\tau_2 = -1$ (Gaussian features; left)"))
    style += [(axes[0, 0].plot([], [], "o", color="k", mfc="white", ms=4)[0],
               "simulated edge (marker of b)"),
              (axes[0, 1].plot([], [], "k:", lw=0.9)[0], "Prop. 4 bound (centre)")]
    # three legend columns (batch sizes, line styles, right panel), padded with blank entries
    groups = [list(zip(handles, labels)), style, list(zip(*ax.get_legend_handles_labels()))]
    rows = max(len(g) for g in groups)
    blank = (Line2D([], [], alpha=0.0), "")
    entries = [e for g in groups for e in g + [blank] * (rows - len(g))]
    fig.legend(*zip(*entries), loc="outside lower center", ncol=3, fontsize=7.5,
               title=f"{ALPHA_UNITS}; lines in the colour of b", title_fontsize=8)
    fig.suptitle(f"Fig {name.removeprefix('gf_fig')}: critical learning rate (largest "
                 f"converging $\\alpha$), {label}", fontsize=8.5)
    if snakemake.params.stand_in:
        mark_stand_in(fig, "the NTK of a one-hidden-layer net on sklearn's 8x8 digits stands "
                      "in for CIFAR10 ResNet-18 NTKs")
    save_pdf(fig, snakemake.output[0])
