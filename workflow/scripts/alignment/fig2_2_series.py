"""Stage (series): Fig 2.2's curves (entries of x^1 and of the top-k eigenvectors of H_11 and
G_11 at the end of training) and its checks against the means' support and the ODE."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.alignment import fig2_2_rows, span_fraction_ode
    from hdsgd.observables.gmm_localisation import orient, span_mass
    from hdsgd.stages import load_stage, write_table

    p, f = snakemake.params.run, snakemake.params.fig
    k, d = p["k"], p["d"]
    data, sim = load_stage(snakemake.input.data), load_stage(snakemake.input.simulation)
    obs, th = load_stage(snakemake.input.observables), load_stage(snakemake.input.theory)
    means = data["means"]
    x1 = sim["x"][-1, 0]
    coords = np.arange(1, d + 1)
    vecs = {"hessian": orient(obs["vectors_final"][0]), "G": orient(obs["vectors_final"][1])}
    frames = [pd.DataFrame({"panel": "x1", "series": "x^1", "coordinate": coords, "value": x1})]
    for matrix, V in vecs.items():
        for j in range(k):
            frames.append(pd.DataFrame({"panel": matrix, "series": f"v_{j + 1}",
                                        "coordinate": coords, "value": V[:, j]}))
    inputs = [snakemake.input[name] for name in ("data", "simulation", "observables", "theory")]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    frac_ode = np.interp(sim["times"], th["times"],
                         span_fraction_ode(th["m"][:, 0], th["Q"][:, 0, 0], means @ means.T))
    frac_sim = span_mass(sim["x"][:, 0].T, means)
    rows = fig2_2_rows(x1, means, vecs["hessian"], vecs["G"], frac_sim, frac_ode, f)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r)
