"""Stage: SE critical learning rate alpha(beta) (modes stable and U(1) = 1) for every batch size,
and the Prop. 4 bound alpha < alpha_c (1 - beta)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import power_law_spectrum
    from hdsgd.stages import save_stage
    from hdsgd.theory.gf_stability import critical_effective_lr_bound, max_stable_learning_rate

    c, f = snakemake.params.common, snakemake.params.fig
    pr = c["problem"]
    lam = power_law_spectrum(pr["n_data"], f["nu"], pr["scale"])
    fine = np.linspace(-0.98, 0.98, 300)
    out = {"fine_betas": fine, "betas": np.array(f["betas"])}
    for b in f["batch_sizes"]:
        kw = dict(batch_size=b, n_data=pr["n_data"], tau1=c["tau1"], tau2=c["tau2"])
        out[f"alpha_fine_b{b}"] = np.array([max_stable_learning_rate(lam, beta=x, **kw)
                                            for x in fine])
        out[f"alpha_rows_b{b}"] = np.array([max_stable_learning_rate(lam, beta=x, **kw)
                                            for x in f["betas"]])
        out[f"bound_b{b}"] = np.array(critical_effective_lr_bound(
            lam, batch_size=b, n_data=pr["n_data"], tau1=c["tau1"]))
    save_stage(snakemake.output[0], out, params={**c, **f})
