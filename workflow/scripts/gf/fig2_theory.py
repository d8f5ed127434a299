"""Stage: SE theory of one Fig 2 panel: the SE loss after n_steps on the whole (alpha, beta)
grid (compiled SE recursion), the convergence boundary alpha_c(beta) of Prop. 3 (U(1) = 1 or
the noiseless edge) for the paper's tau and for the problem's own SE tau, the noiseless line
alpha = 2 (1 + beta) and the Prop. 4 line alpha = 2 (1 - beta) / (gamma tau2 lambda_crit)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.models.ntk import fit_power_law, loss_tail
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.generating_functions import se_loss_grid
    from hdsgd.theory.gf_stability import (
        critical_lambda,
        critical_learning_rate,
        effective_lr_bound,
    )

    f, tau, alt = snakemake.params.fig, snakemake.params.tau, snakemake.params.alt_tau
    prob = load_stage(snakemake.input.problem)
    lam, coef = prob["eigvals"], prob["coeffs"]
    n = prob["r0"].size
    alphas, betas = np.linspace(**f["alpha"]), np.linspace(**f["beta"])
    a_grid, b_grid = np.meshgrid(alphas, betas)
    kw = dict(batch_size=f["batch_size"], n_data=n)
    res = se_loss_grid(lam, coef, a_grid.ravel(), b_grid.ravel(), tau1=tau[0], tau2=tau[1],
                       record_steps=[f["n_steps"]], diverge_factor=f["diverge_factor"],
                       progress=Progress(a_grid.size, "SE grid configurations"), **kw)
    fine = np.linspace(max(f["beta"]["start"], -0.999), min(f["beta"]["stop"], 0.999), 400)
    curves = {}
    for key, (t1, t2) in (("paper", tau), ("own", alt)):
        curves[f"alpha_c_{key}"] = np.array(
            [critical_learning_rate(lam, beta=b, tau1=t1, tau2=t2, **kw) for b in fine])
        curves[f"alpha_c_rows_{key}"] = np.array(
            [critical_learning_rate(lam, beta=b, tau1=t1, tau2=t2, **kw) for b in betas])
    ranks = (10, n // 2)  # chosen: past the top outlier, before the finite-N cutoff
    nu_fit = fit_power_law(lam, *ranks)[1]
    kappa_fit = fit_power_law(loss_tail(prob["loss_components"]), *ranks)[1]
    save_stage(snakemake.output[0], {
        "fit_nu": np.array(nu_fit), "fit_kappa": np.array(kappa_fit),
        "alphas": alphas, "betas": betas, "fine_betas": fine,
        "loss0": np.array(0.5 * lam @ coef),
        "final_loss": res.losses[:, 0].reshape(a_grid.shape),
        "eff_bound": np.array(effective_lr_bound(lam, tau1=tau[0], tau2=tau[1], **kw)),
        "lambda_crit": np.array(critical_lambda(lam, tau1=tau[0], tau2=tau[1])),
        "lambda_max": np.array(lam.max()), "tau": np.array(tau), "own_tau": np.array(alt),
        **curves,
    }, inputs=[snakemake.input.problem],
        allow_nonfinite=["final_loss"])  # diverged cells are inf
