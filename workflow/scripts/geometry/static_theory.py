"""Stage (theory): limiting edges and outliers at x = 0 along a sweep of lam or phi.

Also locates the static transition (first parameter value with an outlier) by bisection on the
determinant-equation solver, and from the closed form at x = 0 (docs/geometry.md).
"""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    from scipy.optimize import brentq

    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import MixtureModel, initial_gram, spectrum_along
    from hdsgd.theory.static_closed_forms import static_threshold

    c, sw, qd = snakemake.params.common, snakemake.params.sweep, snakemake.params.quadrature
    k = sw["k"]
    values = np.linspace(**sw["values"])
    G0 = initial_gram(k)

    def summary(value, kind):
        par = {"lam": sw["lam"], "phi": sw["phi"], sw["param"]: value}
        model = MixtureModel(p=np.ones(k), label_map=np.arange(k), **par)
        return spectrum_along(G0[None], model, c=c["block"], kind=kind, n_gh=qd["n_gh"],
                              n_bins=qd["n_bins"], max_outliers=k)

    out = {"values": values}
    for kind in ("hessian", "g"):
        res = [summary(v, kind) for v in values]
        for key in ("right", "outliers", "n_outliers", "overlaps"):
            out[f"{kind}_{key}"] = np.concatenate([r[key] for r in res])
        n = out[f"{kind}_n_outliers"]
        jump = np.flatnonzero(np.diff(n) > 0)
        thr = np.nan
        if jump.size:   # the largest outlier's D-eigenvalue at the edge changes sign there
            j = jump[0]

            def gap(v, kind=kind, base=int(n[j])):
                return summary(v, kind)["n_outliers"][0] - 0.5 - base

            thr = brentq(gap, values[j], values[j + 1], xtol=1e-6 * values[j + 1])
        closed = static_threshold(kind, k, c["block"], sw["param"], lam=sw["lam"],
                                  phi=sw["phi"], bracket=(values[0], values[-1]))
        out[f"{kind}_threshold"] = np.array([thr, closed])
        print(kind, "first outlier at", sw["param"], "=", thr, "closed form", closed)
    # NaN marks a threshold outside the sweep (absent outliers are padded with 0)
    save_stage(snakemake.output[0], out, seed=c["seed"],
               allow_nonfinite=["hessian_threshold", "g_threshold"])
