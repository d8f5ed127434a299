"""Stage: SE stability region, U(1), max stable alpha(beta) and the alpha_eff bound per panel."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import power_law_spectrum
    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import noise_gf_at_one
    from hdsgd.theory.gf_stability import (
        critical_effective_lr_bound,
        max_stable_learning_rate,
        stability_region,
    )

    c, f = snakemake.params.common, snakemake.params.fig
    n = c["problem"]["n_data"]
    lam = power_law_spectrum(n, f["nu"], c["problem"]["scale"])
    betas = np.linspace(-f["beta_max"], f["beta_max"], f["n_beta"])
    fine_betas = np.linspace(-f["beta_max"], f["beta_max"], 400)
    out = {"betas": betas, "fine_betas": fine_betas}
    for i, panel in enumerate(f["panels"]):
        kw = dict(batch_size=panel["batch_size"], n_data=n, tau1=c["tau1"], tau2=c["tau2"])
        alphas = np.linspace(0, panel["alpha_max"], f["n_alpha"] + 1)[1:]
        out[f"alphas_{i}"] = alphas
        out[f"region_{i}"] = stability_region(lam, alphas, betas, **kw)
        out[f"u1_{i}"] = noise_gf_at_one(lam, alphas[None, :], betas[:, None], **kw)
        out[f"alpha_max_{i}"] = np.array([max_stable_learning_rate(lam, beta=b, **kw)
                                          for b in fine_betas])
        out[f"alpha_eff_bound_{i}"] = np.array(critical_effective_lr_bound(
            lam, batch_size=panel["batch_size"], n_data=n, tau1=c["tau1"]))
    save_stage(snakemake.output[0], out, params={**c, **f})
