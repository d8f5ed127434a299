"""Stand-in figure: the two outlier eigenvalues of one unit's first-layer Hessian and G blocks
over training, and the final W_i with the top-2 eigenvectors of its blocks (localised on
mu = e_1, nu = e_2)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import legend_below
    from hdsgd.plotting.style import (
        annotate_agreement,
        class_colors,
        log_y_labels,
        mark_stand_in,
        new_figure,
        save_pdf,
    )
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
    # the first coordinates, each vector's entries side by side (a dodged dot plot): the
    # vectors agree on e_1, e_2, and beyond them every entry is O(d^-1/2), stated on the panel
    n_shown = 10
    w = s[s["kind"] == "W_i"]
    vecs = s[s["kind"] == "eigenvector"]
    series = [(w, dict(color="k", lw=1.2, marker="D", ms=4), r"$W_i/\|W_i\|$")]
    for m, j in [(m, j) for m in styles for j in (1, 2)]:
        ls, marker = styles[m]
        series.append((vecs[(vecs["matrix"] == m) & (vecs["index"] == j)],
                       dict(ls=ls, lw=0.8, color=colors[j - 1], marker=marker, ms=4,
                            mfc="none"), f"eigenvector {j} of {names[m]}"))
    rest = 0.0
    for k, (g, style, label) in enumerate(series):
        first = g[g["coordinate"] <= n_shown]
        ax.plot(first["coordinate"] + 0.12 * (k - 2), first["value"], label=label, **style)
        rest = max(rest, float(g[g["coordinate"] > n_shown]["value"].abs().max()))
    ax.axhline(0.0, color="0.6", lw=0.6, zorder=1)
    ax.set_xticks(range(1, n_shown + 1))
    ax.set_xlabel(r"coordinate ($\mu = e_1$, $\nu = e_2$)")
    ax.set_title(f"entries at t = {w['time'].iloc[0]:g}")
    annotate_agreement(ax, f"coordinates {n_shown + 1} to {p['d']}: every |entry| "
                           f"$\\leq$ {rest:.2g}")
    legend_below(fig, ncols=3)
    fig.suptitle(f"XOR first layer, unit {unit} (largest final $|v_i|$), K={p['K']}, "
                 f"d={p['d']}", fontsize=9)
    mark_stand_in(fig, "the paper's Sec. 9 figures are not retrievable; an XOR analogue of "
                  "Figs 2.2 and 2.3")
    save_pdf(fig, snakemake.output[0])
