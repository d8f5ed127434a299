"""Stage (theory): effective-dynamics ODE of (m, R), the predicted bulk edges of H_11 and G_11
and the predicted test accuracy."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.gmm_effective_dynamics import (
        GMMDynamicsParams,
        bulk_edge_track,
        predicted_accuracy,
        solve_effective_dynamics,
        summary_statistics,
    )
    from hdsgd.training.online_sgd import checkpoint_times

    p, th = snakemake.params.run, snakemake.params.theory
    data = load_stage(snakemake.input.data)  # the model's means and class probabilities only
    means, k, d = data["means"], p["k"], p["d"]
    # E|Z_perp|^2 = (d - k) / lam at finite d: the c_delta correction uses that exact factor
    params = GMMDynamicsParams(gram=means @ means.T, p=data["probs"], lam=p["lam"],
                               beta=p["beta"], c_delta=p["c_delta"] * (d - k) / d)
    times = np.union1d(np.linspace(0.0, p["t_max"], th["n_times"]),
                       checkpoint_times(p["t_max"], **p["checkpoints"]))
    if th["init"] == "sgd_start":  # the run's own x_0 (no SGD step is used)
        m0, R0 = summary_statistics(load_stage(snakemake.input.simulation)["x"][0], means)
    else:  # "limit": d -> infinity limit of x_0 ~ N(0, I_d / d)
        m0, R0 = None, None
    sol = solve_effective_dynamics(times, params, m0=m0, R0=R0, dt=th["dt"], n_mc=th["n_mc"],
                                   seed=th["seed"])
    # bulk lives on the complement of span(mu, x): dimension d - 2k, test-set size M~
    gamma = (d - 2 * k) / int(round(p["test_factor"] * d))
    edges = {kind: bulk_edge_track(sol, params, 0, kind, gamma, n_mc=th["n_mc"],
                                   seed=th["seed"] + 1) for kind in ("hessian", "g")}
    accuracy = predicted_accuracy(sol, params, n_mc=th["n_mc"], seed=th["seed"] + 2)
    print(f"ODE at t = {times[-1]:g}: predicted test accuracy {accuracy[-1]:.4f}")
    print(f"ODE at t = {times[-1]:g}: m_11 = {sol.m[-1, 0, 0]:.4f}, "
          f"mean_a m_1a (a != 1) = {sol.m[-1, 0, 1:].mean():.4f}, |x^1| = {sol.norms[-1, 0]:.4f}")
    print(f"bulk edge H_11: {edges['hessian'][0]:.5f} -> {edges['hessian'][-1]:.5f}; "
          f"G_11: {edges['g'][0]:.5f} -> {edges['g'][-1]:.5f}")
    save_stage(snakemake.output[0],
               {"times": sol.t, "m": sol.m, "R": sol.R, "Q": sol.Q,
                "edge_h11": edges["hessian"], "edge_g11": edges["g"],
                "accuracy": accuracy},
               seed=th["seed"],
               inputs=[snakemake.input.data, snakemake.input.simulation])
