"""Stage: SE critical learning rate alpha_c(beta) (Prop. 3, closed form) per batch size, with
the paper's tau and with the problem's own SE tau, and the Prop. 4 asymptote
alpha_c -> (1 - beta) 2 / (gamma tau2 lambda_crit) (paper's tau)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.gf_stability import critical_learning_rate, effective_lr_bound

    f, tau, main = snakemake.params.fig, snakemake.params.tau, snakemake.params.main_tau
    prob = load_stage(snakemake.input.problem)
    lam, n = prob["eigvals"], prob["r0"].size
    betas = np.linspace(**f["betas"])
    fine = np.linspace(-0.99, 0.99, 300)
    out = {"betas": betas, "fine_betas": fine, "batch_sizes": np.array(f["batch_sizes"]),
           "tau": np.array(tau), "main_tau": np.array(main)}
    for b in f["batch_sizes"]:
        kw = dict(batch_size=b, n_data=n)
        for key, (t1, t2) in (("paper", tau), ("main", main)):
            for grid_name, grid in (("rows", betas), ("fine", fine)):
                out[f"alpha_{key}_{grid_name}_b{b}"] = np.array(
                    [critical_learning_rate(lam, beta=x, tau1=t1, tau2=t2, **kw) for x in grid])
        out[f"eff_bound_b{b}"] = np.array(
            effective_lr_bound(lam, tau1=tau[0], tau2=tau[1], **kw) if b < n else np.inf)
    save_stage(snakemake.output[0], out, inputs=[snakemake.input.problem],
               allow_nonfinite=[k for k in out if k.startswith("eff_bound_")])  # b = N: no bound
