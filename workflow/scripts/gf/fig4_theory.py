"""Stage: the numerical checks of Lemma 1 (App. E.2): over the noiseless-stable region
0 < a < 2 (1 + beta) (a = alpha lambda), the minimum over z in [0, 1) of the per-mode polynomial
S(a, beta, g, z) = det(1 - z A) for each g = gamma tau2, and of the numerator R1 of
d/dz (z U~(z))."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import lemma1_numerator, se_mode_polynomial

    f = snakemake.params.fig
    n = f["n_grid"]
    a = np.linspace(0, 4, n + 1)[1:]
    beta = np.linspace(-1, 1, n + 2)[1:-1]
    z = np.linspace(0, 1, n + 1)[:-1]
    A, B, Z = np.meshgrid(a, beta, z, indexing="ij")
    out = {"a": a, "beta": beta, "g_values": np.array(f["g_values"], dtype=float)}
    for i, g in enumerate(f["g_values"]):
        d1, d2, d3 = se_mode_polynomial(A, B, 1.0, g)
        out[f"min_s_{i}"] = (1 + d1 * Z + d2 * Z**2 + d3 * Z**3).min(axis=2).T
    out["min_r1"] = lemma1_numerator(A, B, Z).min(axis=2).T
    out["inside"] = (a[None, :] < 2 * (1 + beta[:, None]))
    save_stage(snakemake.output[0], out)
