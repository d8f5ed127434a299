"""Stage (figure): Fig 5 (claim reproduction), K-way classification with K growing with d."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D

    from hdsgd.plotting.exact_panels import (
        draw_bands,
        encoding_handles,
        figure_legend,
        measured,
        panel_grid,
        value_colors,
    )
    from hdsgd.plotting.scaling_panels import rate_panel
    from hdsgd.plotting.style import log_y_labels, mark_stand_in, save_pdf
    from hdsgd.stages import read_table

    f, runs = snakemake.params.fig, snakemake.params.runs
    series, agree = read_table(snakemake.input.series), read_table(snakemake.input.agreement)
    names = list(runs)
    dims = {r: runs[r]["d"] for r in names}
    colors = value_colors(dims.values())
    by_run = {r: colors[float(dims[r])] for r in names}
    big = names[-1]
    K = runs[big]["n_classes"]
    # (b): one colour per class on a ramp of its own (viridis means d), read off a colorbar
    cls_map = ListedColormap(plt.get_cmap("plasma")(np.linspace(0.0, 0.85, K)))
    cls_colors = {float(c): cls_map(c) for c in range(K)}
    handles = [Line2D([], [], color=by_run[r], marker="o", ms=4,
                      label=f"d={dims[r]}, K={runs[r]['n_classes']}") for r in names]
    handles += encoding_handles(band=None)
    fig, axes, leg = panel_grid(2, 2, n_legend=len(handles) + 2)
    ax = axes[0, 0]
    for r in names:
        draw_bands(ax, series, r, "learned_risk", {float(g): by_run[r] for g in runs[r]["gammas"]},
                   band=False)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"learned risk $L(0)-L(t)$")
    worst = max(measured(agree, f"{r} (d=") for r in names)
    ax.set_title(f"(a) learned risk, $\\gamma$={f['gamma']:g} (gap <= {worst:.2g})",
                 fontsize=8)
    # (b) with a slim colorbar axes of its own beside it, in the same grid cell
    cell = axes[0, 1].get_subplotspec().subgridspec(1, 2, width_ratios=[1, 0.05], wspace=0.03)
    axes[0, 1].remove()
    ax, cax = fig.add_subplot(cell[0]), fig.add_subplot(cell[1])
    draw_bands(ax, series, big, "own_overlap", cls_colors, key="class", band=False,
               max_markers=10)
    ax.set_xscale("log")
    ax.set_ylabel(r"own-class overlap $m_{cc}$")
    score = measured(agree, f"{big} (d={dims[big]}, K={K}): own-class")
    ax.set_title(f"(b) every class, d={dims[big]} (score {score:.2g})", fontsize=8)
    sm = plt.cm.ScalarMappable(cmap=cls_map, norm=BoundaryNorm(range(1, K + 2), K))
    cbar = fig.colorbar(sm, cax=cax)
    cbar.dividers.set_visible(False)   # empty (no edges drawn): nothing for the audit to find
    cbar.set_ticks([1.5, K + 0.5], labels=["1", f"{K}"])
    cbar.ax.tick_params(labelsize=7)
    cbar.set_label(f"class c, $p_c\\propto c^{{-{f['class_exponent']:g}}}$", fontsize=7,
                   labelpad=-2)
    ax = axes[1, 0]
    rms = series[series["quantity"] == "learned_risk_rel_rms"]
    for r in names:
        sub = rms[rms["run"] == r].sort_values("t")
        ax.plot(sub["t"], sub["value"], color=by_run[r], marker="o", ms=3,
                markevery=max(1, -(-len(sub) // 20)))
    ax.set_xscale("log")
    ax.set_yscale("log")
    log_y_labels(ax)
    ax.set_xlabel(r"$t$ = steps / $d$")
    ax.set_ylabel("RMS of SGD / ODE $-$ 1")
    ax.set_title("(c) learned risk of single runs about the ODE", fontsize=8)
    ax = axes[1, 1]
    handles += rate_panel(ax, series, "overlap_spread", color="C0", label="(d) spread",
                          expected_offset=0.85,
                          size_label=r"samples per class per t, $d/K$")
    ax.set_xticklabels([f"{v:.0f}" for v in ax.get_xticks()])
    ax.set_ylabel("single-run spread of $m_{cc}$")
    ax.set_title("(d) spread against d/K (CLT: slope -1/2)", fontsize=8)
    figure_legend(leg, handles)
    c = f["classes"]
    fig.suptitle(f"K-way softmax, K = round({c['coef']:g} d$^{{{c['power']:g}}}$) growing with "
                 "d: SGD follows the K-output ODE", fontsize=9)
    mark_stand_in(fig, "K growing with d is stated in the abstract; no figure available "
                  "(docs/exact_dynamics.md §4).")
    save_pdf(fig, snakemake.output[0])
