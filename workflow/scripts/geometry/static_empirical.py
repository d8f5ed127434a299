"""Stage (simulation): dense spectra of H_cc and G_cc at x = 0 along a sweep of lam or phi."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.gmm import uniform_mixture
    from hdsgd.observables.empirical_spectra import (
        block_weights,
        overlaps,
        top_spectrum,
        weighted_gram,
    )
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import save_stage

    c, sw = snakemake.params.common, snakemake.params.sweep
    k, d, blk = c["k"], sw["d"], c["block"]
    values = np.linspace(**sw["values"])
    gen = rng(c["seed"], f"geometry-static-{sw['param']}")
    x = np.zeros((k, d))
    n_top, S = k + 3, sw["seeds"]
    top = np.empty((values.size, S, 2, n_top))
    ov = np.empty((values.size, S, 2, k))
    prog = Progress(values.size * S, f"sweep over {sw['param']}")
    for i, v in enumerate(values):
        par = {"lam": sw["lam"], "phi": sw["phi"], sw["param"]: v}
        mix = uniform_mixture(k, d, par["lam"], c["mean_spacing"])
        for s in range(S):
            labels, Y = mix.sample(int(round(par["phi"] * d)), gen)
            mats = np.stack([weighted_gram(Y, block_weights(x, labels, Y, blk, kind))
                             for kind in ("hessian", "g")])
            val, vec = top_spectrum(mats, n_top)
            top[i, s] = val
            ov[i, s] = [overlaps(vec[j, :, :k], mix.means[blk:blk + 1])[:, 0] for j in range(2)]
            prog.update(1)
    save_stage(snakemake.output[0], {"values": values, "top": top, "overlaps_top": ov},
               params={**c, **sw}, seed=c["seed"])
