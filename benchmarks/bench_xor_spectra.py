"""XOR first-layer block spectra: batched over hidden units vs per-unit paths, side by side.

1. One application of all K blocks H_{W_iW_i} to a (K, d, p) block (two (M x d) x (d x Kp)
   products) vs K separate per-unit applications (2K products of width p).
2. Top-p eigenpairs of all K Hessian blocks: the batched warm-startable LOBPCG
   (hdsgd.observables.eigensolvers) vs a Python loop of K ARPACK Lanczos solves
   (scipy.sparse.linalg.eigsh on a matrix-free LinearOperator), and vs forming each d x d block
   densely (M d^2 flops) and calling eigh; cold start, then warm-started at a nearby point as
   along training (the spectra stage's use).
Prints the times and ratios measured in this run (and the eigenvalue agreement).
Usage: python benchmarks/bench_xor_spectra.py [--d 1000] [--K 20] [--test-factor 20] [--p 6]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import quick_args, ratio
from scipy.sparse.linalg import LinearOperator, eigsh

from hdsgd.data.xor import XorMixture
from hdsgd.observables.block_operators import XorBlockOperators
from hdsgd.observables.eigensolvers import top_eigenpairs


def timed(fn, repeat=1):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--K", type=int, default=20)
    ap.add_argument("--test-factor", type=int, default=20)
    ap.add_argument("--p", type=int, default=6)
    ap.add_argument("--n-check", type=int, default=2)
    args = quick_args(ap, d=400, K=20, test_factor=10)
    d, K, p = args.d, args.K, args.p
    rng = np.random.default_rng(0)
    mix = XorMixture(d, 10.0)
    hidden, y, Y = mix.sample(args.test_factor * d, rng)
    # a mid-training-like point: rows partly along +-mu, +-nu, O(1) second layer
    W = 0.8 * mix.hidden_means[np.arange(K) % 4] + rng.standard_normal((K, d)) / np.sqrt(d)
    v = rng.standard_normal(K)
    ops = XorBlockOperators(W, v, y, Y, 0.01)
    V = rng.standard_normal((K, d, p))
    print(f"d = {d}, K = {K}, test set M = {Y.shape[0]}, p = {p}, float64")

    # 1. operator application
    t_b, AV = timed(lambda: ops.hessian_first_layer(V), repeat=3)

    def per_unit():
        out = np.empty_like(V)
        for i in range(K):
            U = Y @ V[i]
            out[i] = Y.T @ (ops.hess_weights[:, i:i + 1] * U) / ops.M + ops.beta * V[i]
        return out

    t_l, AV2 = timed(per_unit, repeat=3)
    print(f"[apply] batched {t_b:.3f} s, per-unit loop {t_l:.3f} s, ratio {t_l / t_b:.2f}x, "
          f"max diff {np.abs(AV - AV2).max():.1e}")
    ratio(f"XOR first-layer blocks, K = {K}: per-unit apply vs batched", t_l, t_b)

    # 2. top eigenpairs of all K blocks
    X0 = np.linalg.qr(rng.standard_normal((K, d, p)))[0]
    # the K Hessian blocks are problems 0..K-1 of the column operator (K..2K-1: G blocks)
    t_lobpcg, res = timed(lambda: top_eigenpairs(ops.first_layer_columns, X0, tol=1e-4,
                                                 maxiter=500, n_check=args.n_check))

    def lanczos_loop():
        vals = np.empty((K, args.n_check))
        for i in range(K):
            w_i = ops.hess_weights[:, i]

            def mv(x, w_i=w_i):
                return Y.T @ (w_i * (Y @ x.ravel())) / ops.M + ops.beta * x.ravel()

            op = LinearOperator((d, d), matvec=mv, dtype=np.float64)
            vals[i] = np.sort(eigsh(op, k=args.n_check, which="LA", tol=1e-4,
                                    v0=X0[i, :, 0])[0])[::-1]
        return vals

    t_lz, lz_vals = timed(lanczos_loop)
    kd = min(K, 4)   # dense formation is slow: time 4 units and scale to K

    def dense_loop():
        vals = np.empty((kd, args.n_check))
        for i in range(kd):
            H = (Y * ops.hess_weights[:, i:i + 1]).T @ Y / ops.M + ops.beta * np.eye(d)
            vals[i] = np.linalg.eigvalsh(H)[::-1][:args.n_check]
        return vals

    t_dense, dense_vals = timed(dense_loop)
    t_dense *= K / kd
    gap_lz = np.abs(res.values[:, :args.n_check] - lz_vals).max() / lz_vals.max()
    gap_dn = np.abs(res.values[:kd, :args.n_check] - dense_vals).max() / dense_vals.max()
    print(f"[eig] batched LOBPCG {t_lobpcg:.2f} s ({res.iterations.max()} iterations, "
          f"{res.column_applies} column products, cold start), "
          f"K x eigsh loop {t_lz:.2f} s, dense formation + eigh {t_dense:.2f} s (K/{kd} scaled)")
    print(f"[eig] ratio eigsh-loop / batched {t_lz / t_lobpcg:.2f}x, dense / batched "
          f"{t_dense / t_lobpcg:.2f}x; relative eigenvalue gaps vs eigsh {gap_lz:.1e}, "
          f"vs dense {gap_dn:.1e}")
    ratio(f"XOR top eigenpairs, K = {K}: eigsh loop vs batched LOBPCG", t_lz, t_lobpcg)
    ratio(f"XOR top eigenpairs, K = {K}: dense eigh vs batched LOBPCG", t_dense, t_lobpcg)

    # 3. along training: the next checkpoint's blocks, LOBPCG warm-started from these vectors
    W2 = W + 0.05 * rng.standard_normal(W.shape) / np.sqrt(d)
    ops2 = XorBlockOperators(W2, v, y, Y, 0.01)
    t_warm, res2 = timed(lambda: top_eigenpairs(ops2.first_layer_columns, res.vectors,
                                                tol=1e-4, maxiter=500, n_check=args.n_check))
    print(f"[eig, next checkpoint] warm-started batched LOBPCG {t_warm:.2f} s "
          f"({res2.iterations.max()} iterations): ratio eigsh-loop / warm batched "
          f"{t_lz / t_warm:.2f}x, dense / warm batched {t_dense / t_warm:.2f}x")
    ratio(f"XOR next checkpoint, K = {K}: eigsh loop vs warm batched LOBPCG", t_lz, t_warm)


if __name__ == "__main__":
    main()
