"""Exact-dynamics paper: speed of the SGD engine and of the ODEs, side by side (one run).

1. Streaming SGD (binary logistic, d = 1000, 3 learning rates x 8 seeds): the blocked step (GEMMs
   over blocks of steps, common random numbers across learning rates) against the plain
   per-step rank-one update with one sample stream per chain.
2. K-way softmax (issue: K = 4, 16, 64 at d = 1000): CPU seconds per unit of time t of the
   K-output ODE (RK4, step 0.1, 512 antithetic quasi-Monte Carlo pairs) against SGD
   (8 seeds, blocked step).
3. Binary ODE batched over learning rates against one solve per learning rate.
4. Three power-law runs (Fig 1(c), 1(d), Fig 4's beta = 1.5) on one shared sample stream
   against three separate streams (the normal draws paid once; outputs bitwise equal to the
   runs alone where the noisy modes coincide).
5. The ODE of Fig 1(d) to t = 10^5 (stiff: mode rates 1 ... 6e-5): exponential midpoint steps
   max(0.02, 0.05 t) against RK4 at the step 0.5 it needs for stability, run to t = 10^3 and
   extrapolated per unit time (RK4 to 10^5 would take minutes).
Prints CPU seconds (``time.process_time``) and ratios measured in this run.
Usage: python benchmarks/bench_exact.py [--d 1000] [--ks 4 16 64] [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.data.anisotropic_mixture import isotropic_mixture, multiclass_mixture, power_law_mixture
from hdsgd.models.binary_glm import loss_derivative
from hdsgd.models.multi_output_glm import ScalarGLM, SoftmaxCrossEntropy
from hdsgd.theory.exact_ode import solve_exact_ode
from hdsgd.theory.multi_output_ode import MultiOutputODE
from hdsgd.training.streaming_sgd import (
    SharedStreamProblem,
    run_shared_stream,
    run_streaming_sgd,
)


def cpu(fn):
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def plain_sgd(mix, gammas, n_seeds, n_steps, rng):
    """Reference: one sample stream per (gamma, seed) chain, one rank-one update per step."""
    B, d = len(gammas) * n_seeds, mix.d
    eta = np.repeat(np.asarray(gammas), n_seeds) / d
    x = np.zeros((B, d))
    for _ in range(n_steps):
        c = rng.choice(2, size=B, p=mix.probs)
        a = rng.standard_normal((B, d)) * np.sqrt(mix.eigs[c]) + mix.means[c]
        r = np.einsum("bd,bd->b", x, a)
        x -= (eta * loss_derivative("logistic", r, mix.labels[c]))[:, None] * a
    return x


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--ks", type=int, nargs="+", default=[4, 16, 64])
    ap.add_argument("--t-sgd", type=float, default=2.0)
    args = quick_args(ap, d=300, ks=[4, 16], t_sgd=0.5)
    d, gammas, S = args.d, [0.5, 1.0, 2.0], 8
    n_steps = int(args.t_sgd * d)

    mix = isotropic_mixture(d, np.random.default_rng(0))
    t_blk, _ = cpu(lambda: run_streaming_sgd(mix, ScalarGLM("logistic", mix.labels), gammas,
                                             S, [args.t_sgd], rng=np.random.default_rng(1)))
    t_plain, _ = cpu(lambda: plain_sgd(mix, gammas, S, n_steps, np.random.default_rng(1)))
    print(f"1. binary SGD, d={d}, {len(gammas)} gammas x {S} seeds, {n_steps} steps:")
    print(f"   blocked {t_blk:.2f} s | plain per-step update {t_plain:.2f} s")
    ratio(f"binary SGD d={d}, {len(gammas)} gammas x {S} seeds: plain vs blocked", t_plain,
          t_blk)

    print(f"2. K-way softmax, d={d}: CPU seconds per unit time t (ODE: 1 learning rate; "
          f"SGD: {S} seeds)")
    for K in args.ks:
        km = multiclass_mixture(d, K, np.random.default_rng(2), family="zero_one",
                                class_signal=0.5, class_exponent=0.5, rho0=0.5, clean_mass=0.5)
        loss = SoftmaxCrossEntropy(K, 512, seed=0)
        loss.draws()                     # the fixed point set: generated once, not timed
        t_ode, _ = cpu(lambda km=km, loss=loss: MultiOutputODE(km, loss).solve(
            [1.0], [0.0, 1.0], dt=0.1))
        t_sgd, _ = cpu(lambda km=km, loss=loss: run_streaming_sgd(
            km, loss, [1.0], S, [0.0, 1.0], rng=np.random.default_rng(3)))
        # a cost report, not a fast path against its reference: no RATIO line
        print(f"   K={K:3d}: ODE {t_ode:.2f} s | SGD {t_sgd:.2f} s | SGD / ODE "
              f"{t_sgd / t_ode:.2f}")

    pl = power_law_mixture(d, beta=0.0)
    times = np.geomspace(0.1, 50.0, 20)
    t_batched, ode = cpu(lambda: solve_exact_ode(pl, "logistic", [1.0, 2.0, 4.0], times,
                                                 dt=0.02))
    t_loop, loop = cpu(lambda: [solve_exact_ode(pl, "logistic", [g], times, dt=0.02)
                                for g in (1.0, 2.0, 4.0)])
    diff = max(np.max(np.abs(o["risk"][0] - ode["risk"][i])) for i, o in enumerate(loop))
    print(f"3. binary ODE, d={d} modes, 3 learning rates, t <= 50: batched {t_batched:.2f} s | "
          f"one solve per rate {t_loop:.2f} s | max |risk diff| {diff:.1e}")
    ratio(f"binary ODE d={d}, 3 learning rates: one solve each vs batched", t_loop, t_batched)

    runs = [(power_law_mixture(d, beta=0.0), [1.0, 2.0, 4.0]),
            (power_law_mixture(d, beta=0.75), [1.0, 2.0, 4.0]),
            (power_law_mixture(d, beta=1.5, mean_scaling="unit_norm"), [1.0])]
    t_rec = [0.0, args.t_sgd]
    t_shared, shared = cpu(lambda: run_shared_stream(
        [SharedStreamProblem(m, ScalarGLM("logistic", m.labels), g) for m, g in runs], S,
        t_rec, rng=np.random.default_rng(5)))
    t_apart, apart = cpu(lambda: [run_streaming_sgd(m, ScalarGLM("logistic", m.labels), g, S,
                                                    t_rec, rng=np.random.default_rng(5))
                                  for m, g in runs])
    same = all(np.array_equal(a["risk"], b["risk"]) for a, b in zip(shared, apart, strict=True))
    print(f"4. three power-law runs, d={d}, {S} seeds, t <= {args.t_sgd:g}: one stream "
          f"{t_shared:.2f} s | three streams {t_apart:.2f} s | outputs bitwise equal: {same}")
    ratio(f"3 power-law SGD runs d={d}: separate vs shared stream", t_apart, t_shared)

    pd_ = power_law_mixture(d, beta=0.75)
    t_exp, long = cpu(lambda: solve_exact_ode(pd_, "logistic", [1.0, 2.0, 4.0],
                                              [1e2, 1e3, 1e5], dt=0.02, rel_step=0.05))
    t_rk, rk = cpu(lambda: solve_exact_ode(pd_, "logistic", [1.0, 2.0, 4.0], [1e2, 1e3],
                                           dt=0.5))
    diff = np.max(np.abs(long["risk"][:, :2] - rk["risk"]))
    t_rk_full = t_rk * 1e5 / 1e3
    print(f"5. Fig 1(d) ODE, d={d}, 3 learning rates to t = 1e5: exponential {t_exp:.2f} s | "
          f"RK4 (dt 0.5) {t_rk:.2f} s to t = 1e3, ~{t_rk_full:.0f} s to 1e5 | max |risk diff| "
          f"at t <= 1e3 {diff:.1e}")
    ratio(f"binary ODE d={d} to t = 1e5: RK4 (extrapolated) vs exponential midpoint",
          t_rk_full, t_exp)


if __name__ == "__main__":
    main()
