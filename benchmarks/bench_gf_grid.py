"""Benchmark: the (alpha, beta) grid of Fig 2 run as one vectorised SGD call versus one
configuration at a time (same code path, G = 1 per call); the engine's cache-blocked in-place
GEMM step versus the plain numpy step (batched matmul, then p *= beta, p -= grad, r += p over
the whole state) on the same batches, for b = 1 and b = 10; batch sampling for b = 1 and
b = 10 (Fig 3's 256-seed runs draw one batch per seed and step) with the O(b) rejection sampler
vs the O(N) uniform-keys sampler; and the SE theory of a 100 x 50 grid.

Run: OMP_NUM_THREADS=1 python benchmarks/bench_gf_grid.py [--n-data 1000] [--steps 200]
Prints wall times measured side by side in this run and their ratios (target >= 10x for the
vectorisation, > 1x for the blocked step; theory of the 100 x 50 grid < 1 s)."""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.data.power_law import power_law_problem
from hdsgd.seeding import rng
from hdsgd.theory.gf_stability import stability_region
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid, sample_batches


def plain_numpy_final_state(gram, r0, alphas, betas, batches, dtype):
    """Reference step: four whole-state numpy passes per step (no blocking, no in-place GEMM)."""
    b = batches.shape[1]
    gram = gram.astype(dtype)
    r = np.broadcast_to(r0.astype(dtype), (alphas.size, r0.size)).copy()
    p, grad = np.zeros_like(r), np.empty_like(r)
    step, mom = (alphas / b).astype(dtype)[:, None], betas.astype(dtype)[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        for idx in batches:
            np.matmul(r[:, idx] * step, gram[idx], out=grad)
            p *= mom
            p -= grad
            r += p
    return r


def keys_sampler(gen, n_data, batch_size, n_steps):
    """Reference sampler: the b smallest of N uniform keys per row (O(N) per batch)."""
    keys = gen.random((n_steps, n_data))
    return np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size]


def sampling_times(n_data, batch_size, n_seeds=256, n_steps=256):
    times = []
    for sampler in (keys_sampler, sample_batches):
        gen = np.random.default_rng(0)
        t0 = time.perf_counter()
        for _ in range(n_seeds):
            sampler(gen, n_data, batch_size, n_steps)
        times.append(time.perf_counter() - t0)
    return times


def blocked_vs_plain(prob, a_grid, b_grid, batch_size, steps):
    """Same batches, same grid: final losses must agree; returns the two wall times."""
    batches = sample_batches(rng(0, "gf-batches"), prob.r0.size, batch_size, steps)
    t0 = time.perf_counter()
    r = plain_numpy_final_state(prob.gram, prob.r0, a_grid, b_grid, batches, np.float32)
    t_plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = minibatch_sgd_grid(prob.gram, prob.r0, a_grid, b_grid, batch_size=batch_size,
                             n_steps=steps, seeds=[0], record_steps=[steps], chunk=steps,
                             diverge_factor=np.inf, dtype=np.float32)
    t_blocked = time.perf_counter() - t0
    plain_loss = np.einsum("gn,gn->g", r, r, dtype=np.float64) / (2 * r.shape[1])
    ok = np.isfinite(plain_loss)
    gap = np.max(np.abs(res.losses[0, ok, 0] / plain_loss[ok] - 1))
    return t_plain, t_blocked, gap


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-data", type=int, default=1000)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--n-alpha", type=int, default=100)
    ap.add_argument("--n-beta", type=int, default=50)
    ap.add_argument("--loop-configs", type=int, default=100,
                    help="configurations timed one at a time (the rest extrapolated linearly)")
    args = quick_args(ap, n_data=400, steps=50, n_alpha=40, n_beta=20, loop_configs=20)
    prob = power_law_problem(args.n_data, 1.5, 1.0, seed=0)
    alphas = np.linspace(0, 1.2, args.n_alpha + 1)[1:]
    betas = np.linspace(-0.98, 0.98, args.n_beta)
    a_grid, b_grid = (g.ravel() for g in np.meshgrid(alphas, betas))
    kw = dict(batch_size=1, n_steps=args.steps, seeds=[0], record_steps=[0, args.steps],
              dtype=np.float32)

    t0 = time.perf_counter()
    minibatch_sgd_grid(prob.gram, prob.r0, a_grid, b_grid, **kw)
    t_grid = time.perf_counter() - t0

    pick = np.linspace(0, a_grid.size - 1, args.loop_configs).astype(int)
    t0 = time.perf_counter()
    for g in pick:
        minibatch_sgd_grid(prob.gram, prob.r0, a_grid[g:g + 1], b_grid[g:g + 1], **kw)
    t_loop = (time.perf_counter() - t0) * a_grid.size / pick.size

    blocked = {b: blocked_vs_plain(prob, a_grid, b_grid, b, args.steps) for b in (1, 10)}

    sampling = {b: sampling_times(args.n_data, b) for b in (1, 10)}

    lam = prob.eigvals
    t0 = time.perf_counter()
    stability_region(lam, alphas, betas, batch_size=1, n_data=args.n_data, tau1=1.0, tau2=-1.0)
    t_theory = time.perf_counter() - t0

    n_cfg = a_grid.size
    print(f"SGD on a {args.n_alpha} x {args.n_beta} (alpha, beta) grid, N = {args.n_data}, "
          f"{args.steps} steps, b = 1")
    print(f"  vectorised (one call, {n_cfg} configurations): {t_grid:8.2f} s")
    print(f"  one configuration at a time (extrapolated from {pick.size}): {t_loop:8.2f} s")
    print(f"  ratio loop / vectorised: {t_loop / t_grid:6.1f}x (target >= 10x)")
    ratio(f"SGD grid {n_cfg} configurations: one at a time vs vectorised", t_loop, t_grid)
    for b, (t_plain, t_blocked, gap) in blocked.items():
        print(f"  b = {b:2d}: plain numpy step {t_plain:7.2f} s, blocked in-place GEMM step "
              f"{t_blocked:7.2f} s, ratio {t_plain / t_blocked:5.2f}x "
              f"(max relative loss difference {gap:.1e})")
        ratio(f"SGD grid step, b = {b}: plain numpy vs blocked in-place GEMM", t_plain, t_blocked)
    for b, (t_keys, t_rej) in sampling.items():
        print(f"batches for 256 seeds x 256 steps, b = {b:2d}: uniform keys {t_keys:.3f} s, "
              f"rejection {t_rej:.3f} s, ratio {t_keys / t_rej:5.1f}x")
        ratio(f"batch sampling, b = {b}: uniform keys vs rejection", t_keys, t_rej)
    print(f"SE theory (mode stability + U(1)) on the {args.n_alpha} x {args.n_beta} grid, "
          f"{lam.size} eigenvalues: {t_theory:.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
