"""Top-k eigenspaces of all 2k Hessian/G blocks along SGD at lambda = 10 and 5: the pipeline's
solver against its previous G tolerance and against dense eigh.

Paper scale by default (d = 1000, k = 10, test set 50 d) and the pipeline's own checkpoints
(config alignment.runs.gmm.checkpoints: t = 0, log-spaced to 2, then every 2.5 up to 50),
including the cold start and the early checkpoints, for the paper's lambda = 10 and for
lambda = 5 (smaller spectral gaps: the weaker Hessian outliers merge into the bulk). For every
checkpoint of a real online SGD trajectory the pipeline's path
(hdsgd.observables.spectra.block_spectra_along_trajectory: batched soft-locking LOBPCG,
warm-started, relative residual 1e-4 for every H and G block (config alignment.spectra), the
threaded weighted-Gram operator) is timed in CPU seconds, with its column products; the same
solve with the previous G tolerance 3e-5 runs beside it. At the checkpoints ``--dense-at``
(the early ones, where the G alignments are most sensitive, and a few later) every d x d block
is formed (O(M d^2) each) and diagonalised by numpy.linalg.eigh, and the largest difference of
the plotted alignments ||Q^T x^c|| / ||x^c|| is printed (required: <= 1e-3). Ratios: previous
tolerance / pipeline, dense / solver (per compared checkpoint) and the solver's cost at
lambda = 5 over lambda = 10 (required: <= 1.5).
Usage: python benchmarks/bench_gmm_spectra.py [--d 1000] [--lams 10 5] [--threads 1] [--quick]
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


def solve(xs, labels, Y, means, args, tol_g: float) -> dict:
    """The observables stage's solve along the checkpoints ``xs`` (config alignment.spectra)."""
    k = xs.shape[1]
    n_check = np.full(2 * k, k)
    n_check[0] += 2
    tol = np.repeat([args.tol_hessian, tol_g], k)
    X0 = initial_block(means, 2 * k, args.n_eig, rng(0, "eigensolver-start"))
    return block_spectra_along_trajectory(
        xs, labels, Y, X0, beta=0.01, n_check=n_check, tol=tol, maxiter=300,
        dtype=np.float32, threads=args.threads, bulk_blocks=[k], means=means)


def one_lambda(lam: float, args) -> tuple[float, int]:
    """Benchmark at one lambda; returns the pipeline solver's CPU seconds and column products."""
    d, k = args.d, args.k
    mix = uniform_mixture(k, d, lam, 50 if d >= 50 * k else d // (2 * k))
    labels, Y = mix.sample(int(args.test_factor * d), rng(0, "test"), dtype=np.float32)
    times = checkpoint_times(args.t_max, t_min=0.1, t_switch=2.0, n_log=5,
                             n_linear=args.n_linear)
    x0 = rng(0, "init").standard_normal((1, k, d)) / np.sqrt(d)
    xs = run_online_sgd(mix, x0, beta=0.01, delta=1 / d, steps=checkpoint_steps(times, 1 / d),
                        rng=rng(0, "sgd"), progress_label=None)[:, 0]
    print(f"lambda = {lam:g}: d={d} k={k} M={Y.shape[0]} blocks={2 * k} n_eig={args.n_eig} "
          f"tol H {args.tol_hessian:g} G {args.tol_g:g} (previous G {args.tol_g_previous:g}), "
          f"{len(times)} checkpoints, threads {args.threads}", flush=True)
    out = solve(xs, labels, Y, mix.means, args, args.tol_g)
    prev = solve(xs, labels, Y, mix.means, args, args.tol_g_previous)
    compare = {i % len(times) for i in args.dense_at}
    t_solver = t_dense = worst = worst_prev = 0.0
    for i, x in enumerate(xs):
        line = (f"t={times[i]:6.2f}: solver {out['cpu_seconds'][i]:6.2f} CPU-s, "
                f"{out['column_applies'][i]:5d} column products (previous tolerance "
                f"{prev['column_applies'][i]:5d})")
        if i in compare:
            c1 = time.process_time()
            ops = SoftmaxCurvatureBlocks(x, labels, Y.astype(np.float64), 0.01)
            w, V = np.linalg.eigh(ops.dense())
            dt = time.process_time() - c1
            a_ref = alignment(np.concatenate([x, x]), V[:, :, ::-1][:, :, :k])
            dal = np.abs(np.concatenate([out["h_alignment"][i], out["g_alignment"][i]]) - a_ref)
            dprev = np.abs(np.concatenate([prev["h_alignment"][i], prev["g_alignment"][i]])
                           - a_ref)
            worst, worst_prev = max(worst, dal.max()), max(worst_prev, dprev.max())
            t_solver += out["cpu_seconds"][i]
            t_dense += dt
            line += (f" | dense {dt:6.2f} CPU-s, max alignment difference H {dal[:k].max():.1e}"
                     f" G {dal[k:].max():.1e} (previous tolerance {dprev.max():.1e})")
        print(line, flush=True)
    cpu, cols = out["cpu_seconds"].sum(), int(out["column_applies"].sum())
    print(f"lambda = {lam:g}, all {len(times)} checkpoints: {cpu:.1f} CPU-s, {cols} column "
          f"products (previous G tolerance {prev['cpu_seconds'].sum():.1f} CPU-s, "
          f"{prev['column_applies'].sum()}); max alignment difference vs dense eigh "
          f"{worst:.1e} (previous G tolerance {worst_prev:.1e}, required <= 1e-3)")
    ratio(f"k-GMM spectra, lambda = {lam:g}, d = {d}: G tolerance {args.tol_g_previous:g} vs "
          f"{args.tol_g:g} (CPU time)", prev["cpu_seconds"].sum(), cpu)
    ratio(f"k-GMM spectra, lambda = {lam:g}, d = {d}, {2 * k} blocks: dense eigh vs "
          "warm-started batched LOBPCG (compared checkpoints, CPU time)", t_dense, t_solver)
    return cpu, cols


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--lams", type=float, nargs="+", default=[10.0, 5.0])
    ap.add_argument("--test-factor", type=float, default=50)
    ap.add_argument("--t-max", type=float, default=50.0)
    ap.add_argument("--n-linear", type=int, default=20)
    ap.add_argument("--n-eig", type=int, default=15)
    ap.add_argument("--tol-hessian", type=float, default=1e-4)
    ap.add_argument("--tol-g", type=float, default=1e-4)
    ap.add_argument("--tol-g-previous", type=float, default=3e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dense-at", type=int, nargs="+", default=[0, 1, 2, 3, 5, 15, -1],
                    help="checkpoint indices compared with dense eigh (-1: the last)")
    args = quick_args(ap, d=300, k=5, t_max=10.0, n_linear=5)
    cost = {lam: one_lambda(lam, args) for lam in args.lams}
    if {10.0, 5.0} <= cost.keys():
        (c10, n10), (c5, n5) = cost[10.0], cost[5.0]
        print(f"lambda = 5 over lambda = 10: {c5 / c10:.2f}x CPU, {n5 / n10:.2f}x column "
              "products (required <= 1.5)")
        ratio(f"k-GMM spectra, d = {args.d}: solver cost at lambda = 5 vs lambda = 10 "
              "(CPU time; required <= 1.5x)", c5, c10)


if __name__ == "__main__":
    main()
