"""Stage (theory): on one problem's normalised spectrum, for every configured (b, alpha, beta):
the SE loss curves (every configured (tau1, tau2)), optionally the exact second-moment
recursion (Prop. 1, with the noise-distance traces of Fig 8), and optionally the power-law fits
of the spectrum and the Theorem 2 signal-phase prediction (eq. 28a) built from them."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.models import ntk
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.exact_second_moments import exact_kernel_second_moments
    from hdsgd.theory.generating_functions import se_loss_curve
    from hdsgd.theory.power_law_phases import asymptotic_constants
    from hdsgd.training.network_sgd import log_record_steps

    f = snakemake.params.fig
    prob = load_stage(snakemake.input.problem)
    lam, coeffs, n = prob["eigvals"], prob["coeffs"], prob["r0"].size
    T, cfgs, taus = f["n_steps"], f["configs"], f["taus"]
    steps = log_record_steps(T, f["n_records"])
    out = {"steps": steps, "taus": np.array(taus, dtype=float),
           "se": np.empty((len(cfgs), len(taus), steps.size))}
    for i, c in enumerate(cfgs):
        for j, (tau1, tau2) in enumerate(taus):
            out["se"][i, j] = se_loss_curve(lam, coeffs, alpha=c["alpha"], beta=c["beta"],
                                            batch_size=c["batch_size"], n_data=n, tau1=tau1,
                                            tau2=tau2, n_steps=T)[steps]
    if f["exact_moments"]:
        spec = ntk.kernel_spectrum(prob["gram"], prob["r0"])  # eigenvectors of K (normalised)
        bar = Progress(len(cfgs) * T, "exact second-moment steps")
        traces = {k: np.empty((len(cfgs), T)) for k in ("ss", "sa", "sb", "aa", "ab", "bb")}
        out["exact"] = np.empty((len(cfgs), steps.size))
        for i, c in enumerate(cfgs):
            res = exact_kernel_second_moments(spec.eigvals, spec.U, prob["r0"], alpha=c["alpha"],
                                              beta=c["beta"], batch_size=c["batch_size"],
                                              n_steps=T, progress=bar)
            out["exact"][i] = res.loss[steps]
            for k in traces:
                traces[k][i] = getattr(res, k)
        out.update({f"trace_{k}": v for k, v in traces.items()})
    if f["power_law"]:
        pl = f["power_law"]
        tail = ntk.loss_tail(prob["loss_components"])
        scale, nu = ntk.fit_power_law(lam, *pl["eigval_ranks"])
        k_const, kappa = ntk.fit_power_law(tail, *pl["tail_ranks"])
        zeta = kappa / nu
        out["fit"] = np.array([scale, nu, ntk.power_law_r2(lam, *pl["eigval_ranks"], scale, nu),
                               k_const, kappa,
                               ntk.power_law_r2(tail, *pl["tail_ranks"], k_const, kappa)])
        # eq. 28a with Lambda, nu, K, kappa from the fits; Q = K Lambda^-zeta is the constant
        # of the spectral measure sum_{lambda_k <= lambda} lambda_k c_k ~ Q lambda^zeta
        out["asymptotic"] = np.array([
            asymptotic_constants(lam, coeffs, nu=nu, zeta=zeta, q_const=k_const * scale**-zeta,
                                 scale=scale, alpha=c["alpha"], beta=c["beta"],
                                 batch_size=c["batch_size"], n_data=n, tau1=taus[0][0],
                                 tau2=taus[0][1])["signal"]
            for c in cfgs])
        print(f"fits: Lambda={scale:.4g} nu={nu:.4f} K={k_const:.4g} kappa={kappa:.4f} "
              f"zeta={zeta:.4f}; eq. 28a constants {out['asymptotic']}")
    save_stage(snakemake.output[0], out, seed=0, inputs=[snakemake.input.problem],
               allow_nonfinite=[k for k in ("se", "exact") if k in out])  # diverging: inf
