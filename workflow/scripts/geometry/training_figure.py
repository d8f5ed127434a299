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
    from hdsgd.plotting.style import (
        annotate_agreement,
        log_y_labels,
        mark_stand_in,
        new_figure,
        save_pdf,
    )
    from hdsgd.stages import read_table

    c, run = snakemake.params.common, snakemake.params.run
    level = snakemake.params.agreement["transition_level"]
    top = snakemake.params.agreement["transition_top"]
    s = read_table(snakemake.input.series)
    kinds = run["kinds"]
    fig, axes = new_figure(ncols=len(kinds), nrows=2, sharex=True, height=5.6)
    n_idx = int(s.loc[s["quantity"] == "eigenvalue", "index"].max()) + 1
    # colour: rank of the outlier (theory) and of the eigenvalue (SGD); ranks beyond the most
    # outliers the theory has are the top of the bulk, grey
    n_rank = int(select(s, source="theory", quantity="outlier")["index"].max()) + 1
    colors = outlier_colors(n_rank) + ["0.7"] * max(0, n_idx - n_rank)
    d = run["d"]
    init = {"zero": "x = 0", "random": r"$x_0 \sim N(0, I/d)$"}[run["init"]]
    for col, kind in enumerate(kinds):
        ax, ax_ov = axes[0, col], axes[1, col]
        # the finite-d law (conditioned on the sample's largest weight) differs from the limit
        # only for the G-matrix's far weight tail: drawn there only
        finite = kind == "g"
        for i in range(n_idx):
            e = select(s, matrix=kind, source="sgd", quantity="eigenvalue", index=i)
            ax.plot(e["time"], e["value"], "o", ms=2.5, color=colors[i], zorder=3)
            o = select(s, matrix=kind, source="theory", quantity="outlier", index=i)
            # an outlier absorbed right after t = 0 is one point: a tick there; drawn over the
            # edges it runs into
            ax.plot(o["time"], o["value"], "-" if len(o) > 1 else "_", ms=8, color=colors[i],
                    zorder=2.5)
            if finite:
                f = select(s, matrix=kind, source="theory_finite", quantity="outlier", index=i)
                ax.plot(f["time"], f["value"], "--", lw=0.8, color=colors[i], alpha=0.55)
        e = select(s, matrix=kind, source="theory", quantity="edge")
        ax.plot(e["time"], e["value"], "k-", lw=1.4)
        if finite:
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
            log_y_labels(ax)
        for src, style, lw in (("theory", "-", 1.4), ("theory_finite", "--", 1.0))[
                :2 if finite else 1]:
            o = select(s, matrix=kind, source=src, quantity="overlap")
            ax_ov.plot(o["time"], o["value"], style, color="C3", lw=lw)
        o = select(s, matrix=kind, source="sgd", quantity="overlap")
        ax_ov.plot(o["time"], o["value"], "o", ms=3, color="0.2", zorder=3)
        # mass of mu_c in the span of the top k eigenvectors (k = number of means) and in the
        # limiting outlier eigenspace: basis-free where outliers coincide (x = 0)
        m = select(s, matrix=kind, source="sgd", quantity="mass", index=run["k"])
        ax_ov.plot(m["time"], m["value"], "s", ms=3, mfc="none", color="0.2", zorder=3)
        m = select(s, matrix=kind, source="theory", quantity="mass")
        ax_ov.plot(m["time"], m["value"], "-", lw=0.7, color="C3")
        ax_ov.axhline(level, color="0.6", ls=":", lw=0.8)
        for a in (ax, ax_ov):
            for t in select(s, matrix=kind, source="theory_finite",
                            quantity="visible_transition")["time"]:
                a.axvline(t, color="C4", ls="--", lw=0.9)
            lost = select(s, matrix=kind, source="theory", quantity="count_change", index=0)
            for t in lost["time"]:
                a.axvline(t, color="0.3", ls="-.", lw=0.9)
        # the measured visible transition: where the SGD overlap crosses the level
        v = select(s, matrix=kind, source="sgd", quantity="visible_transition")
        ax_ov.plot(v["time"], v["value"], "v", ms=7, color="C4", zorder=4)
        ax_ov.set_ylim(-0.02, 1.02)
        ax_ov.set_xlabel(r"rescaled time $t = \ell\delta$")
        ax_ov.set_ylabel(r"$(\mu_c \cdot v)^2$")
        if kind == "g":
            t_vis = select(s, matrix=kind, source="sgd", quantity="visible_transition")["time"]
            late = o[o["time"] > t_vis.iloc[0]]["value"] if len(t_vis) else o["value"][:0]
            if len(late):
                annotate_agreement(ax_ov, f"after the visible transition: SGD up to "
                                   f"{late.max():.2f}, d = {d} theory 0")
    ordinal = ("1st", "2nd", "3rd", "4th", "5th", "6th")
    bottom_legend(fig, [
        *(handle(f"{ordinal[i]} outlier / eigenvalue", color=colors[i], lw=2.5)
          for i in range(n_rank)),
        *([handle("next eigenvalues (top of the bulk)", color="0.7", ls="", marker="o",
                  ms=3)] if n_idx > n_rank else []),
        handle(f"SGD: top eigenvalues (mean of {run['seeds']} runs)", ls="", marker="o", ms=3),
        handle("theory, limit", color="0.4", lw=1.0),
        handle(f"theory, d = {d} (G-matrix; Hessian: as the limit)", color="0.4", ls="--",
               lw=1.0),
        handle(r"limiting bulk edge $\lambda_+$ (G: at the pole)", lw=1.4),
        handle(f"bulk edge at d = {d} (largest weight)", color="0.45", ls="--"),
        handle("99% quantile: SGD / theory", color="0.55", ls=":", marker="s", ms=2),
        handle(f"SGD: most aligned of the top {top} eigenvectors", ls="", marker="o", ms=3,
               color="0.2"),
        handle(r"theory: top outlier, overlap with $\mu_c$", color="C3", lw=1.4),
        handle(f"mass of $\\mu_c$: top {run['k']} eigenvectors / outliers", ls="-", lw=0.7,
               marker="s", mfc="none", ms=3, color="C3"),
        handle(r"last outlier absorbed, limit $t^*$", color="0.3", ls="-."),
        handle(f"visible transition, SGD (overlap < {level:g})", color="C4", ls="",
               marker="v", ms=7),
        handle(f"visible transition, d = {d} theory", color="C4", ls="--"),
    ], ncols=2)
    C = max(run["label_map"]) + 1
    p = ", ".join(f"{v:g}" for v in run["p"])
    fig.suptitle(f"Local geometry, Fig {snakemake.params.number}: k = {run['k']}, C = {C}, "
                 f"p $\\propto$ ({p}), $\\lambda$ = {run['lam']:g}, SGD from {init}")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
