"""Stage: heavy-ball SGD over the whole (alpha, beta) grid of one Fig 2 panel, in one run."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import power_law_problem
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid, observed_divergence

    c, f = snakemake.params.common, snakemake.params.fig
    panel = f["panels"][int(snakemake.wildcards.panel)]
    prob = power_law_problem(c["problem"]["n_data"], f["nu"], f["zeta"],
                             seed=c["problem"]["seed"], scale=c["problem"]["scale"],
                             initial_loss=c["problem"]["initial_loss"])
    alphas = np.linspace(0, panel["alpha_max"], f["n_alpha"] + 1)[1:]
    betas = np.linspace(-f["beta_max"], f["beta_max"], f["n_beta"])
    a_grid, b_grid = np.meshgrid(alphas, betas)
    n = f["n_steps"]
    res = minibatch_sgd_grid(prob.gram, prob.r0, a_grid.ravel(), b_grid.ravel(),
                             batch_size=panel["batch_size"], n_steps=n, seeds=f["seeds"],
                             record_steps=[0, n // 2, n], dtype=np.dtype(c["sim_dtype"]),
                             progress=Progress(n, f"fig2 panel b={panel['batch_size']}"))
    shape = a_grid.shape
    save_stage(snakemake.output[0], {
        "alphas": alphas, "betas": betas,
        "final_loss": res.losses[:, :, -1].mean(axis=0).reshape(shape),
        "divergent": observed_divergence(res).reshape(shape),
        "diverged_step": res.diverged_step.min(axis=0).reshape(shape),
        "initial_loss": np.array(res.losses[0, 0, 0]),
    }, params={**c, **f, "panel": panel}, seed=c["problem"]["seed"],
        allow_nonfinite=["final_loss"])  # diverged cells are inf: the boundary is the data
