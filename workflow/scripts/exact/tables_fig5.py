"""Stage: Fig 5 series (many classes, risk of SGD vs ODE at several d; RMS deviation vs d)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.observables.sgd_vs_ode import band_table, max_relative_gap
    from hdsgd.stages import load_stage, write_table

    f, runs = snakemake.params.fig, snakemake.params.runs
    frames, rows, dims, rms = [], [], [], []
    for run, opath, spath in zip(runs, snakemake.input.ode, snakemake.input.sgd, strict=True):
        p, ode, sgd = runs[run], load_stage(opath), load_stage(spath)
        L, Ls = ode["risk"], sgd["risk"]
        frames.append(band_table(run, "risk", ode["gammas"], ode["t"], L, Ls))
        rows.append(agreement_row("exact_fig5", "exact",
                                  f"{run} (d={p['d']}, {p['n_classes']} classes): max rel. gap "
                                  "SGD mean vs ODE risk", max_relative_gap(L, Ls),
                                  f["max_rel_gap"]))
        dims.append(p["d"])
        rms.append(float(np.sqrt(np.mean((Ls / L[:, None, :] - 1.0) ** 2))))
    dims, rms = np.array(dims), np.array(rms)
    frames.append(pd.DataFrame({"run": list(runs), "quantity": "rms_rel_dev", "d": dims,
                                "source": "sgd", "value": rms}))
    slope = np.polyfit(np.log(dims), np.log(rms), 1)[0]
    rows.append(agreement_row("exact_fig5", "exact",
                              "concentration: log-log slope in d of the RMS relative deviation "
                              "of single SGD runs from the ODE (shrinks with d)", slope, -0.25))
    series = pd.concat(frames, ignore_index=True)
    inputs = [*snakemake.input.mixture, *snakemake.input.ode, *snakemake.input.sgd]
    write_table(series, snakemake.output.series, params=f, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
    print(pd.DataFrame(rows).to_string())
