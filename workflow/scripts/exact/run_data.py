"""Stage (data): the mixture of one run (means, spectra, probabilities, labels) and its times."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.data.anisotropic_mixture import run_data
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage

    p = snakemake.params.run
    data = run_data(p, rng(p["seed"], "mixture"))
    t, mu = data["t"], data["means"][0]
    print(f"{p['family']}: d={p['d']}, classes={len(data['probs'])}, ||mu_0||^2={mu @ mu:.4f}, "
          f"{t.size} recorded times in [0, {t[-1]:.3g}]")
    save_stage(snakemake.output[0], data, seed=p["seed"])
