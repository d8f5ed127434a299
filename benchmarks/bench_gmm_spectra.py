"""Top-k eigenspaces of all 2k Hessian/G blocks along SGD: the pipeline's solver vs dense eigh.

Paper scale by default (d = 1000, k = 10, test set 50 d) and the pipeline's own checkpoints
(config alignment.runs.gmm.checkpoints: t = 0, log-spaced to 2, then every 2.5 up to 50),
including the cold start and the early checkpoints. For every checkpoint of a real online SGD
trajectory the pipeline's path (hdsgd.observables.spectra.block_spectra_along_trajectory:
batched soft-locking LOBPCG, warm-started, tolerances 1e-4 for H and 3e-5 for G, the threaded
weighted-Gram operator) is timed in CPU seconds, with its LOBPCG iterations and column
products; at every ``--dense-every``-th checkpoint (and the last) every d x d block is formed
(O(M d^2) each) and diagonalised by numpy.linalg.eigh, and the largest difference of the
plotted alignments ||Q^T x^c|| / ||x^c|| is printed. The ratio is dense CPU time / solver CPU
time per compared checkpoint.
Usage: python benchmarks/bench_gmm_spectra.py [--d 1000] [--threads 2] [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.data.gmm import uniform_mixture
from hdsgd.observables.alignment import alignment
from hdsgd.observables.block_operators import SoftmaxCurvatureBlocks
from hdsgd.observables.spectra import block_spectra_along_trajectory, initial_block
from hdsgd.seeding import rng
from hdsgd.training.online_sgd import checkpoint_steps, checkpoint_times, run_online_sgd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--lam", type=float, default=10.0)
    ap.add_argument("--test-factor", type=float, default=50)
    ap.add_argument("--t-max", type=float, default=50.0)
    ap.add_argument("--n-linear", type=int, default=20)
    ap.add_argument("--n-eig", type=int, default=15)
    ap.add_argument("--tol-hessian", type=float, default=1e-4)
    ap.add_argument("--tol-g", type=float, default=3e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dense-every", type=int, default=5)
    args = quick_args(ap, d=300, k=5, t_max=10.0, n_linear=5, dense_every=2)
    d, k = args.d, args.k
    mix = uniform_mixture(k, d, args.lam, 50 if d >= 50 * k else d // (2 * k))
    labels, Y = mix.sample(int(args.test_factor * d), rng(0, "test"), dtype=np.float32)
    times = checkpoint_times(args.t_max, t_min=0.1, t_switch=2.0, n_log=5,
                             n_linear=args.n_linear)
    steps = checkpoint_steps(times, 1 / d)
    x0 = rng(0, "init").standard_normal((1, k, d)) / np.sqrt(d)
    xs = run_online_sgd(mix, x0, beta=0.01, delta=1 / d, steps=steps, rng=rng(0, "sgd"),
                        progress_label=None)[:, 0]
    print(f"d={d} k={k} M={Y.shape[0]} blocks={2 * k} n_eig={args.n_eig} "
          f"tol H {args.tol_hessian:g} G {args.tol_g:g}, {len(times)} checkpoints, "
          f"threads {args.threads}")
    n_check = np.full(2 * k, k)
    n_check[0] += 2
    tol = np.repeat([args.tol_hessian, args.tol_g], k)
    X0 = initial_block(mix.means, 2 * k, args.n_eig, rng(0, "eigensolver-start"))
    w0 = time.perf_counter()
    out = block_spectra_along_trajectory(
        xs, labels, Y, X0, beta=0.01, n_check=n_check, tol=tol, maxiter=300, dtype=np.float32,
        threads=args.threads, bulk_blocks=[k], means=mix.means)
    wall = time.perf_counter() - w0
    compare = set(range(0, len(times), args.dense_every)) | {len(times) - 1}
    t_solver = t_dense = worst = 0.0
    for i, x in enumerate(xs):
        line = (f"t={times[i]:6.2f}: solver {out['cpu_seconds'][i]:6.2f} CPU-s, "
                f"{out['iterations'][i]:3d} iterations, {out['column_applies'][i]:5d} "
                "column products")
        if i in compare:
            c1 = time.process_time()
            ops = SoftmaxCurvatureBlocks(x, labels, Y.astype(np.float64), 0.01)
            w, V = np.linalg.eigh(ops.dense())
            dt = time.process_time() - c1
            xx = np.concatenate([x, x])
            a_ref = alignment(xx, V[:, :, ::-1][:, :, :k])
            a = np.concatenate([out["h_alignment"][i], out["g_alignment"][i]])
            dal = np.abs(a - a_ref)
            worst = max(worst, dal.max())
            t_solver += out["cpu_seconds"][i]
            t_dense += dt
            line += (f" | dense {dt:6.2f} CPU-s, max alignment difference H {dal[:k].max():.1e}"
                     f" G {dal[k:].max():.1e}")
        print(line, flush=True)
    print(f"all {len(times)} checkpoints: {out['cpu_seconds'].sum():.1f} CPU-s ({wall:.1f} s "
          f"wall), {out['column_applies'].sum()} column products, "
          f"{out['iterations'].sum()} LOBPCG iterations; compared checkpoints: max alignment "
          f"difference vs dense eigh {worst:.1e}")
    ratio(f"k-GMM spectra, d = {d}, {2 * k} blocks: dense eigh vs warm-started batched LOBPCG "
          "(compared checkpoints, CPU time)", t_dense, t_solver)


if __name__ == "__main__":
    main()
