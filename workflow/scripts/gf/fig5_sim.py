"""Stage: SGD loss versus samples processed (b x t) at a fixed budget, for several batch sizes,
alpha = lr_fraction x SE max stable alpha(b) (beta = 0); mean over seeds."""

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
    prob = power_law_problem(pr["n_data"], f["nu"], f["zeta"], seed=pr["seed"],
                             scale=pr["scale"], initial_loss=pr["initial_loss"])
    out = {"batch_sizes": np.array(f["batch_sizes"])}
    for b in f["batch_sizes"]:
        n = f["budget"] // b
        alpha = f["lr_fraction"] * max_stable_learning_rate(
            prob.eigvals, beta=0.0, batch_size=b, n_data=pr["n_data"], tau1=c["tau1"],
            tau2=c["tau2"])
        steps = np.unique(np.r_[0, np.geomspace(1, n, f["n_records"]).astype(int)])
        res = minibatch_sgd_grid(prob.gram, prob.r0, [alpha], [0.0], batch_size=b, n_steps=n,
                                 seeds=f["seeds"], record_steps=steps,
                                 progress=Progress(n, f"b={b}", every_s=20))
        out |= {f"alpha_b{b}": np.array(alpha), f"steps_b{b}": steps,
                f"loss_b{b}": res.losses[:, 0].mean(axis=0)}
    save_stage(snakemake.output[0], out, params={**c, **f}, seed=pr["seed"])
