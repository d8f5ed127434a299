"""Local-geometry solvers: speed-ups measured side by side (same inputs, same answers).

1. Limiting density on a grid: weight law binned to 600 atoms vs all quadrature atoms.
2. Real-axis Stieltjes transform right of the bulk (outlier search): bracketed root of the
   explicit inverse z(m) vs the complex fixed-point + Newton solver at Im z = 1e-12.
Run: python benchmarks/bench_geometry_spectra.py [--quick]
"""

import argparse
import time

import numpy as np
from common import quick_args, ratio

from hdsgd.theory.gram_quadrature import GramQuadrature, block_weight_law
from hdsgd.theory.limiting_spectra import (
    density,
    real_axis_stieltjes,
    right_edge,
    right_edge_point,
    stieltjes_transform,
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
    args = quick_args(ap, n_gh=8)
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


if __name__ == "__main__":
    main()
