"""Stage: SGD loss curves for Fig 3: one run per (nu, zeta) phase point, the signal-to-noise
transition run and the convergence-then-divergence run (seed-averaged, b = fig3.batch_size)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import power_law_problem
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.gf_stability import max_stable_learning_rate
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid

    c, f = snakemake.params.common, snakemake.params.fig
    pr = c["problem"]
    b = f["batch_size"]
    kw = dict(batch_size=b, n_data=pr["n_data"], tau1=c["tau1"], tau2=c["tau2"])

    def run(nu, zeta, lrs, n_steps, label):
        """Losses (seeds, len(lrs), steps) at log-spaced steps; alpha = lr * SE max stable."""
        prob = power_law_problem(pr["n_data"], nu, zeta, seed=pr["seed"], scale=pr["scale"],
                                 initial_loss=pr["initial_loss"])
        alphas = np.asarray(lrs) * max_stable_learning_rate(prob.eigvals, beta=0.0, **kw)
        steps = np.unique(np.r_[0, np.geomspace(1, n_steps, 80).astype(int)])
        res = minibatch_sgd_grid(prob.gram, prob.r0, alphas, np.zeros_like(alphas),
                                 batch_size=b, n_steps=n_steps, seeds=range(f["n_seeds"]),
                                 record_steps=steps, diverge_factor=1e12,
                                 progress=Progress(n_steps, label, every_s=20))
        return alphas, steps, res.losses

    out = {}
    points = [(nu, z) for nu in f["phase_points"]["nu"] for z in f["phase_points"]["zeta"]]
    for i, (nu, zeta) in enumerate(points):
        alpha, steps, runs = run(nu, zeta, [f["lr_fraction"]], f["n_steps"], f"point {i}")
        out |= {f"point{i}_alpha": alpha[0], f"point{i}_steps": steps,
                f"point{i}_loss": runs[:, 0].mean(axis=0)}
    out["points"] = np.array(points)
    tr, dv = f["transition"], f["divergence"]
    alpha, steps, runs = run(tr["nu"], tr["zeta"], [tr["lr_fraction"]], tr["n_steps"],
                             "transition")
    out |= {"transition_alpha": alpha[0], "transition_steps": steps,
            "transition_loss": runs[:, 0].mean(axis=0)}
    alphas, steps, runs = run(dv["nu"], dv["zeta"], dv["lr_factors"], dv["n_steps"],
                              "divergence")
    # mean and median over seeds; a diverged run (inf) makes the mean inf from then on
    out |= {"divergence_alphas": alphas, "divergence_steps": steps,
            "divergence_mean": runs.mean(axis=0), "divergence_median": np.median(runs, axis=0)}
    save_stage(snakemake.output[0], out, params={**c, **f}, seed=pr["seed"],
               allow_nonfinite=["divergence_mean", "divergence_median"])
