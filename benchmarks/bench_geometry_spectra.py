"""Local-geometry solvers: speed-ups measured side by side (same inputs, same answers).

1. Limiting density on a grid: weight law binned to 600 atoms vs all quadrature atoms.
2. Real-axis Stieltjes transform right of the bulk (outlier search): bracketed root of the
   explicit inverse z(m) vs the complex fixed-point + Newton solver at Im z = 1e-12.
3. Top 1 / 4 / 16 eigenpairs of a G-matrix-like block (1/n) Y^T diag(w) Y, n = 2d: float32
   Lanczos on the matrix-free operator vs forming the matrix and LAPACK's index-range driver
   (the workflow uses Lanczos above d = 300, ``empirical_spectra.DENSE_MAX_D``).
4. Effective dynamics to t = 12 (k = 3): Gauss-Hermite expectations (10 nodes per direction)
   vs 20000 antithetic Monte Carlo samples, and their difference from a 200000-sample run.
5. The 99 % quantile of the bulk (Figs 2 and 6, at every checkpoint): the density integrated
   on a window at the right edge (``upper_quantile``) vs the whole-bulk CDF grid of 800
   points.
Run (one BLAS thread, as the workflow's rules):
OPENBLAS_NUM_THREADS=1 python benchmarks/bench_geometry_spectra.py [--quick]
"""

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.observables.empirical_spectra import top_weighted_eigenpairs
from hdsgd.theory.gmm_effective_dynamics import GMMDynamicsParams, solve_effective_dynamics
from hdsgd.theory.gram_quadrature import GramQuadrature, block_weight_law
from hdsgd.theory.limiting_spectra import (
    bulk_cdf_grid,
    density,
    real_axis_stieltjes,
    right_edge,
    right_edge_point,
    stieltjes_transform,
    upper_quantile,
)


def timed(f, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-gh", type=int, default=16, help="Gauss-Hermite nodes per dimension")
    ap.add_argument("--dims", type=int, nargs="+", default=[300, 1000, 2000, 4000],
                    help="dimensions of the top-eigenpair comparison")
    ap.add_argument("--n-mc-ref", type=int, default=200_000,
                    help="Monte Carlo samples of the reference ODE solution")
    args = quick_args(ap, n_gh=8, dims=[300, 1000], n_mc_ref=40_000)
    k, lam, phi = 3, 10.0, 2.0
    m = 0.9 * np.eye(k)
    G = np.block([[1.7 * np.eye(k), m], [m.T, np.eye(k)]])
    quad = GramQuadrature.build(G, k, np.full(k, 1 / k), lam, n_gh=args.n_gh)
    full = block_weight_law(quad, 0, "g", phi, n_bins=None)
    binned = full.binned(600)
    grid = np.linspace(0.0, right_edge(full), 300)
    t_full, rho_full = timed(lambda: density(grid, full), repeat=1)
    t_bin, rho_bin = timed(lambda: density(grid, binned), repeat=1)
    err = np.abs(rho_full - rho_bin).max() / rho_full.max()
    print(f"density, {full.w.size} atoms vs 600 bins: {t_full:.2f} s vs {t_bin:.2f} s, "
          f"speed-up {t_full / t_bin:.1f}x, max rel. difference {err:.1e}")
    ratio(f"limiting density: {full.w.size} atoms vs 600 bins", t_full, t_bin)

    m_edge, edge = right_edge_point(binned)
    zs = edge * np.linspace(1.05, 3.0, 40)
    t_root, a = timed(lambda: [real_axis_stieltjes(z, binned, m_edge) for z in zs])
    t_fp, b = timed(lambda: [stieltjes_transform(z + 1e-12j, binned).real for z in zs])
    print(f"real-axis m(z), 40 points: root {t_root * 1e3:.1f} ms vs fixed point "
          f"{t_fp * 1e3:.1f} ms, speed-up {t_fp / t_root:.1f}x, "
          f"max rel. difference {np.max(np.abs(np.subtract(a, b)) / np.abs(b)):.1e}")
    ratio("real-axis m(z): fixed point vs root of z(m)", t_fp, t_root)

    rng = np.random.default_rng(0)
    for d in args.dims:
        Y = rng.standard_normal((2 * d, d)) / np.sqrt(lam)
        Y[:, 0] += 1.0
        w = rng.uniform(0.0, 1.0, 2 * d) ** 8               # few large weights, as G_cc
        for m in (1, 4, 16) if d <= 1000 else (4,):
            t_k, (vk, _) = timed(lambda Y=Y, w=w, m=m: top_weighted_eigenpairs(
                Y, w, m, method="krylov"), 1)
            t_d, (vd, _) = timed(lambda Y=Y, w=w, m=m: top_weighted_eigenpairs(
                Y, w, m, method="dense"), 1)
            print(f"top {m} eigenpairs, d = {d}: Lanczos {t_k:.3f} s vs dense {t_d:.3f} s, "
                  f"speed-up {t_d / t_k:.1f}x, max rel. difference "
                  f"{np.max(np.abs(vk / vd - 1)):.1e}")
            ratio(f"top {m} eigenpairs at d = {d}: dense vs float32 Lanczos (matrix-free)", t_d,
                  t_k)

    params = GMMDynamicsParams.orthonormal(k, lam, 0.01, 1.0)
    times = np.array([0.0, 12.0])
    t_gh, gh = timed(lambda: solve_effective_dynamics(times, params, n_gh=10), 1)
    t_mc, mc = timed(lambda: solve_effective_dynamics(times, params, n_mc=20_000), 1)
    ref = solve_effective_dynamics(times, params, n_mc=args.n_mc_ref, seed=1)
    scale = np.abs(ref.Q[-1]).max()
    print(f"effective dynamics to t = 12: Gauss-Hermite {t_gh:.2f} s vs Monte Carlo {t_mc:.2f} s,"
          f" speed-up {t_mc / t_gh:.1f}x; |Q - Q_ref| / |Q_ref|: GH "
          f"{np.abs(gh.Q[-1] - ref.Q[-1]).max() / scale:.1e}, MC "
          f"{np.abs(mc.Q[-1] - ref.Q[-1]).max() / scale:.1e}")
    ratio("effective dynamics: 20000 Monte Carlo samples vs Gauss-Hermite 10^3 nodes", t_mc, t_gh)

    t_grid, (grid_, _, cdf) = timed(lambda: bulk_cdf_grid(binned, 800), 1)
    t_edge, q_edge = timed(lambda: upper_quantile(binned, 0.01), 1)
    q_grid = float(np.interp(0.99, cdf, grid_))
    print(f"99 % quantile of the bulk: 800-point CDF grid {t_grid:.2f} s vs edge window "
          f"{t_edge:.2f} s, speed-up {t_grid / t_edge:.1f}x, rel. difference "
          f"{abs(q_edge / q_grid - 1):.1e}")
    ratio("bulk 99 % quantile: whole CDF grid vs edge window", t_grid, t_edge)


if __name__ == "__main__":
    main()
