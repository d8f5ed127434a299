"""Stage (theory): effective dynamics of the Gram matrix of (x, mu) from x = 0."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import gram_from_summary, training_checkpoints
    from hdsgd.theory.gmm_effective_dynamics import GMMDynamicsParams, solve_effective_dynamics

    c, tr, o = snakemake.params.common, snakemake.params.training, snakemake.params.ode
    k = c["k"]
    _, times = training_checkpoints(tr["t_max"], tr["n_times"], tr["hist_times"],
                                    c["c_delta"] / tr["d"])
    params = GMMDynamicsParams.orthonormal(k, c["lam"], c["beta"], c["c_delta"])
    sol = solve_effective_dynamics(times, params, m0=np.zeros((k, k)), R0=np.zeros((k, k)),
                                   dt=o["dt"], n_mc=o["n_mc"], seed=c["seed"])
    gram = np.stack([gram_from_summary(m, Q, np.eye(k)) for m, Q in zip(sol.m, sol.Q)])
    print(f"ODE solved at {times.size} times up to t = {times[-1]:g}")
    save_stage(snakemake.output[0], {"times": times, "m": sol.m, "Q": sol.Q, "gram": gram},
               params={**c, **tr, **o}, seed=c["seed"])
