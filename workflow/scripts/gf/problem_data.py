"""Stage: a synthetic power-law kernel problem (Haar basis, lambda_k = k^-nu, tail sums of the
initial loss components ~ k^-kappa), saved with the keys of the real-data problem stages."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.power_law import power_law_problem
    from hdsgd.stages import save_stage

    p = snakemake.params.problem
    prob = power_law_problem(p["n_data"], p["nu"], p["kappa"] / p["nu"], seed=p["seed"])
    save_stage(snakemake.output[0], {
        "gram": prob.gram, "r0": prob.r0, "eigvals": prob.eigvals, "coeffs": prob.coeffs,
        "loss_components": prob.eigvals * prob.coeffs, "lambda_max": np.array(1.0),
        "label": np.array(f"synthetic nu = {p['nu']:g}, kappa = {p['kappa']:g}, "
                          f"N = {p['n_data']}"),
    }, seed=p["seed"])
