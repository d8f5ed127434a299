"""Stage (series): Fig 2.3's curves (converged top eigenvalues of H_11 and the predicted bulk
edge; x^1 . mu_a from SGD and from the effective-dynamics ODE) and its checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.alignment import fig2_3_rows
    from hdsgd.stages import load_stage, write_table

    p, f = snakemake.params.run, snakemake.params.fig
    k = p["k"]
    data, sim = load_stage(snakemake.input.data), load_stage(snakemake.input.simulation)
    obs, th = load_stage(snakemake.input.observables), load_stage(snakemake.input.theory)
    t_sim, t_th = sim["times"], th["times"]
    m_sim = sim["x"][:, 0] @ data["means"].T  # (n_ckpt, k): x^1 . mu_a
    m_ode = np.stack([np.interp(t_sim, t_th, th["m"][:, 0, a]) for a in range(k)], axis=1)
    vals = obs["h_vals"][:, 0]
    vals = vals[:, ~np.isnan(vals).any(axis=0)]  # converged eigenvalues only: top k + n_bulk
    frames = [pd.DataFrame({"panel": "eigenvalues", "series": f"lambda_{j + 1}",
                            "source": "simulation", "time": t_sim, "value": vals[:, j]})
              for j in range(vals.shape[1])]
    frames.append(pd.DataFrame({"panel": "eigenvalues", "series": "bulk_edge",
                                "source": "theory", "time": t_th, "value": th["edge_h11"]}))
    for a in range(k):
        frames.append(pd.DataFrame({"panel": "overlaps", "series": f"a={a + 1}",
                                    "source": "simulation", "time": t_sim,
                                    "value": m_sim[:, a]}))
        frames.append(pd.DataFrame({"panel": "overlaps", "series": f"a={a + 1}",
                                    "source": "theory", "time": t_th,
                                    "value": th["m"][:, 0, a]}))
    inputs = [snakemake.input[name] for name in ("data", "simulation", "observables", "theory")]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series,
                inputs=inputs)
    top = obs["vectors_final"][0][:, 0]
    rows = fig2_3_rows(m_sim, m_ode, vals, np.interp(t_sim, t_th, th["edge_h11"]),
                       float(top[np.argmax(data["means"][0])] ** 2), obs["accuracy"],
                       np.interp(t_sim, t_th, th["accuracy"]), k, f)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r)
