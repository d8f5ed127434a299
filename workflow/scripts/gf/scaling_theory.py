"""Stage (theory): at every size N, the exact mean loss (Prop. 1 second moments) of mini-batch
SGD on independent draws of the synthetic Haar-basis problem, and the SE loss with the derived
and the paper's tau (the same for every draw: SE sees only the spectrum and initial moments)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.power_law import power_law_problem
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage
    from hdsgd.theory.exact_second_moments import exact_kernel_second_moments
    from hdsgd.theory.generating_functions import se_loss_curve

    s, p, taus = snakemake.params.draws, snakemake.params.problem, snakemake.params.taus
    T = s["n_steps"]
    kw = {"alpha": s["alpha"], "beta": s["beta"], "batch_size": s["batch_size"]}
    out = {"sizes": np.asarray(s["sizes"])}
    prog = Progress(sum(n**3 * r for n, r in zip(s["sizes"], s["draws"])),
                    "exact second moments (units of N^3)")
    for n, draws in zip(s["sizes"], s["draws"]):
        exact = np.empty((draws, T + 1))
        for r in range(draws):
            prob = power_law_problem(n, p["nu"], p["kappa"] / p["nu"],
                                     seed=rng(s["seed"], f"gf-scaling-N{n}-draw{r}"))
            exact[r] = exact_kernel_second_moments(prob.eigvals, prob.eigvecs, prob.r0,
                                                   n_steps=T, **kw).loss
            prog.update(n**3)
        out[f"exact_N{n}"] = exact
        for q, (tau1, tau2) in taus.items():  # spectrum and coefficients: those of every draw
            out[f"se_{q}_N{n}"] = se_loss_curve(prob.eigvals, prob.coeffs, n_data=n, tau1=tau1,
                                                tau2=tau2, n_steps=T, **kw)
    save_stage(snakemake.output[0], out, seed=s["seed"])
