"""Stage (observables): whole spectra of the Hessian block H_cc on fresh test samples
(n = phi d) at every dimension d, at x = 0 and at the SGD iterates at time t (with the test
samples' weights, for the law of the sample's own weights)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.observables.block_eigenvalues import block_eigenvalues
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.geometry_runs import run_mixture

    c, model, s = snakemake.params.common, snakemake.params.model, snakemake.params.sampling
    sims = [load_stage(p) for p in snakemake.input.simulations]
    runs = [sim["iterates"].shape[1] for sim in sims]
    prog = Progress(sum(d**3 * (n0 + r * nt) for d, n0, r, nt
                        in zip(s["sizes"], s["x0_samples"], runs, s["tests_per_run"])),
                    "Hessian spectra (units of d^3)")
    out = {"sizes": np.asarray(s["sizes"])}
    for d, n0, nt, sim in zip(s["sizes"], s["x0_samples"], s["tests_per_run"], sims):
        mix = run_mixture({**model, "d": d}, c["mean_spacing"])
        n = int(round(model["phi"] * d))
        gen = rng(s["seed"], f"geometry-scaling-test-d{d}")

        def spectrum(x, mix=mix, n=n, gen=gen, d=d):
            labels, Y = mix.sample(n, gen)
            prog.update(d**3)
            return block_eigenvalues(x, mix.classes(labels), Y, c["block"], "hessian")

        x0 = np.zeros((mix.n_classes, d))
        out[f"x0_d{d}"] = np.stack([spectrum(x0)[0] for _ in range(n0)])
        ti = int(np.argmin(np.abs(sim["times"] - s["time"])))
        pairs = [[spectrum(x) for _ in range(nt)] for x in sim["iterates"][ti]]
        out[f"train_d{d}"] = np.array([[e for e, _ in p] for p in pairs])
        out[f"weights_d{d}"] = np.array([[w for _, w in p] for p in pairs])
        print(f"d = {d}: {n0} test samples at x = 0, {len(pairs)} SGD runs x {nt} at "
              f"t = {sim['times'][ti]:g}")
    save_stage(snakemake.output[0], out, seed=s["seed"], inputs=list(snakemake.input.simulations))
