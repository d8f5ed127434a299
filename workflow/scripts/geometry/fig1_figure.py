"""Figure 1 (stand-in): H_cc and G_cc eigenvalue histograms vs the limiting density, measured
top eigenvalues next to the predicted outliers; G_cc on a log density axis (its thin tail)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.geometry_panels import (
        MATRIX_SHORT,
        STAND_IN,
        bottom_legend,
        handle,
        select,
    )
    from hdsgd.plotting.style import log_y_labels, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    c, run = snakemake.params.common, snakemake.params.run
    s = read_table(snakemake.input.series)
    times = sorted(s["time"].unique())
    top = select(s, source="sgd", quantity="top")
    n_marked = int(top.groupby(["matrix", "time", "run"]).size().max())
    fig, axes = new_figure(ncols=len(times), nrows=2, height=5.0)
    for r, kind in enumerate(run["kinds"]):
        for col, t in enumerate(times):
            ax = axes[r, col]
            emp = select(s, matrix=kind, source="sgd", quantity="density", time=t)
            th = select(s, matrix=kind, source="theory", quantity="density", time=t)
            ax.bar(emp["x"], emp["value"], width=emp["x"].diff().median(), color="0.75")
            ax.plot(th["x"], th["value"], color="C3")
            for o in select(s, matrix=kind, source="theory", quantity="outlier", time=t)["x"]:
                ax.axvline(o, color="C0", ls=":", lw=1.0)
            edges = [select(s, matrix=kind, source=src, quantity="edge", time=t)["x"].iloc[0]
                     for src in ("theory", "theory_finite")]
            if edges[0] > 1.01 * edges[1]:    # G after training starts: the limiting edge
                for e, ls in zip(edges, ("-", "--")):   # lies beyond a finite sample's
                    ax.axvline(e, color="0.3", ls=ls, lw=0.8)
            marks = select(top, matrix=kind, time=t)
            # the measured top eigenvalues of each test spectrum, as ticks along the top
            ax.plot(marks["x"], [0.96] * len(marks), "|", ms=7, mew=1.0, color="k",
                    transform=ax.get_xaxis_transform(), clip_on=False)
            if kind == "g":       # the G-matrix law's thin tail of large weights
                ax.set_yscale("log")
                ax.set_ylim(bottom=0.05)      # the limiting density's tail
                log_y_labels(ax)
            ks = select(s, matrix=kind, quantity="ks", time=t)["value"].iloc[0]
            ax.set_title(f"{MATRIX_SHORT[kind]}, t = {t:g}: Kolmogorov {ks:.3f}")
            ax.set_xlabel("eigenvalue")
            ax.set_ylabel("density" + (" (log scale)" if kind == "g" else ""))
    bottom_legend(fig, [
        handle(f"eigenvalues of one test spectrum per run ({run['seeds']} SGD runs)",
               color="0.75", lw=6),
        handle("limiting density (ODE Gram matrix)", color="C3"),
        handle(f"measured: top {n_marked} eigenvalues of each test spectrum", ls="",
               marker="|", ms=7, mew=1.0),
        handle("predicted outliers", color="C0", ls=":"),
        handle(r"G-matrix: limiting bulk edge $\lambda_+$ (closed form at the pole)",
               color="0.3", lw=0.8),
        handle(f"G-matrix: bulk edge at d = {run['d']} (largest of n weights)", color="0.3",
               ls="--", lw=0.8)], ncols=2)
    C = max(run["label_map"]) + 1
    fig.suptitle(f"Local geometry, Fig 1: k = {run['k']}, C = {C}, $\\lambda$ = {run['lam']:g}, "
                 f"d = {run['d']}, n = {run['phi']:g} d, class c = {c['block'] + 1}")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
