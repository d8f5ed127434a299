"""Theory of one configured exact-dynamics run (docs/exact_dynamics.md §2, §5, §6).

Binary runs: the scalar ODE of :mod:`hdsgd.theory.exact_ode` and the family's closed form where
one exists; K-way runs (``n_classes``): the m-output ODE of :mod:`hdsgd.theory.multi_output_ode`.
``gamma_scale`` multiplies the ODE's learning rates and ``noise_scale`` its SGD-noise term (both
1 for the theory; a 10 % wrong learning rate or a dropped noise term are the negative controls
of tests/test_exact_negative_controls.py).
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.anisotropic_mixture import DiagonalMixture
from hdsgd.models.multi_output_glm import loss_for_run
from hdsgd.theory.exact_closed_forms import closed_form_risk
from hdsgd.theory.exact_ode import solve_exact_ode
from hdsgd.theory.multi_output_ode import MultiOutputODE


def run_theory(run: dict, data, *, dt: float, n_nodes: int, rel_step: float | None = None,
               gamma_scale: float = 1.0, noise_scale: float = 1.0,
               progress=None) -> dict[str, np.ndarray]:
    """ODE outputs at ``data["t"]`` (plus ``closed_form`` (G, T) for binary runs that have one);
    ``data`` holds the run's means, eigs, probs, labels, clean, probes and t.

    A binary run with ``ode_t_max`` continues the ODE past the SGD horizon, with the
    exponential integrator of step ``rel_step t`` (``ode_t_max`` far beyond the fastest mode's
    time scale), to ``ode_n_times`` geometric times up to ``ode_t_max``: ``t_ext``,
    ``risk_ext`` (G, T_ext) and ``closed_form_ext``.
    """
    mix = DiagonalMixture(data["means"], data["eigs"], data["probs"], data["labels"])
    gammas = np.asarray(run["gammas"], dtype=float)
    t = data["t"]
    if "n_classes" in run:
        ode = MultiOutputODE(mix, loss_for_run(run, mix.labels), noise_scale=noise_scale)
        return ode.solve(gamma_scale * gammas, t, dt=dt, probes=data["probes"],
                         progress=progress)
    t_ext = (np.geomspace(t[-1], run["ode_t_max"], run["ode_n_times"] + 1)[1:]
             if "ode_t_max" in run else np.zeros(0))
    if t_ext.size and rel_step is None:
        raise ValueError("a run with ode_t_max needs the exponential integrator's rel_step")
    out = solve_exact_ode(mix, run["loss"], gamma_scale * gammas, np.concatenate([t, t_ext]),
                          dt=dt, rel_step=rel_step if t_ext.size else None,
                          probes=data["probes"], n_nodes=n_nodes, noise_scale=noise_scale,
                          progress=progress)
    closed = closed_form_risk(run, mix, data["clean"], gammas, np.concatenate([t, t_ext]))
    if closed is not None:
        out["closed_form"] = closed
    if t_ext.size:
        n = t.size
        for key in [k for k in ("risk", "closed_form") if k in out]:
            out[f"{key}_ext"] = out[key][:, n:]
            out[key] = out[key][:, :n]
        out["t_ext"] = t_ext
        for key in ("m", "Q", "norm2", "probes"):
            out[key] = out[key][:, :n]
        out["t"] = t
    return out


def phase_sweep(fig: dict, *, n_nodes: int, rel_step: float | None = None,
                progress=None) -> dict[str, np.ndarray]:
    """Fig 4's theory (config ``exact.fig4``): the binary logistic ODE for power-law mixtures
    over a grid of mean exponents at several d (the mixtures of one d batched; exponential
    integrator with steps ``max(fig.dt, rel_step t)`` given ``rel_step``, else RK4 of step
    ``fig.dt``), and the closed-form separation ``mu^T (K1+K2)^-1 mu`` against d up to
    ``delta2.d_max``."""
    from hdsgd.data.anisotropic_mixture import power_law_mixture
    from hdsgd.theory.exact_closed_forms import binary_separation

    alphas, scaling = tuple(fig["alphas"]), fig["mean_scaling"]
    betas = np.linspace(fig["betas"]["start"], fig["betas"]["stop"], fig["betas"]["num"])
    dims = np.asarray(fig["d"])
    t = np.geomspace(1.0, fig["t_max"], fig["n_times"])
    risk = np.empty((dims.size, betas.size, t.size))
    for i, d in enumerate(dims):
        mixes = [power_law_mixture(int(d), alphas=alphas, beta=b, mean_scaling=scaling)
                 for b in betas]
        risk[i] = solve_exact_ode(mixes[0], "logistic", [fig["gamma"]], t, dt=fig["dt"],
                                  rel_step=rel_step, n_nodes=n_nodes,
                                  means=np.stack([m.means for m in mixes]))["risk"]
        if progress is not None:
            progress.update(1)
    dd = np.unique(np.geomspace(fig["delta2"]["d_min"], fig["delta2"]["d_max"],
                                fig["delta2"]["num"]).astype(int))
    delta2 = np.array([[binary_separation(m.means[0], *m.eigs)
                        for m in (power_law_mixture(int(d), alphas=alphas, beta=b,
                                                    mean_scaling=scaling) for d in dd)]
                       for b in fig["delta2"]["betas"]])
    return {"d": dims, "betas": betas, "t": t, "risk": risk, "delta2_d": dd, "delta2": delta2}


def scaling_theory(scaling: dict, settings: dict, *, dt: float, n_nodes: int,
                   gamma_scale: float = 1.0, noise_scale: float = 1.0,
                   progress=None) -> dict[str, np.ndarray]:
    """The ODE of every run ``<setting>_d<d>`` of the convergence-in-d figure (config
    ``exact.scaling``; the mixtures of :func:`hdsgd.training.streaming_sgd.scaling_simulation`):
    ``<run>_t`` (T,), ``<run>_mean`` (d,) and ``<run>_risk`` (T,)."""
    from hdsgd.data.anisotropic_mixture import run_data, scaling_runs
    from hdsgd.seeding import rng

    out = {}
    for name, run in scaling_runs(scaling, settings).items():
        data = run_data(run, rng(run["seed"], "mixture"))
        th = solve_exact_ode(DiagonalMixture(data["means"], data["eigs"], data["probs"],
                                             data["labels"]),
                             run["loss"], gamma_scale * np.asarray(run["gammas"]), data["t"],
                             dt=dt, n_nodes=n_nodes, noise_scale=noise_scale)
        out[f"{name}_t"], out[f"{name}_mean"] = data["t"], data["means"][0]
        out[f"{name}_risk"] = th["risk"][0]
        if progress is not None:
            progress.update(1)
    return out
