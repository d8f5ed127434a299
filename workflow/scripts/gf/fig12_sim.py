"""Stage: for every batch size, SGD over (beta rows) x (alpha scanned around the SE boundary),
all configurations of one batch size in one vectorised run; divergence recorded per cell."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import power_law_problem
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.gf_stability import max_stable_learning_rate
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid, observed_divergence

    c, f = snakemake.params.common, snakemake.params.fig
    pr = c["problem"]
    prob = power_law_problem(pr["n_data"], f["nu"], f["zeta"], seed=pr["seed"],
                             scale=pr["scale"], initial_loss=pr["initial_loss"])
    betas = np.array(f["betas"])
    factors = np.linspace(**f["alpha_factors"])
    n = f["n_steps"]
    out = {"betas": betas, "factors": factors, "batch_sizes": np.array(f["batch_sizes"])}
    for b in f["batch_sizes"]:
        # the scan is centred on the SE boundary (its position only; the verdict is SGD's)
        centre = np.array([max_stable_learning_rate(prob.eigvals, beta=beta, batch_size=b,
                                                    n_data=pr["n_data"], tau1=c["tau1"],
                                                    tau2=c["tau2"]) for beta in betas])
        alphas = centre[:, None] * factors[None, :]
        beta_grid = np.broadcast_to(betas[:, None], alphas.shape)
        res = minibatch_sgd_grid(prob.gram, prob.r0, alphas.ravel(), beta_grid.ravel(),
                                 batch_size=b, n_steps=n, seeds=f["seeds"],
                                 record_steps=[0, n // 2, n], dtype=np.dtype(c["sim_dtype"]),
                                 progress=Progress(n, f"b={b}", every_s=20))
        out[f"alphas_b{b}"] = alphas
        out[f"divergent_b{b}"] = observed_divergence(res).reshape(alphas.shape)
    save_stage(snakemake.output[0], out, params={**c, **f}, seed=pr["seed"])
