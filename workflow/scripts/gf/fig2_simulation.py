"""Stage: linearised mini-batch heavy-ball SGD on the whole Fig 2 (alpha, beta) grid of one
panel's problem (one run per cell, all cells in one vectorised call); loss after n_steps."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid

    f = snakemake.params.fig
    prob = load_stage(snakemake.input.problem)
    alphas, betas = np.linspace(**f["alpha"]), np.linspace(**f["beta"])
    a_grid, b_grid = np.meshgrid(alphas, betas)
    res = minibatch_sgd_grid(prob["gram"], prob["r0"], a_grid.ravel(), b_grid.ravel(),
                             batch_size=f["batch_size"], n_steps=f["n_steps"], seeds=[f["seed"]],
                             record_steps=[0, f["n_steps"]], diverge_factor=f["diverge_factor"],
                             dtype=np.float32, progress=Progress(f["n_steps"], "SGD grid steps"))
    save_stage(snakemake.output[0], {
        "alphas": alphas, "betas": betas, "loss0": np.array(res.losses[0, 0, 0]),
        "final_loss": res.losses[0, :, -1].reshape(a_grid.shape),
    }, seed=f["seed"], inputs=[snakemake.input.problem],
        allow_nonfinite=["final_loss"])  # diverged cells are inf: the boundary is the data
