"""Figures 3-4 (stand-ins): static spectral transitions at x = 0 in lam (Fig 3) or phi (Fig 4)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.plotting.style import class_colors, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    c, sw = snakemake.params.common, snakemake.params.sweep
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2)
    names = {"hessian": r"$\nabla^2_{cc}\hat R$", "g": r"$\hat G_{cc}$"}
    sym = {"lam": r"$\lambda$", "phi": r"$\phi = n/d$"}[sw["param"]]
    colors = class_colors(c["k"] + 3)
    for col, kind in enumerate(("hessian", "g")):
        p = s[s["matrix"] == kind]
        edge = p[p["quantity"] == "edge"].set_index("value")["y"]
        ax = axes[0, col]
        for i, g in p[p["quantity"] == "eigenvalue"].groupby("index"):
            ax.plot(g["value"], g["y"].to_numpy() / edge.loc[g["value"]].to_numpy(), "o",
                    ms=2.5, color=colors[i],
                    label="dense: top eigenvalues (sample mean)" if i == 0 else None)
        for i, g in p[p["quantity"] == "outlier"].groupby("index"):
            ax.plot(g["value"], g["y"].to_numpy() / edge.loc[g["value"]].to_numpy(), "-",
                    color=colors[i], label="theory: outliers" if i == 0 else None)
        ax.axhline(1.0, color="k", ls="--", label="theory: bulk edge")
        thr = p[p["quantity"] == "threshold"]["value"]
        if thr.notna().any():
            ax.axvline(thr.iloc[0], color="0.5", lw=0.8, label=f"transition {thr.iloc[0]:.3g}")
        ax.set_xlabel(sym)
        ax.set_ylabel("eigenvalue / limiting bulk edge")
        ax.set_title(f"{names[kind]} at x = 0")
        ax.legend(loc="upper left")
    fixed = (f"$\\phi$ = {sw['phi']:g}" if sw["param"] == "lam" else f"$\\lambda$ = {sw['lam']:g}")
    num = 3 if sw["param"] == "lam" else 4
    fig.suptitle(f"Local geometry, Fig {num}: static transition in {sym}, k = {c['k']}, "
                 f"d = {sw['d']}, {fixed}", fontsize=9)
    mark_stand_in(fig, "parameters chosen here (the paper's figures were not readable); "
                       "theory re-derived, see docs/geometry.md")
    save_pdf(fig, snakemake.output[0])
