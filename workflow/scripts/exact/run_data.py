"""Stage (data): the mixture of one run (means, spectra, probabilities, labels) and its times."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.anisotropic_mixture import mixture_from_config
    from hdsgd.observables.sgd_vs_ode import geometric_times
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage

    p = snakemake.params.run
    d = p["d"]
    mix = mixture_from_config(p, rng(p["seed"], "mixture"))
    clean = mix.clean if mix.clean is not None else np.zeros(d, dtype=bool)
    # probe: the class-0 mean projected on the clean directions (zero vector if none)
    probe = np.where(clean, mix.means[0], 0.0)[None]
    t = np.concatenate([[0.0], geometric_times(p["t_min"], p["t_max"], p["n_times"], d)])
    print(f"{p['family']}: d={d}, classes={mix.n_classes}, "
          f"||mu_0||^2={mix.means[0] @ mix.means[0]:.4f}, "
          f"{t.size} recorded times in [0, {t[-1]:.3g}]")
    save_stage(snakemake.output[0],
               {"means": mix.means, "eigs": mix.eigs, "probs": mix.probs, "labels": mix.labels,
                "clean": clean, "probes": probe, "t": t},
               seed=p["seed"])
