"""Figure 1 (stand-in): H_cc and G_cc eigenvalue histograms vs the limiting density."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.geometry_panels import (
        MATRIX_NAMES,
        STAND_IN,
        bottom_legend,
        handle,
        select,
    )
    from hdsgd.plotting.style import mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    c, run = snakemake.params.common, snakemake.params.run
    s = read_table(snakemake.input.series)
    times = sorted(s["time"].unique())
    fig, axes = new_figure(ncols=len(times), nrows=2)
    for r, kind in enumerate(run["kinds"]):
        for col, t in enumerate(times):
            ax = axes[r, col]
            emp = select(s, matrix=kind, source="sgd", quantity="density", time=t)
            th = select(s, matrix=kind, source="theory", quantity="density", time=t)
            ax.bar(emp["x"], emp["value"], width=emp["x"].diff().median(), color="0.75")
            ax.plot(th["x"], th["value"], color="C3")
            for o in select(s, matrix=kind, source="theory", quantity="outlier", time=t)["x"]:
                ax.axvline(o, color="C0", ls=":", lw=1.0)
            ks = select(s, matrix=kind, quantity="ks", time=t)["value"].iloc[0]
            ax.set_title(f"{MATRIX_NAMES[kind]}\nt = {t:g}, Kolmogorov dist. {ks:.3f}")
            ax.set_xlabel("eigenvalue")
            ax.set_ylabel("density")
    bottom_legend(fig, [
        handle(f"eigenvalues of one test sample per run (SGD iterate, {run['seeds']} runs)",
               color="0.75", lw=6),
        handle("limiting density (ODE Gram matrix)", color="C3"),
        handle("predicted outliers", color="C0", ls=":")], ncols=2)
    C = max(run["label_map"]) + 1
    fig.suptitle(f"Local geometry, Fig 1: k = {run['k']}, C = {C}, d = {run['d']}, "
                 f"n = {run['phi']:g} d, $\\lambda$ = {run['lam']:g}, class c = {c['block'] + 1}")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
