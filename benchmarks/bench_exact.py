"""Exact-dynamics paper: cost of the per-mode ODE and of batched streaming SGD, side by side.

1. ODE on a spectrum of d eigenvalues (power law, logistic, t in [0, T]): all learning rates
   integrated as one (G, d) state vs one solve per learning rate; also the wall time itself
   (the issue asks for >= 1000 eigenvalues in seconds).
2. Streaming SGD: S seeds advanced as one (S, d) batch vs S separate single-chain runs.
3. Whole-curve cost: the ODE for G learning rates vs SGD for G learning rates x S seeds.
Prints times and ratios measured in this run.
Usage: python benchmarks/bench_exact.py [--d 1000] [--t-ode 50] [--t-sgd 2] [--seeds 8]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.data.anisotropic_mixture import power_law_mixture
from hdsgd.theory.exact_ode import solve_exact_ode
from hdsgd.training.streaming_sgd import run_streaming_sgd


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--t-ode", type=float, default=50.0)
    ap.add_argument("--t-sgd", type=float, default=2.0)
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--dt", type=float, default=0.01)
    args = quick_args(ap, d=300, t_ode=10.0, t_sgd=0.5, seeds=4)
    gammas = [1.0, 2.0, 4.0]
    mix = power_law_mixture(args.d, beta=0.5)
    times = np.geomspace(0.1, args.t_ode, 20)

    t_batched, ode = timed(lambda: solve_exact_ode(mix, "logistic", gammas, times, dt=args.dt))
    t_loop, loop = timed(lambda: [solve_exact_ode(mix, "logistic", [g], times, dt=args.dt)
                                  for g in gammas])
    diff = max(np.max(np.abs(o["risk"][0] - ode["risk"][i])) for i, o in enumerate(loop))
    steps = int(np.ceil(args.t_ode / args.dt))
    print(f"ODE, d={args.d} eigenvalues, {len(gammas)} learning rates, t<= {args.t_ode:g} "
          f"({steps} RK4 steps):")
    print(f"  batched over gamma {t_batched:.2f} s | one solve per gamma {t_loop:.2f} s | "
          f"ratio {t_loop / t_batched:.2f}x | max |risk diff| {diff:.1e}")
    ratio(f"ODE, {len(gammas)} learning rates: one solve each vs batched", t_loop, t_batched)

    S, tr = args.seeds, np.array([args.t_sgd])
    t_vec, vec = timed(lambda: run_streaming_sgd(mix, "logistic", np.ones(S), tr,
                                                 rng=np.random.default_rng(0)))
    t_seq, seq = timed(lambda: [run_streaming_sgd(mix, "logistic", [1.0], tr,
                                                  rng=np.random.default_rng(s))
                                for s in range(S)])
    n_steps = int(round(args.t_sgd * args.d))
    print(f"SGD, d={args.d}, {S} seeds, {n_steps} steps each:")
    print(f"  batched over seeds {t_vec:.2f} s | {S} single runs {t_seq:.2f} s | "
          f"ratio {t_seq / t_vec:.2f}x")
    ratio(f"SGD, {S} seeds: single runs vs batched", t_seq, t_vec)
    sgd_curve = t_vec * len(gammas) * args.t_ode / args.t_sgd
    print(f"Whole curves to t={args.t_ode:g}: ODE {t_batched:.2f} s vs SGD ({len(gammas)} gammas x "
          f"{S} seeds, extrapolated from the run above) {sgd_curve:.0f} s | "
          f"ratio {sgd_curve / t_batched:.0f}x")


if __name__ == "__main__":
    main()
