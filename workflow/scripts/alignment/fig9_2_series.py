"""Stage (series): stand-in Fig 9.2's curves (converged top eigenvalues of G_11 over training,
predicted bulk edge, the measured top of the bulk over the predicted edge: what the edge row
scores) and its checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.alignment import fig9_2_rows
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    obs, th = load_stage(snakemake.input.observables), load_stage(snakemake.input.theory)
    t_sim = obs["times"]
    vals = obs["g_vals"][:, 0]
    vals = vals[:, ~np.isnan(vals).any(axis=0)]  # converged eigenvalues only
    frames = [pd.DataFrame({"series": f"lambda_{j + 1}", "source": "simulation", "time": t_sim,
                            "value": vals[:, j]}) for j in range(vals.shape[1])]
    frames.append(pd.DataFrame({"series": "bulk_top", "source": "simulation", "time": t_sim,
                                "value": obs["bulk_top"][:, 0]}))
    frames.append(pd.DataFrame({"series": "bulk_edge", "source": "theory", "time": th["times"],
                                "value": th["edge_g11"]}))
    edge = np.interp(t_sim, th["times"], th["edge_g11"])
    frames.append(pd.DataFrame({"series": "bulk_top_over_edge", "source": "agreement",
                                "time": t_sim, "value": obs["bulk_top"][:, 0] / edge}))
    inputs = [snakemake.input.observables, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    rows = fig9_2_rows(vals, obs["bulk_top"][:, 0], edge, f)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r)
