"""Stage (figure): Fig 5 (claim reproduction), K-way classification with K growing with d."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    from matplotlib.lines import Line2D

    from hdsgd.plotting.exact_panels import (
        draw_bands,
        encoding_handles,
        figure_legend,
        measured,
        ordered_colors,
        panel_grid,
        value_colors,
    )
    from hdsgd.plotting.style import mark_stand_in, save_pdf
    from hdsgd.stages import read_table

    f, runs = snakemake.params.fig, snakemake.params.runs
    series, agree = read_table(snakemake.input.series), read_table(snakemake.input.agreement)
    names = list(runs)
    dims = {r: runs[r]["d"] for r in names}
    colors = value_colors(dims.values())
    by_run = {r: colors[float(dims[r])] for r in names}
    big = names[-1]
    K = runs[big]["n_classes"]
    cls_colors = dict(zip(map(float, range(K)), ordered_colors(K), strict=True))
    handles = [Line2D([], [], color=by_run[r], marker="o", ms=4,
                      label=f"d={dims[r]}, K={runs[r]['n_classes']}") for r in names]
    handles += encoding_handles()
    handles += [Line2D([], [], color=cls_colors[0.0], label="(b) class 1 (most frequent)"),
                Line2D([], [], color=cls_colors[float(K - 1)], label=f"(b) class {K}"),
                Line2D([], [], color="k", label="(d) least-squares fit"),
                Line2D([], [], color="0.5", ls="--", label=r"(d) slope $-1/2$")]
    fig, axes, leg = panel_grid(2, 2, n_legend=len(handles))
    ax = axes[0, 0]
    for r in names:
        draw_bands(ax, series, r, "learned_risk", {float(g): by_run[r] for g in runs[r]["gammas"]})
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"learned risk $L(0)-L(t)$")
    worst = max(measured(agree, f"{r} (d=") for r in names)
    ax.set_title(f"(a) softmax risk learned, $\\gamma$={f['gamma']:g}\nnormalised gap SGD vs "
                 f"ODE <= {worst:.2g} (agree: <= 1)", fontsize=8)
    ax = axes[0, 1]
    draw_bands(ax, series, big, "own_overlap", cls_colors, key="class", band=False)
    ax.set_xscale("log")
    ax.set_ylabel(r"own-class overlap $m_{cc}=\langle X e_c,\mu_c\rangle$")
    score = measured(agree, f"{big} (d={dims[big]}, K={K}): own-class")
    ax.set_title(f"(b) every class, d={dims[big]}, K={K}, $p_c\\propto c^{{-"
                 f"{f['class_exponent']:g}}}$\nRMS (SGD mean - ODE)/SE {score:.2g}", fontsize=8)
    ax = axes[1, 0]
    for r in names:
        draw_bands(ax, series, r, "learned_risk_rel_dev",
                   {float(g): by_run[r] for g in runs[r]["gammas"]})
    ax.axhline(0.0, color="0.3", lw=0.8)
    ax.set_xscale("log")
    ax.set_ylabel("learned risk, SGD / ODE - 1")
    ax.set_title("(c) learned risk of single runs about the ODE\n(ODE: the line at 0)",
                 fontsize=8)
    ax = axes[1, 1]
    sp = series[series["quantity"] == "overlap_spread"]
    pts = sp[sp["source"] == "sgd"]
    fit = sp[sp["source"] == "fit"].sort_values("samples_per_class")
    for _, row in pts.iterrows():
        ax.plot(row["samples_per_class"], row["value"], "o", ms=5, color=by_run[row["run"]])
    x, y = fit["samples_per_class"].to_numpy(), fit["value"].to_numpy()
    ax.plot(x, y, color="k", lw=1)
    mid, y_mid = np.exp(np.mean(np.log(x))), np.exp(np.mean(np.log(y)))
    ax.plot(x, y_mid * np.sqrt(mid / x), color="0.5", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(x, [f"{v:.0f}" for v in x], minor=False)
    ax.set_xticks([], minor=True)
    ax.set_xlabel(r"samples per class per unit time, $d/K$")
    ax.set_ylabel("single-run spread of $m_{cc}$")
    slope = np.log(y[-1] / y[0]) / np.log(x[-1] / x[0])
    ax.set_title(f"(d) spread against d/K: fitted slope {slope:.2f}\n(expected -1/2: "
                 "CLT over a class's samples)", fontsize=8)
    figure_legend(leg, handles)
    c = f["classes"]
    fig.suptitle(f"K-way softmax classification, K = round({c['coef']:g} d$^{{{c['power']:g}}}$) "
                 "growing with d: SGD follows the K-output ODE", fontsize=9)
    mark_stand_in(fig, "classes growing with d are stated in the abstract; the paper's figure "
                  "is not available. Family, parameters and the K-output ODE: "
                  "docs/exact_dynamics.md §2, §4.")
    save_pdf(fig, snakemake.output[0])
