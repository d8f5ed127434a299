"""Stage: Fig 3 theory: the (nu, kappa) phase regions; for the crossover runs U(1), V(1), the
asymptotes (28a, 28b) and the transition time (29); for the divergence runs r_L and the
amplitude of eq. 24."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.power_law import power_law_spectrum, tail_power_law_coefficients
    from hdsgd.stages import save_stage
    from hdsgd.theory.generating_functions import noise_gf_at_one, signal_gf_at_one
    from hdsgd.theory.power_law_phases import (
        crossing_time,
        divergence_asymptote,
        noise_asymptote,
        phase_region,
        signal_asymptote,
    )

    f, tau = snakemake.params.fig, snakemake.params.tau
    ax = f["phase_axes"]
    nus = np.linspace(*ax["nu"], 300)
    kappas = np.linspace(*ax["kappa"], 300)
    out = {"phase_nu": nus, "phase_kappa": kappas,
           "phase_region": phase_region(nus[None, :], kappas[:, None])}
    cx = f["crossover"]
    lam = power_law_spectrum(cx["n_modes"], cx["nu"])
    coef = tail_power_law_coefficients(lam, cx["kappa"])
    t = np.geomspace(1, cx["n_steps"], 400)
    out["asymptote_steps"] = t
    sig, noi, ttr = [], [], []
    zeta, xi = cx["kappa"] / cx["nu"], 2 - 1 / cx["nu"]
    for b in cx["inv_gamma"]:
        kw = dict(batch_size=b, n_data=None, tau2=tau[1])
        u1 = float(noise_gf_at_one(lam, cx["alpha"], cx["beta"], tau1=tau[0], **kw))
        v1 = float(signal_gf_at_one(lam, coef, cx["alpha"], cx["beta"], **kw))
        s = signal_asymptote(t, alpha=cx["alpha"], beta=cx["beta"], nu=cx["nu"],
                             kappa=cx["kappa"], u1=u1)
        n_ = noise_asymptote(t, alpha=cx["alpha"], beta=cx["beta"], nu=cx["nu"], u1=u1, v1=v1,
                             gamma=1.0 / b, tau1=tau[0])
        sig.append(s)
        noi.append(n_)
        ttr.append(crossing_time(s[0] * t[0] ** zeta, zeta, n_[0] * t[0] ** xi, xi))
    out |= {"signal_asymptote": np.array(sig), "noise_asymptote": np.array(noi),
            "transition_time": np.array(ttr)}
    dv = f["divergence"]
    lam = power_law_spectrum(dv["n_modes"], dv["nu"])
    coef = tail_power_law_coefficients(lam, dv["kappa"])
    roots = [divergence_asymptote(lam, coef, alpha=dv["alpha"], beta=dv["beta"], batch_size=b,
                                  n_data=None, tau1=tau[0], tau2=dv["tau2"])
             for b in dv["inv_gamma"]]
    out |= {"r_L": np.array([r for r, _ in roots]), "amplitude": np.array([a for _, a in roots])}
    save_stage(snakemake.output[0], out)
