"""Stage: the mixture of one run (means, covariance spectra, labels) and its recorded times."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.anisotropic_mixture import (
        isotropic_mixture,
        power_law_mixture,
        random_many_class_mixture,
        zero_one_mixture,
    )
    from hdsgd.observables.sgd_vs_ode import geometric_times
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage

    p = snakemake.params.run
    d, gen = p["d"], rng(p["seed"], "mixture")
    family = p["family"]
    if family == "isotropic":
        mix = isotropic_mixture(d, gen, sigma=p["sigma"], mean_norm=p["mean_norm"])
    elif family == "zero_one":
        mix = zero_one_mixture(d, gen, rho0=p["rho0"], clean_mass=p["clean_mass"],
                               mean_norm=p["mean_norm"])
    elif family == "power_law":
        mix = power_law_mixture(d, alphas=tuple(p["alphas"]), beta=p["beta"],
                                mean_norm=p["mean_norm"])
    else:
        mix = random_many_class_mixture(d, p["n_classes"], gen, zero_fraction=p["zero_fraction"],
                                        eig_range=tuple(p["eig_range"]), mean_norm=p["mean_norm"])
    clean = mix.clean if mix.clean is not None else np.zeros(d, dtype=bool)
    # probe: the class-0 mean projected on the clean directions (zero vector if none)
    probe = np.where(clean, mix.means[0], 0.0)[None]
    t = geometric_times(p["t_min"], p["t_max"], p["n_times"], d)
    print(f"{family}: d={d}, classes={mix.n_classes}, "
          f"||mu_0||^2={mix.means[0] @ mix.means[0]:.4f}, "
          f"{t.size} recorded times in [{t[0]:.3g}, {t[-1]:.3g}]")
    save_stage(snakemake.output[0],
               {"means": mix.means, "eigs": mix.eigs, "probs": mix.probs, "labels": mix.labels,
                "clean": clean, "probes": probe, "t": t},
               params=p, seed=p["seed"])
