"""Stage: the paper's simulated data of Fig 3 (centre, right): the SE ("SD") recursion iterated
on synthetic power-law spectra with M modes (lambda_k = k^-nu, exact tail sums k^-kappa).
Centre: several batch sizes (gamma = 1/b, unbounded data). Right: the eventual-divergence
phase, with the noiseless run (tau1 = 0, the paper's early-convergent approximation L ~ V)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.power_law import power_law_spectrum, tail_power_law_coefficients
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import se_loss_grid

    f, tau = snakemake.params.fig, snakemake.params.tau
    out = {}
    cx = f["crossover"]
    lam = power_law_spectrum(cx["n_modes"], cx["nu"])
    coef = tail_power_law_coefficients(lam, cx["kappa"])
    steps = np.unique(np.geomspace(1, cx["n_steps"], 400).astype(int))
    bar = Progress(len(cx["inv_gamma"]), "crossover runs")
    out["crossover_steps"] = steps
    out["crossover_loss"] = np.array([
        se_loss_grid(lam, coef, [cx["alpha"]], [cx["beta"]], batch_size=b, n_data=None,
                     tau1=tau[0], tau2=tau[1], record_steps=steps, progress=bar).losses[0]
        for b in cx["inv_gamma"]])
    dv = f["divergence"]
    lam = power_law_spectrum(dv["n_modes"], dv["nu"])
    coef = tail_power_law_coefficients(lam, dv["kappa"])
    steps = np.unique(np.r_[np.geomspace(1, dv["n_steps"], 400).astype(int),
                            np.linspace(0.8 * dv["n_steps"], dv["n_steps"], 50).astype(int)])
    kw = dict(n_data=None, tau2=dv["tau2"], record_steps=steps)
    out["divergence_steps"] = steps
    out["noiseless_loss"] = se_loss_grid(lam, coef, [dv["alpha"]], [dv["beta"]], batch_size=1,
                                         tau1=0.0, **kw).losses[0]
    bar = Progress(len(dv["inv_gamma"]), "divergence runs")
    out["divergence_loss"] = np.array([
        se_loss_grid(lam, coef, [dv["alpha"]], [dv["beta"]], batch_size=b, tau1=tau[0],
                     progress=bar, **kw).losses[0] for b in dv["inv_gamma"]])
    save_stage(snakemake.output[0], out)
