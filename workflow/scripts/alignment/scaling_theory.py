"""Stage (theory): the d -> infinity effective-dynamics ODE of the summary statistics (from its
limit start m = 0, R = I), the test accuracy it implies, and a replica solve with independent
Monte Carlo numbers (the ODE's own error)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.theory.gmm_effective_dynamics import (
        GMMDynamicsParams,
        antithetic_normals,
        population_accuracy,
        solve_effective_dynamics,
    )

    model, times_cfg = snakemake.params.model, snakemake.params.times
    ode, acc_cfg = snakemake.params.ode, snakemake.params.accuracy
    times = np.linspace(0.0, times_cfg["t_max"], times_cfg["n_times"] + 1)
    params = GMMDynamicsParams.orthonormal(model["k"], model["lam"], model["beta"],
                                           model["c_delta"])
    normals = antithetic_normals(model["k"] - 1, acc_cfg["n_mc"], acc_cfg["seed"])
    arrays = {"times": times}
    for name, seed in (("", ode["seed"]), ("replica_", ode["seed"] + 1)):
        sol = solve_effective_dynamics(times, params, dt=ode["dt"], n_mc=ode["n_mc"], seed=seed)
        arrays.update({f"{name}m": sol.m, f"{name}Q": sol.Q,
                       f"{name}accuracy": population_accuracy(sol.m, sol.Q, params, normals)})
    print(f"ODE at t = {times[-1]:g}: m_11 = {arrays['m'][-1, 0, 0]:.4f}, "
          f"|x^1|^2 = {arrays['Q'][-1, 0, 0]:.4f}, accuracy {arrays['accuracy'][-1]:.4f}; "
          f"replica m_11 = {arrays['replica_m'][-1, 0, 0]:.4f}")
    save_stage(snakemake.output[0], arrays, seed=ode["seed"])
