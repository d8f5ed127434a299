"""Stage: the SE (SD-regime) runs of Fig 6 on synthetic spectra lambda_k = k^-nu (k <= N) with
loss weights ~ k^-(kappa + 1), b = 1: the loss after n_steps against alpha at beta = 0 for the
alpha-curve pairs, and against beta at the SE-optimal alpha (beta = 0) for the beta pairs."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    from scipy.optimize import minimize_scalar

    from hdsgd.data.power_law import power_law_coefficients, power_law_spectrum
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import se_loss_grid

    f, tau = snakemake.params.fig, snakemake.params.tau
    n, T = f["n_modes"], f["n_steps"]
    kw = dict(batch_size=f["batch_size"], n_data=n, tau1=tau[0], tau2=tau[1], record_steps=[T])

    def problem(nu, kappa):
        lam = power_law_spectrum(n, nu)
        return lam, power_law_coefficients(lam, nu, kappa / nu)

    def final_loss(lam, coef, alphas, betas):
        return se_loss_grid(lam, coef, alphas, betas, **kw).losses[:, 0]

    out = {}
    bar = Progress(len(f["alpha_curves"]) + len(f["beta_pairs"]), "Fig 6 curves")
    for i, c in enumerate(f["alpha_curves"]):
        lam, coef = problem(c["nu"], c["kappa"])
        alphas = np.linspace(*c["alpha"], f["n_points"])
        out[f"alpha_grid_{i}"] = alphas
        out[f"alpha_loss_{i}"] = final_loss(lam, coef, alphas, np.zeros_like(alphas))
        bar.update(1)
    betas = np.linspace(*f["beta_range"], f["n_points"])
    out["beta_grid"] = betas
    for i, (nu, kappa) in enumerate(f["beta_pairs"]):
        lam, coef = problem(nu, kappa)
        # SE-optimal alpha at beta = 0 (bounded search on log alpha below the noiseless edge)
        def log_loss(la, lam=lam, coef=coef):
            return np.log(final_loss(lam, coef, [np.exp(la)], [0.0])[0])

        res = minimize_scalar(log_loss, bounds=(np.log(1e-3), np.log(1.99)), method="bounded",
                              options={"xatol": 1e-4})
        alpha = float(np.exp(res.x))
        out[f"alpha_opt_{i}"] = np.array(alpha)
        out[f"beta_loss_{i}"] = final_loss(lam, coef, np.full(betas.size, alpha), betas)
        bar.update(1)
    save_stage(snakemake.output[0], out,
               allow_nonfinite=[k for k in out if k.endswith("_loss_") or "loss_" in k])
