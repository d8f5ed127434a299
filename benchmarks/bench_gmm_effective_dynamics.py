"""k-GMM effective dynamics: what the theory stage costs, measured side by side.

1. drift evaluation: the batched layout used by hdsgd.theory.gmm_effective_dynamics (logits
   as (class, k, samples), one batched matmul for E[pi pi^T]) vs a per-class loop with a
   samples-first layout (the straightforward implementation); same numbers, ratio printed.
2. trajectory: ODE (RK4) to time T vs one online SGD run to T at dimension d (the ODE's cost does
   not grow with d).
3. bulk edge: weighted Marchenko-Pastur edge from the ODE's logit law vs the top eigenvalue
   of a dense H_11 block formed from M = test_factor * d samples (numpy.linalg.eigvalsh).
Usage: python benchmarks/bench_gmm_effective_dynamics.py [--k 10] [--d 1000] [--t 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.data.gmm import uniform_mixture
from hdsgd.models.softmax_regression import probabilities
from hdsgd.theory.gmm_effective_dynamics import (
    GMMDynamicsParams,
    antithetic_normals,
    bulk_edge_track,
    drift,
    solve_effective_dynamics,
)
from hdsgd.training.online_sgd import run_online_sgd


def drift_loop(m, R, params, normals):
    """Reference drift: one class b at a time, samples-first arrays (n, k)."""
    k, lam, p, G = params.k, params.lam, params.p, params.gram
    Q = m @ np.linalg.solve(G, m.T) + R
    chol = np.linalg.cholesky(Q / lam)
    dm = -params.beta * m
    A = np.zeros((k, k))
    C = np.zeros((k, k))
    for b in range(k):
        z = m[:, b][None, :] + normals @ chol.T
        z = z - z.max(axis=1, keepdims=True)
        pi = np.exp(z)
        pi /= pi.sum(axis=1, keepdims=True)
        e_pi = pi.mean(axis=0)
        e_pipi = pi.T @ pi / pi.shape[0]
        r = e_pi - np.eye(k)[b]
        dm -= p[b] * np.outer(r, G[:, b])
        A += p[b] * (np.diag(e_pi) - e_pipi)
        eb = np.eye(k)[b]
        C += p[b] * (e_pipi - np.outer(e_pi, eb) - np.outer(eb, e_pi) + np.outer(eb, eb))
    dm -= A @ m / lam
    dR = -2 * params.beta * R - (A @ R + (A @ R).T) / lam + params.c_delta / lam * C
    return dm, dR


def timed(fn, repeat):
    t = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    return (time.perf_counter() - t) / repeat, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--t", type=float, default=5.0)
    ap.add_argument("--n-mc", type=int, default=8192)
    ap.add_argument("--test-factor", type=float, default=20)
    args = quick_args(ap, d=300, t=2.0, n_mc=2048, test_factor=5)
    k, d = args.k, args.d
    params = GMMDynamicsParams.orthonormal(k, lam=10.0, beta=0.01, c_delta=1.0)
    normals = antithetic_normals(k, args.n_mc, 0)
    rng = np.random.default_rng(0)
    m, R = 0.3 * rng.standard_normal((k, k)), np.eye(k) + 0.05 * np.ones((k, k))

    t_fast, (dm1, dR1) = timed(lambda: drift(m, R, params, normals), 20)
    t_loop, (dm2, dR2) = timed(lambda: drift_loop(m, R, params, normals), 20)
    diff = max(np.abs(dm1 - dm2).max(), np.abs(dR1 - dR2).max())
    print(f"[1] drift, k={k}, n_mc={args.n_mc}: batched {1e3 * t_fast:.1f} ms, per-class loop "
          f"{1e3 * t_loop:.1f} ms, ratio {t_loop / t_fast:.2f}x (max |difference| {diff:.1e})")
    ratio(f"effective-dynamics drift, k = {k}: per-class loop vs batched", t_loop, t_fast)

    t_ode, sol = timed(lambda: solve_effective_dynamics(np.array([0.0, args.t]), params,
                                                        dt=0.25, n_mc=args.n_mc), 1)
    mix = uniform_mixture(k, d, 10.0, 50 if 50 * k <= d else 1)
    x0 = rng.standard_normal((1, k, d)) / np.sqrt(d)
    t_sgd, xs = timed(lambda: run_online_sgd(mix, x0, beta=0.01, delta=1 / d,
                                             steps=np.array([int(args.t * d)]), rng=rng,
                                             progress_label=None), 1)
    print(f"[2] to t={args.t:g}: ODE {t_ode:.2f} s, one SGD run at d={d} {t_sgd:.2f} s, "
          f"ratio {t_sgd / t_ode:.2f}x; m_11 ODE {sol.m[-1, 0, 0]:.3f} vs SGD "
          f"{xs[-1, 0, 0] @ mix.means[0]:.3f}")
    ratio(f"to t = {args.t:g}: one SGD run at d = {d} vs the ODE", t_sgd, t_ode)

    M = int(args.test_factor * d)
    gamma = (d - 2 * k) / M
    t_edge, edge = timed(lambda: bulk_edge_track(sol, params, 0, "hessian", gamma,
                                                 n_mc=args.n_mc)[-1], 1)

    def dense_edge():
        labels, Y = mix.sample(M, rng)
        w = probabilities(xs[-1, 0], Y)[:, 0]
        H = (Y.T * (w * (1 - w))) @ Y / M + 0.01 * np.eye(d)
        return np.linalg.eigvalsh(H)[::-1][k]

    t_dense, lam_k1 = timed(dense_edge, 1)
    print(f"[3] H_11 bulk edge at t={args.t:g}, M={M}: theory {1e3 * t_edge:.0f} ms "
          f"({edge:.5f}), dense block + eigvalsh {t_dense:.2f} s (l_k+1 = {lam_k1:.5f}), "
          f"ratio {t_dense / t_edge:.1f}x")
    ratio(f"H_11 bulk edge, M = {M}: dense eigvalsh vs theory", t_dense, t_edge)


if __name__ == "__main__":
    main()
