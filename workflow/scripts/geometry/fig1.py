"""Figure 1 (stand-in): H_cc and G_cc eigenvalue histograms vs the limiting density."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import annotate_agreement, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    c, tr = snakemake.params.common, snakemake.params.training
    s = read_table(snakemake.input.series)
    times = sorted(s["time"].unique())
    fig, axes = new_figure(ncols=len(times), nrows=2)
    names = {"hessian": r"Hessian block $\nabla^2_{cc}\hat R$",
             "g": r"G-matrix block $\hat G_{cc}$"}
    for r, kind in enumerate(("hessian", "g")):
        for col, t in enumerate(times):
            ax = axes[r, col]
            p = s[(s["matrix"] == kind) & (s["time"] == t)]
            emp = p[(p["source"] == "empirical") & (p["quantity"] == "density")]
            th = p[(p["source"] == "theory") & (p["quantity"] == "density")]
            width = emp["x"].diff().median()
            ax.bar(emp["x"], emp["y"], width=width, color="0.75", label="eigenvalues (SGD iterate)")
            ax.plot(th["x"], th["y"], color="C3", label="limiting density (ODE Gram matrix)")
            for i, o in enumerate(p[p["quantity"] == "outlier"]["x"]):
                ax.axvline(o, color="C0", ls=":", lw=1.0,
                           label="predicted outliers" if i == 0 else None)
            ks = p[p["quantity"] == "ks"]["y"].iloc[0]
            annotate_agreement(ax, f"Kolmogorov dist. {ks:.3f}")
            ax.set_title(f"{names[kind]}, t = {t:g}")
            ax.set_xlabel("eigenvalue")
            ax.set_ylabel("density")
    axes[0, 0].legend(loc="upper right")
    fig.suptitle(f"Local geometry, Fig 1: k = C = {c['k']}, d = {tr['d']}, n = {c['phi']:g} d, "
                 f"$\\lambda$ = {c['lam']:g}, class c = {c['block'] + 1}", fontsize=9)
    mark_stand_in(fig, "parameters chosen here (the paper's figures were not readable); "
                       "theory re-derived, see docs/geometry.md")
    save_pdf(fig, snakemake.output[0])
