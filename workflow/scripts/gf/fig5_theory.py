"""Stage: SE loss curves at the Fig 5 batch sizes, and the SE loss at the fixed budget for a
log-spaced range of batch sizes (alpha = lr_fraction x SE max stable alpha(b), beta = 0)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.power_law import power_law_coefficients, power_law_spectrum
    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import se_loss_curve
    from hdsgd.theory.gf_stability import max_stable_learning_rate

    c, f = snakemake.params.common, snakemake.params.fig
    pr = c["problem"]
    lam = power_law_spectrum(pr["n_data"], f["nu"], pr["scale"])
    coef = power_law_coefficients(lam, f["nu"], f["zeta"], pr["initial_loss"])

    def curve(b):
        kw = dict(batch_size=b, n_data=pr["n_data"], tau1=c["tau1"], tau2=c["tau2"])
        alpha = f["lr_fraction"] * max_stable_learning_rate(lam, beta=0.0, **kw)
        return se_loss_curve(lam, coef, alpha=alpha, beta=0.0, n_steps=f["budget"] // b, **kw)

    tb = f["theory_batch_sizes"]
    scan = np.unique(np.geomspace(tb["start"], min(tb["stop"], pr["n_data"]),
                                  tb["num"]).astype(int))
    out = {"scan_batch_sizes": scan,
           "scan_final_loss": np.array([curve(b)[-1] for b in scan])}
    for b in f["batch_sizes"]:
        out[f"loss_b{b}"] = curve(b)
    save_stage(snakemake.output[0], out, params={**c, **f})
