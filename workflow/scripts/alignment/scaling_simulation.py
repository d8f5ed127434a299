"""Stage (simulation): independent online-SGD runs of the k-GMM at every size d, their summary
statistics (x^c . mu_a, x^c . x^c') at the claim times and their test accuracy."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import save_stage
    from hdsgd.theory.gmm_effective_dynamics import (
        GMMDynamicsParams,
        antithetic_normals,
        population_accuracy,
    )
    from hdsgd.training.gmm_size_sweep import size_sweep_statistics

    model, sweep, times_cfg = snakemake.params.model, snakemake.params.sweep, snakemake.params.times
    acc_cfg = snakemake.params.accuracy
    times = np.linspace(0.0, times_cfg["t_max"], times_cfg["n_times"] + 1)
    stats = size_sweep_statistics(
        sweep["sizes"], k=model["k"], lam=model["lam"], beta=model["beta"],
        c_delta=model["c_delta"], mean_spacing=sweep["mean_spacing"], runs=sweep["runs"],
        times=times, seed=sweep["seed"])
    # the test accuracy of each run on an infinite test set: a function of (m, Q) (Gaussian
    # logits), with the same normals as the theory stage's
    params = GMMDynamicsParams.orthonormal(model["k"], model["lam"], model["beta"],
                                           model["c_delta"])
    normals = antithetic_normals(model["k"] - 1, acc_cfg["n_mc"], acc_cfg["seed"])
    accuracy = np.stack([population_accuracy(m, Q, params, normals)
                         for m, Q in zip(stats["m"], stats["Q"])])
    for d, a in zip(sweep["sizes"], accuracy):
        print(f"d = {d}: test accuracy at t = {times[-1]:g}: {a[-1].mean():.4f} "
              f"(spread over runs {a[-1].std():.4f})")
    save_stage(snakemake.output[0],
               {"sizes": np.asarray(sweep["sizes"]), "times": times, **stats,
                "accuracy": accuracy},
               seed=sweep["seed"])
