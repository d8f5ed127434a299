"""Stage (theory): limiting bulk, outliers and overlaps of H_cc and G_cc along the ODE."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.effective_spectrum import block_summary
    from hdsgd.theory.limiting_spectra import bulk_cdf_grid

    c, tr, qd = snakemake.params.common, snakemake.params.training, snakemake.params.quadrature
    k = c["k"]
    ode = load_stage(snakemake.input.ode)
    times, gram = ode["times"], ode["gram"]
    kinds = ("hessian", "g")
    hist_idx = [int(np.argmin(np.abs(times - t))) for t in tr["hist_times"]]
    out = {"times": times, "hist_times": times[hist_idx]}
    prog = Progress(times.size * len(kinds), "theory along the ODE (bulk law and outliers)")
    for kind in kinds:
        rows = []
        for i in range(times.size):
            rows.append(block_summary(gram[i], k=k, p=np.full(k, 1.0 / k), lam=c["lam"],
                                      phi=c["phi"], c=c["block"], kind=kind, n_gh=qd["n_gh"],
                                      n_bins=qd["n_bins"], max_outliers=k))
            prog.update(1)
        for key in ("left", "right", "outliers", "overlap", "n_outliers"):
            out[f"{kind}_{key}"] = np.array([r[key] for r in rows])
        grids = [bulk_cdf_grid(r["law"], qd["n_grid"]) for r in rows]
        for j, name in enumerate(("grid", "density", "cdf")):
            out[f"{kind}_{name}"] = np.stack([g[j] for g in grids])
        print(kind, "outliers at t=0:", out[f"{kind}_outliers"][0], "end:",
              out[f"{kind}_outliers"][-1])
    save_stage(snakemake.output[0], out, params={**c, **tr, **qd}, seed=c["seed"],
               inputs=[snakemake.input.ode],  # NaN marks an absent outlier
               allow_nonfinite=[f"{kind}_{key}" for kind in kinds
                                for key in ("outliers", "overlap")])
