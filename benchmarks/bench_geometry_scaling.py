"""Whole spectrum of a Hessian block for the convergence-in-d figure (geometry_scaling), side by
side on one test sample (n = 2d, the trained iterate's weights):

1. ``block_eigenvalues``: the block formed in single precision by one SYRK, eigenvalues from
   LAPACK's eigenvalue-only driver, vs the double-precision GEMM + ``numpy.linalg.eigvalsh``
   (the path of ``empirical_spectra.block_spectra(full=True)``); prints the largest eigenvalue
   difference relative to the largest eigenvalue and the change of the Kolmogorov distance.
2. The law of a sample's own weights (``checks.geometry_scaling.sample_law_cdf``): 300 weight
   bins and 400 CDF points (the pipeline's) vs 2000 bins and 3000 points.
CPU seconds (``time.process_time``), one BLAS thread as the workflow's rules:
OPENBLAS_NUM_THREADS=1 python benchmarks/bench_geometry_scaling.py [--quick]
"""

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.checks.geometry_scaling import sample_law_cdf
from hdsgd.observables.block_eigenvalues import block_eigenvalues
from hdsgd.observables.empirical_spectra import block_weights, kolmogorov_distance, weighted_gram
from hdsgd.training.geometry_runs import run_mixture

RUN = {"k": 3, "label_map": [0, 1, 2], "p": [1, 1, 1], "lam": 10.0, "phi": 2.0, "init": "zero"}


def cpu(f):
    t0 = time.process_time()
    out = f()
    return time.process_time() - t0, out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--d", type=int, default=4000, help="dimension (n = 2 d test points)")
    args = quick_args(parser, d=1000)
    d = args.d
    gen = np.random.default_rng(0)
    mix = run_mixture({**RUN, "d": d}, 50)
    x = np.zeros((3, d))                      # a trained-like iterate: m = 1.28 on the diagonal
    x[:, 49::50][:, :3] = 1.9 * np.eye(3) - 0.64
    labels, Y = mix.sample(2 * d, gen)
    classes = mix.classes(labels)
    t_ref, ref = cpu(lambda: np.linalg.eigvalsh(
        weighted_gram(Y, block_weights(x, classes, Y, 0, "hessian"))))
    t_fast, (eigs, w) = cpu(lambda: block_eigenvalues(x, classes, Y, 0, "hessian"))
    law = sample_law_cdf(w, RUN["lam"], RUN["phi"], n_bins=300, n_grid=400)
    print(f"d = {d}: largest eigenvalue difference / largest eigenvalue "
          f"{np.max(np.abs(eigs - ref)) / ref.max():.1e}; Kolmogorov distance "
          f"{kolmogorov_distance(ref, law):.6f} (float64) vs {kolmogorov_distance(eigs, law):.6f}")
    ratio(f"whole Hessian-block spectrum, d = {d}: float64 GEMM + numpy eigvalsh vs float32 "
          "SYRK + LAPACK syev", t_ref, t_fast)
    t_fine, fine = cpu(lambda: sample_law_cdf(w, RUN["lam"], RUN["phi"], n_bins=2000,
                                              n_grid=3000))
    t_law, coarse = cpu(lambda: sample_law_cdf(w, RUN["lam"], RUN["phi"], n_bins=300,
                                               n_grid=400))
    print(f"Kolmogorov distance to the sample's own law: {kolmogorov_distance(eigs, fine):.6f} "
          f"(2000 bins, 3000 points) vs {kolmogorov_distance(eigs, coarse):.6f}")
    ratio("law of the sample's own weights: 2000 bins / 3000 points vs 300 / 400", t_fine, t_law)


if __name__ == "__main__":
    main()
