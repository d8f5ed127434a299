"""Stage (observables): top eigenpairs of H_cc and G_cc at x = 0 along a sweep of lam or phi,
several independent test samples per value."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.gmm import uniform_mixture
    from hdsgd.observables.empirical_spectra import block_spectra
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage

    c, sw = snakemake.params.common, snakemake.params.sweep
    k, d = sw["k"], sw["d"]
    values = np.linspace(**sw["values"])
    gen = rng(c["seed"], f"geometry-static-{sw['param']}")
    x = np.zeros((k, d))
    n_top, S = k + 3, sw["seeds"]
    kinds = ("hessian", "g")
    top = np.empty((values.size, S, 2, n_top))
    ov = np.empty((values.size, S, 2, n_top, k))
    prog = Progress(values.size * S, f"sweep over {sw['param']}")
    for i, v in enumerate(values):
        par = {"lam": sw["lam"], "phi": sw["phi"], sw["param"]: v}
        mix = uniform_mixture(k, d, par["lam"], c["mean_spacing"])
        for s in range(S):
            labels, Y = mix.sample(int(round(par["phi"] * d)), gen)
            r = block_spectra(x, labels, Y, mix.means, c["block"], kinds, n_top)
            top[i, s], ov[i, s] = r["values"], r["overlaps"]
            prog.update(1)
    save_stage(snakemake.output[0], {"values": values, "top": top, "overlaps": ov},
               seed=c["seed"])
