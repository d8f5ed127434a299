"""Figures 3-4 (stand-ins): static spectral transitions at x = 0 in lam (Fig 3) or phi (Fig 4)."""

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

    sw = snakemake.params.sweep
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, height=3.0)
    sym = {"lam": r"$\lambda$", "phi": r"$\phi = n/d$"}[sw["param"]]
    n_idx = int(s.loc[s["quantity"] == "eigenvalue", "index"].max()) + 1
    # at x = 0 the outliers of the k means coincide (Hessian): no ranks to tell apart
    for col, kind in enumerate(("hessian", "g")):
        ax = axes[0, col]
        edge = select(s, matrix=kind, source="theory", quantity="edge").set_index("time")["value"]
        for i in range(n_idx):
            g = select(s, matrix=kind, source="empirical", quantity="eigenvalue", index=i)
            ax.plot(g["time"], g["value"].to_numpy() / edge.loc[g["time"]].to_numpy(), "o",
                    ms=2.5, color="C0", zorder=3)
            g = select(s, matrix=kind, source="theory", quantity="outlier", index=i)
            ax.plot(g["time"], g["value"].to_numpy() / edge.loc[g["time"]].to_numpy(), "-",
                    color="C3")
        ax.axhline(1.0, color="k", ls="--")
        for t in select(s, matrix=kind, quantity="threshold")["time"]:
            ax.axvline(t, color="0.5", lw=0.8)
        ax.set_xlabel(sym)
        ax.set_ylabel(r"$\lambda_i \;/\; \lambda_+$")
        ax.set_title(f"{MATRIX_NAMES[kind]} at x = 0")
    bottom_legend(fig, [
        handle(f"test data: top {n_idx} eigenvalues $\\lambda_i$ (mean of {sw['seeds']} "
               "samples)", ls="", marker="o", ms=3, color="C0"),
        handle("theory: outliers", color="C3"),
        handle(r"theory: limiting bulk edge $\lambda_+$", ls="--"),
        handle("static transition (theory)", color="0.5", lw=0.8)], ncols=2)
    fixed = (f"$\\phi$ = {sw['phi']:g}" if sw["param"] == "lam" else f"$\\lambda$ = {sw['lam']:g}")
    fig.suptitle(f"Local geometry, Fig {snakemake.params.number}: static transition in {sym}, "
                 f"k = {sw['k']}, d = {sw['d']}, {fixed}")
    mark_stand_in(fig, STAND_IN)
    save_pdf(fig, snakemake.output[0])
