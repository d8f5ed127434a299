"""Stage (theory or simulation, per ``snakemake.params.kind``): loss at step T over the
(beta, alpha) grid of Fig 6 for the signal- or noise-dominated problem ({phase} wildcard).

alpha = fraction * (SE max stable alpha at that beta), so every row spans the stable range.
``kind == "sim"``: heavy-ball SGD, all cells and seeds in one vectorised run (mean over seeds);
``kind == "theory"``: the SE recursion iterated on the whole grid at once."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import power_law_problem
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import se_loss_curve
    from hdsgd.theory.gf_stability import max_stable_learning_rate
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid

    c, f, kind = snakemake.params.common, snakemake.params.fig, snakemake.params.kind
    pr = c["problem"]
    zeta = f["zetas"][snakemake.wildcards.phase]
    prob = power_law_problem(pr["n_data"], f["nu"], zeta, seed=pr["seed"], scale=pr["scale"],
                             initial_loss=pr["initial_loss"])
    kw = dict(batch_size=f["batch_size"], n_data=pr["n_data"], tau1=c["tau1"], tau2=c["tau2"])
    betas = np.linspace(**f["betas"])
    fr = f["alpha_fractions"]
    fractions = np.geomspace(fr["start"], fr["stop"], fr["num"])
    a_max = np.array([max_stable_learning_rate(prob.eigvals, beta=b, **kw) for b in betas])
    alphas = a_max[:, None] * fractions[None, :]
    beta_grid = np.broadcast_to(betas[:, None], alphas.shape)
    n = f["n_steps"]
    if kind == "sim":
        res = minibatch_sgd_grid(prob.gram, prob.r0, alphas.ravel(), beta_grid.ravel(),
                                 batch_size=f["batch_size"], n_steps=n, seeds=f["seeds"],
                                 record_steps=[0, n], dtype=np.dtype(c["sim_dtype"]),
                                 progress=Progress(n, f"fig6 {snakemake.wildcards.phase}"))
        loss = res.losses[:, :, -1].mean(axis=0).reshape(alphas.shape)
    else:
        loss = se_loss_curve(prob.eigvals, prob.coeffs, alpha=alphas, beta=beta_grid,
                             n_steps=n, **kw)[..., -1]
    save_stage(snakemake.output[0], {"betas": betas, "fractions": fractions, "alphas": alphas,
                                     "loss": loss},
               params={**c, **f, "kind": kind, "zeta": zeta}, seed=pr["seed"],
               allow_nonfinite=["loss"])  # a run beyond the stability edge diverges
