"""Stage (series, stand-in figure): the converged top-2 eigenvalues of one unit's first-layer
Hessian and G blocks over training, and the final W_i with the top-2 eigenvectors of its
blocks, coordinate by coordinate (mu = e_1, nu = e_2)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.xor import first_layer_rows
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    sim, obs = load_stage(snakemake.input.simulation), load_stage(snakemake.input.observables)
    # the unit with the largest final |v_i| (its first-layer dynamics is the fastest)
    unit = int(np.argmax(np.abs(sim["v"][-1]))) + 1
    print(f"unit {unit}, v_i = {sim['v'][-1, unit - 1]:.3f}")
    times = obs["times"]
    frames = []
    for m, name in (("h", "hessian"), ("g", "G")):
        vals = obs[f"{m}w_vals"][:, unit - 1]           # (n_ckpt, n_check) converged
        for j in range(vals.shape[1]):
            frames.append(pd.DataFrame({"kind": "eigenvalue", "matrix": name, "index": j + 1,
                                        "time": times, "coordinate": 0, "value": vals[:, j]}))
    W = sim["W"][-1, unit - 1]
    d = W.size
    coords = np.arange(1, d + 1)
    frames.append(pd.DataFrame({"kind": "W_i", "matrix": "", "index": 0, "time": times[-1],
                                "coordinate": coords, "value": W / np.linalg.norm(W)}))
    for m, name in (("h", "hessian"), ("g", "G")):
        V = obs[f"{m}w_vecs_final"][unit - 1].astype(np.float64)
        for j in range(V.shape[1]):
            vj = V[:, j] * np.sign(V[np.argmax(np.abs(V[:, j])), j])
            frames.append(pd.DataFrame({"kind": "eigenvector", "matrix": name, "index": j + 1,
                                        "time": times[-1], "coordinate": coords, "value": vj}))
    series = pd.concat(frames, ignore_index=True).assign(unit=unit)
    inputs = [snakemake.input.simulation, snakemake.input.observables]
    write_table(series, snakemake.output.series, inputs=inputs)
    rows = first_layer_rows(unit, obs, f)
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
