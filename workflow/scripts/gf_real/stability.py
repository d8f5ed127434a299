"""Stage: convergence region in (alpha, beta) per batch size: SE theory (U(1) < 1 and stable
modes) and simulated linearised SGD on the same grid."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.gf_stability import critical_learning_rate, stability_region
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid

    f = snakemake.params.fig
    prob = load_stage(snakemake.input.problem)
    n = prob["r0"].size
    spacing = np.geomspace if f["alpha_spacing"] == "log" else np.linspace
    alphas = spacing(*f["alpha_range"], f["n_alpha"])
    betas = np.linspace(*f["beta_range"], f["n_beta"])
    bs, taus = list(f["batch_sizes"]), f["taus"]
    theory = np.zeros((len(bs), len(taus), betas.size, alphas.size), dtype=bool)
    crit = np.zeros((len(bs), len(taus), betas.size))
    sim_final = np.zeros((len(bs), betas.size, alphas.size))
    A, B = np.meshgrid(alphas, betas)
    loss0 = 0.5 * prob["loss_components"].sum()
    bar = Progress(len(bs) * f["n_steps"], "stability grid steps")
    for i, b in enumerate(bs):
        if b > n:
            raise ValueError(f"gf_real: batch_size {b} exceeds N = {n}")
        for j, (tau1, tau2) in enumerate(taus):
            kw = dict(batch_size=b, n_data=n, tau1=tau1, tau2=tau2)
            theory[i, j] = stability_region(prob["eigvals"], alphas, betas, **kw)
            crit[i, j] = [critical_learning_rate(prob["eigvals"], beta=bt, **kw) for bt in betas]
        res = minibatch_sgd_grid(prob["gram"], prob["r0"], A.ravel(), B.ravel(), batch_size=b,
                                 n_steps=f["n_steps"], seeds=[f["seed"]],
                                 record_steps=[f["n_steps"]], diverge_factor=f["diverge_factor"],
                                 dtype=np.dtype(snakemake.params.sim_dtype), progress=bar)
        sim_final[i] = res.losses[0, :, 0].reshape(A.shape)
    save_stage(snakemake.output[0], {
        "alphas": alphas, "betas": betas, "batch_sizes": np.array(bs),
        "taus": np.array(taus, dtype=float), "theory_converges": theory, "critical_alpha": crit,
        "sim_final_loss": sim_final, "sim_converges": np.isfinite(sim_final) & (sim_final < loss0),
    }, params=f, seed=f["seed"], inputs=[snakemake.input.problem],
        allow_nonfinite=["sim_final_loss"])  # diverged runs are inf: the boundary is the data
