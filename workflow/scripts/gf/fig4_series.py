"""Stage: Fig 4 series (the minimum maps) and rows (the Lemma 1 inequalities hold on the grid
of the region)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.gf_agreement import lemma1_rows
    from hdsgd.stages import load_stage, write_table

    th = load_stage(snakemake.input.theory)
    A, B = np.meshgrid(th["a"], th["beta"])
    inside = th["inside"]
    frames = []
    maps = {f"min_z S, g = {g:g}": th[f"min_s_{i}"] for i, g in enumerate(th["g_values"])}
    maps["min_z R1"] = th["min_r1"]
    for name, m in maps.items():
        frames.append(pd.DataFrame({"series": name, "a": A[inside], "beta": B[inside],
                                    "value": m[inside]}))
    edge_beta = np.linspace(-1, 1, 50)
    frames.append(pd.DataFrame({"series": "noiseless edge a = 2 (1 + beta)",
                                "a": 2 * (1 + edge_beta), "beta": edge_beta, "value": np.nan}))
    rows = lemma1_rows("gf_fig4", maps, inside)
    inputs = [snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
