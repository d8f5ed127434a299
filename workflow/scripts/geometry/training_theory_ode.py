"""Stage (theory): effective dynamics of the Gram matrix of (x, mu) for one run.

Evaluated at the run's SGD checkpoints and on a dense grid (step ode.dt), on which the theory
stage refines the times where outliers appear or merge.
"""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import (
        MixtureModel,
        gram_along_dynamics,
        training_checkpoints,
    )

    c, run, o = snakemake.params.common, snakemake.params.run, snakemake.params.ode
    tm = run["times"]
    _, times = training_checkpoints(tm["t_max"], tm["n_times"],
                                    tm["extra"] + run["full_spectrum_times"],
                                    c["c_delta"] / run["d"])
    dense = np.linspace(0.0, tm["t_max"], int(round(tm["t_max"] / o["dt"])) + 1)
    grid = np.union1d(times, dense)
    model = MixtureModel.from_config(run, c["beta"], c["c_delta"])
    gram, m, Q = gram_along_dynamics(grid, model, dt=o["dt"], n_gh=o["n_gh"])
    at = np.searchsorted(grid, times)
    print(f"ODE solved on {grid.size} times up to t = {grid[-1]:g}")
    save_stage(snakemake.output[0], {"times": times, "gram": gram[at], "m": m[at], "Q": Q[at],
                                     "dense_times": grid, "dense_gram": gram},
               seed=c["seed"])
