"""Stage: Fig 1 series (bulk histograms vs limiting density) and Kolmogorov distances."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.observables.empirical_spectra import kolmogorov_distance
    from hdsgd.observables.spectral_agreement import histogram_density
    from hdsgd.stages import load_stage, write_table
    from hdsgd.theory.limiting_spectra import cdf_from_grid

    c, tol = snakemake.params.common, snakemake.params.agreement
    th, em = load_stage(snakemake.input.theory), load_stage(snakemake.input.empirical)
    rows, agree = [], []
    for t in th["hist_times"]:
        i = int(np.argmin(np.abs(em["times"] - t)))
        for j, kind in enumerate(("hessian", "g")):
            ti = int(np.argmin(np.abs(th["times"] - t)))
            grid, rho, cdf = (th[f"{kind}_{n}"][ti] for n in ("grid", "density", "cdf"))
            rows += [{"time": t, "matrix": kind, "source": "theory", "quantity": "density",
                      "x": a, "y": b} for a, b in zip(grid, rho)]
            rows += [{"time": t, "matrix": kind, "source": "theory", "quantity": "outlier",
                      "x": o, "y": np.nan} for o in th[f"{kind}_outliers"][ti] if np.isfinite(o)]
            rows.append({"time": t, "matrix": kind, "source": "theory", "quantity": "edge",
                         "x": th[f"{kind}_right"][ti], "y": np.nan})
            eigs = em["eigenvalues"][i, :, j]                       # (seeds, d)
            bins = np.linspace(min(0.0, eigs.min()), 1.02 * eigs.max(), 81)
            xc, dens = histogram_density(eigs, bins)
            rows += [{"time": t, "matrix": kind, "source": "empirical", "quantity": "density",
                      "x": a, "y": b} for a, b in zip(xc, dens)]
            def law_cdf(x, grid=grid, cdf=cdf):
                return cdf_from_grid(x, grid, cdf, c["phi"])

            ks = max(kolmogorov_distance(e, law_cdf) for e in eigs)
            rows.append({"time": t, "matrix": kind, "source": "empirical", "quantity": "ks",
                         "x": np.nan, "y": ks})
            label = {"hessian": "Hessian", "g": "G-matrix"}[kind]
            agree.append(agreement_row(
                "geometry_fig1", "local_geometry",
                f"{label} block at t = {t:g}: Kolmogorov distance, empirical vs limiting law "
                f"(max over seeds)", ks, tol["ks"], "<="))
            print(kind, t, "KS", ks)
    inputs = [snakemake.input.theory, snakemake.input.empirical]
    write_table(pd.DataFrame(rows), snakemake.output.series, params=c, inputs=inputs)
    write_agreement(snakemake.output.agreement, agree, params={**c, **tol}, inputs=inputs)
