"""Figures 2 and 6 (stand-ins): outliers, bulk edges (limit and finite d) and the overlap of
mu_c with the top eigenvector of H_cc and G_cc along training, SGD against theory."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.geometry_panels import (
        MATRIX_NAMES,
        STAND_IN,
        bottom_legend,
        handle,
        outlier_colors,
        select,
    )
    from hdsgd.plotting.style import mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    c, run = snakemake.params.common, snakemake.params.run
    level = snakemake.params.agreement["transition_level"]
    top = snakemake.params.agreement["transition_top"]
    s = read_table(snakemake.input.series)
    kinds = run["kinds"]
    fig, axes = new_figure(ncols=len(kinds), nrows=2, sharex=True, height=5.4)
    n_idx = int(s.loc[s["quantity"] == "eigenvalue", "index"].max()) + 1
    colors = outlier_colors(n_idx)
    d = run["d"]
    for col, kind in enumerate(kinds):
        ax, ax_ov = axes[0, col], axes[1, col]
        for i in range(n_idx):
            e = select(s, matrix=kind, source="sgd", quantity="eigenvalue", index=i)
            ax.plot(e["time"], e["value"], "o", ms=2.5, color=colors[i])
            o = select(s, matrix=kind, source="theory", quantity="outlier", index=i)
            ax.plot(o["time"], o["value"], "-", color=colors[i])
            f = select(s, matrix=kind, source="theory_finite", quantity="outlier", index=i)
            ax.plot(f["time"], f["value"], "--", lw=0.8, color=colors[i])
        e = select(s, matrix=kind, source="theory", quantity="edge")
        ax.plot(e["time"], e["value"], "k-", lw=1.0)
        pe = select(s, matrix=kind, source="theory", quantity="pole_edge")
        ax.plot(pe["time"], pe["value"], "k+", ms=4)
        fe = select(s, matrix=kind, source="theory_finite", quantity="edge")
        ax.plot(fe["time"], fe["value"], "--", color="0.45", lw=1.0)
        q = select(s, matrix=kind, source="sgd", quantity="quantile")
        ax.plot(q["time"], q["value"], "s", ms=2, color="0.55")
        q = select(s, matrix=kind, source="theory", quantity="quantile")
        ax.plot(q["time"], q["value"], ":", color="0.55")
        ax.set_title(MATRIX_NAMES[kind])
        ax.set_ylabel("eigenvalue")
        if kind == "g":       # outliers from 0.2 down to the finite-d edge near 0.04
            ax.set_yscale("log")
        for src, style in (("sgd", "o"), ("theory", "-"), ("theory_finite", "--")):
            o = select(s, matrix=kind, source=src, quantity="overlap")
            ax_ov.plot(o["time"], o["value"], style, ms=3, color="C3" if src != "sgd" else "0.2",
                       lw=1.0 if src == "theory_finite" else 1.4)
        # mass of mu_c in the span of the top k eigenvectors (k = number of means) and in the
        # limiting outlier eigenspace: basis-free where outliers coincide (x = 0)
        m = select(s, matrix=kind, source="sgd", quantity="mass", index=run["k"])
        ax_ov.plot(m["time"], m["value"], "s", ms=3, mfc="none", color="0.2")
        m = select(s, matrix=kind, source="theory", quantity="mass")
        ax_ov.plot(m["time"], m["value"], "-", lw=0.7, color="C3")
        ax_ov.axhline(level, color="0.6", ls=":", lw=0.8)
        for a in (ax, ax_ov):
            for src, ls in (("theory_finite", "--"), ("sgd", ":")):
                for t in select(s, matrix=kind, source=src, quantity="visible_transition")[
                        "time"]:
                    a.axvline(t, color="C4", ls=ls, lw=0.9)
            lost = select(s, matrix=kind, source="theory", quantity="count_change", index=0)
            for t in lost["time"]:
                a.axvline(t, color="0.3", ls="-.", lw=0.9)
        ax_ov.set_ylim(-0.02, 1.02)
        ax_ov.set_xlabel(r"rescaled time $t = \ell\delta$")
        ax_ov.set_ylabel(r"$(\mu_c \cdot v)^2$, outlier eigenvector")
    bottom_legend(fig, [
        handle("SGD: top eigenvalues (mean of runs)", ls="", marker="o", ms=3, color=colors[0]),
        handle("theory: outliers (limit)", color=colors[0]),
        handle(f"theory: outliers at d = {d}", color=colors[0], ls="--", lw=0.8),
        handle(r"limiting bulk edge $\lambda_+$", lw=1.0),
        handle(r"$\lambda_+$ closed form at the pole", ls="", marker="+"),
        handle(f"bulk edge at d = {d} (largest of n weights)", color="0.45", ls="--"),
        handle("99% quantile: SGD / theory", color="0.55", ls=":", marker="s", ms=2),
        handle(f"SGD: most aligned of the top {top} eigenvectors", ls="", marker="o", ms=3,
               color="0.2"),
        handle(f"theory: top outlier (limit / d = {d})", color="C3"),
        handle(f"mass of $\\mu_c$: top {run['k']} eigenvectors (SGD) / outlier space",
               ls="-", lw=0.7, marker="s", mfc="none", ms=3, color="C3"),
        handle(r"last outlier absorbed, limit $t^*$", color="0.3", ls="-."),
        handle(f"visible transition at d = {d}: SGD (overlap < {level:g})", color="C4",
               ls=":"),
        handle(f"visible transition at d = {d}: theory", color="C4", ls="--"),
    ], ncols=2)
    C = max(run["label_map"]) + 1
    init = {"zero": "x = 0", "random": r"$x_0 \sim N(0, I_d/d)$"}[run["init"]]
    fig.suptitle(f"Local geometry, Fig {snakemake.params.number}: k = {run['k']}, C = {C}, "
                 f"p = {list(run['p'])}, $\\lambda$ = {run['lam']:g}, d = {d}, n = "
                 f"{run['phi']:g} d,\n{run['seeds']} SGD runs from {init}, "
                 f"$\\delta$ = {c['c_delta']:g}/d, $\\beta$ = {c['beta']:g}, class c = "
                 f"{c['block'] + 1}")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
