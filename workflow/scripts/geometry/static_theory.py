"""Stage (theory): limiting edges and outliers at x = 0 along a sweep of lam or phi.

Also locates the static transition (first parameter value with an outlier) by bisection.
"""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    from scipy.optimize import brentq

    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import block_summary, initial_gram

    c, sw, qd = snakemake.params.common, snakemake.params.sweep, snakemake.params.quadrature
    k = c["k"]
    values = np.linspace(**sw["values"])
    G0 = initial_gram(k)

    def summary(value, kind):
        par = {"lam": sw["lam"], "phi": sw["phi"], sw["param"]: value}
        return block_summary(G0, k=k, p=np.full(k, 1.0 / k), lam=par["lam"], phi=par["phi"],
                             c=c["block"], kind=kind, n_gh=qd["n_gh"], n_bins=qd["n_bins"],
                             max_outliers=k)

    out = {"values": values}
    for kind in ("hessian", "g"):
        rows = [summary(v, kind) for v in values]
        for key in ("left", "right", "outliers", "overlap", "n_outliers"):
            out[f"{kind}_{key}"] = np.array([r[key] for r in rows])
        n = out[f"{kind}_n_outliers"]
        jump = np.flatnonzero(np.diff(n) > 0)
        if jump.size:   # the largest outlier's D-eigenvalue at the edge changes sign there
            j = jump[0]

            def gap(v, kind=kind, base=int(n[j])):
                return summary(v, kind)["n_outliers"] - 0.5 - base

            thr = brentq(gap, values[j], values[j + 1], xtol=1e-6 * values[j + 1])
        else:
            thr = np.nan
        out[f"{kind}_threshold"] = np.array(thr)
        print(kind, "first outlier at", sw["param"], "=", thr)
    # NaN marks an absent outlier (and a threshold outside the sweep)
    save_stage(snakemake.output[0], out, params={**c, **sw, **qd}, seed=c["seed"],
               allow_nonfinite=[f"{kind}_{key}" for kind in ("hessian", "g")
                                for key in ("outliers", "overlap", "threshold")])
