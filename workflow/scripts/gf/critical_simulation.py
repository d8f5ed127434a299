"""Stage: simulated critical learning rate per momentum for one batch size (Figs 11-14).

Linearised mini-batch heavy-ball SGD, one run per configuration; a run has diverged if its loss
blew up or its mean log-loss over the last 10 % of the horizon exceeds that over the 10 % before
the half-way point. A coarse log-spaced scan of alpha, then bisection-like refinement of every
momentum's bracket (each round one vectorised run of all open brackets). Nothing here uses a
theory output."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.observables.stability_boundary import (
        bisect_critical_alpha,
        diverged_or_rising,
        window_record_steps,
    )
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid

    f = snakemake.params.fig
    b = int(snakemake.wildcards.batch)
    prob = load_stage(snakemake.input.problem)
    n_steps = f["n_steps"]
    record = window_record_steps(n_steps)
    betas = np.linspace(**f["betas"])
    grid = np.geomspace(f["alpha_grid"]["start"], f["alpha_grid"]["stop"], f["alpha_grid"]["num"])
    runs = []

    def diverges(alphas, bts):
        res = minibatch_sgd_grid(prob["gram"], prob["r0"], alphas, bts, batch_size=b,
                                 n_steps=n_steps, seeds=[f["seed"]], record_steps=record,
                                 diverge_factor=f["diverge_factor"], dtype=np.float32)
        verdict = diverged_or_rising(res.steps, res.losses, res.diverged, n_steps)
        runs.append((alphas, bts, verdict))
        print(f"b = {b}: {alphas.size} runs, {verdict.sum()} diverged", flush=True)
        return verdict

    lo, hi = bisect_critical_alpha(diverges, betas, grid, rounds=f["rounds"], points=f["points"])
    save_stage(snakemake.output[0], {
        "betas": betas, "lo": lo, "hi": hi, "batch_size": np.array(b),
        "tried_alpha": np.concatenate([r[0] for r in runs]),
        "tried_beta": np.concatenate([r[1] for r in runs]),
        "tried_diverged": np.concatenate([r[2] for r in runs]),
    }, seed=f["seed"], inputs=[snakemake.input.problem],
        allow_nonfinite=["hi"])  # inf: no tried alpha diverged
