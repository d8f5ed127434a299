"""Stage (simulation): dense spectra of H_cc and G_cc at the SGD iterates, fresh test data."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.gmm import uniform_mixture
    from hdsgd.observables.empirical_spectra import block_weights, overlaps, spectra, weighted_gram
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.gram_quadrature import gram_matrix

    c, tr = snakemake.params.common, snakemake.params.training
    k, d, blk = c["k"], tr["d"], c["block"]
    st = load_stage(snakemake.input.sgd)
    xs, means = st["iterates"], st["means"]
    n_t, S = xs.shape[:2]
    mix = uniform_mixture(k, d, c["lam"], c["mean_spacing"])
    n_test = int(round(c["phi"] * d))
    gen = rng(c["seed"], "geometry-test")
    eig = np.empty((n_t, S, 2, d))
    ov = np.empty((n_t, S, 2, k))
    gram = np.empty((n_t, S, 2 * k, 2 * k))
    prog = Progress(n_t * S, "test-data spectra")
    for i in range(n_t):
        for s in range(S):
            x = xs[i, s]
            labels, Y = mix.sample(n_test, gen)
            mats = np.stack([weighted_gram(Y, block_weights(x, labels, Y, blk, kind))
                             for kind in ("hessian", "g")])
            val, vec = spectra(mats, k)
            eig[i, s] = val
            ov[i, s] = [overlaps(vec[j], means[blk:blk + 1])[:, 0] for j in range(2)]
            gram[i, s] = gram_matrix(x, means)
            prog.update(1)
    save_stage(snakemake.output[0], {"times": st["times"], "eigenvalues": eig,
                                     "overlaps_top": ov, "gram": gram},
               params={**c, **tr, "n_test": n_test}, seed=c["seed"], inputs=[snakemake.input.sgd])
