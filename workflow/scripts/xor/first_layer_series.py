"""Stage (stand-in figure): first-layer block spectrum of one unit over training, and the final
W_i with the top-2 eigenvectors of its blocks, coordinate by coordinate (mu = e_1, nu = e_2)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.observables.xor_tables import w_block_eigen_table
    from hdsgd.stages import load_stage, read_table, write_table

    f = snakemake.params.fig
    sgd = load_stage(snakemake.input.sgd)
    spec = load_stage(snakemake.input.spectra)
    units = read_table(snakemake.input.units)
    # the unit with the largest final |v_i| (its first-layer dynamics is the fastest)
    unit = int(np.argmax(np.abs(sgd["v"][-1]))) + 1
    print(f"unit {unit}, v_i = {sgd['v'][-1, unit - 1]:.3f}")
    eig = w_block_eigen_table(sgd["times"], spec, unit).assign(kind="eigenvalue", coordinate=0)
    eig["converged"] = eig["index"] <= snakemake.params.n_check
    W = sgd["W"][-1, unit - 1]
    d = W.size
    vec_frames = [pd.DataFrame({"kind": "W_i", "coordinate": np.arange(1, d + 1),
                                "value": W / np.linalg.norm(W), "matrix": "", "index": 0})]
    for m, name in (("h", "hessian"), ("g", "G")):
        V = spec[f"{m}w_vecs"][-1, unit - 1].astype(np.float64)
        for j in range(V.shape[1]):
            vj = V[:, j] * np.sign(V[np.argmax(np.abs(V[:, j])), j])
            vec_frames.append(pd.DataFrame({"kind": "eigenvector", "coordinate": np.arange(
                1, d + 1), "value": vj, "matrix": name, "index": j + 1}))
    series = pd.concat([eig] + vec_frames, ignore_index=True).assign(
        unit=unit, time_final=sgd["times"][-1])
    inputs = [snakemake.input.sgd, snakemake.input.spectra, snakemake.input.units]
    write_table(series, snakemake.output.series, params=f, inputs=inputs)

    fin = units[(units["time"] == units["time"].max()) & (units["unit"] == unit)]
    rows = []
    for name in ("hessian", "G"):
        row = fin[fin["matrix"] == name].iloc[0]
        rows.append(agreement_row("xor_first_layer", "alignment",
                                  f"unit {unit}: alignment of W_i with E_2({name} block), end",
                                  row["alignment"], f["min_unit_alignment"], ">="))
        rows.append(agreement_row("xor_first_layer", "alignment",
                                  f"unit {unit}: fraction of E_2({name} block) in span(mu, nu)",
                                  row["e2_span_fraction"], f["min_e2_span_fraction"], ">="))
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
