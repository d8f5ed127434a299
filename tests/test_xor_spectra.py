"""XOR block spectra: batched LOBPCG over units vs dense eigh, the exact between/within split
behind the vv bulk edge, and the Monte Carlo population vv blocks vs a large sample."""

import numpy as np

from hdsgd.data.xor import XorMixture
from hdsgd.observables.block_operators import XorBlockOperators
from hdsgd.observables.xor_spectra import (
    class_projected_edge,
    count_outliers,
    population_vv_blocks,
    vv_spectra,
    xor_spectra_along_trajectory,
)

BETA = 0.01


def trained_like_point(d, K, rng):
    """A point with rows partly along +-mu, +-nu (as after training) plus noise."""
    mix = XorMixture(d, 10.0)
    signs = mix.hidden_means[np.arange(K) % 4]
    W = 1.5 * signs + rng.standard_normal((K, d)) / np.sqrt(d)
    v = np.where(np.arange(K) % 4 < 2, 0.5, -0.5) + 0.1 * rng.standard_normal(K)
    return mix, W, v


def test_batched_first_layer_spectra_match_dense_eigh():
    rng = np.random.default_rng(0)
    d, K = 60, 6
    mix, W, v = trained_like_point(d, K, rng)
    hidden, y, Y = mix.sample(3000, rng)
    W_ckpt = np.stack([W * 0.5, W])
    v_ckpt = np.stack([v, v])
    out = xor_spectra_along_trajectory(W_ckpt, v_ckpt, y, Y, hidden, beta=BETA, n_eig=6,
                                       n_check=4, n_keep_vecs=2, tol=1e-9, maxiter=500,
                                       dtype=np.float64, include_ridge=True,
                                       rng=np.random.default_rng(1))
    for t in range(2):
        ops = XorBlockOperators(W_ckpt[t], v_ckpt[t], y, Y, BETA)
        for m, kind in (("h", "hessian"), ("g", "G")):
            w, V = np.linalg.eigh(ops.dense_first_layer(kind))
            # the n_check = 4 converged eigenvalues (guards are not kept)
            assert out[f"{m}w_vals"][t].shape == (K, 4)
            np.testing.assert_allclose(out[f"{m}w_vals"][t], w[:, ::-1][:, :4], rtol=1e-6)
            # top-2 eigenspaces agree (projector distance)
            Q = out[f"{m}w_vecs"][t].astype(np.float64)
            P1 = Q @ np.swapaxes(Q, 1, 2)
            P2 = V[:, :, -2:] @ np.swapaxes(V[:, :, -2:], 1, 2)
            assert np.max(np.linalg.norm(P1 - P2, axis=(1, 2))) < 1e-3


def test_between_within_split_is_exact_and_the_projected_edge_bounds_outliers():
    """H_vv - beta I = B + N with B of rank <= 4 living in the class means' span; the edge
    lambda_max(P_U A P_U) (U: complement of that span) is >= lambda_5 of the block (so at most
    four outliers), far tighter than lambda_max(N) + beta, and equals it on U."""
    rng = np.random.default_rng(2)
    mix, W, v = trained_like_point(40, 12, rng)
    hidden, y, Y = mix.sample(4000, rng)
    ops = XorBlockOperators(W, v, y, Y, BETA)
    w, u = ops.sigma_prime, ops.h
    B = np.zeros((12, 12))
    means = []
    for c in range(4):
        sel = hidden == c
        m = w[sel] @ u[sel] / w[sel].sum()
        means.append(m)
        B += w[sel].sum() / ops.M * np.outer(m, m)
    N = ops.hessian_vv() - BETA * np.eye(12) - B
    assert np.linalg.eigvalsh(N)[0] > -1e-12                    # within part is PSD
    assert np.linalg.matrix_rank(B, tol=1e-10) <= 4
    Q = np.linalg.qr(np.array(means).T)[0]
    P = np.eye(12) - Q @ Q.T
    np.testing.assert_allclose(P @ B @ P, 0, atol=1e-12)        # B vanishes on U
    for A, weights in ((ops.hessian_vv(), w), (ops.g_vv(), ops.r ** 2)):
        edge = class_projected_edge(A, u, weights, hidden)
        lam = np.linalg.eigvalsh(A)[::-1]
        assert lam[4] <= edge * (1 + 1e-12)                   # Courant-Fischer
    sp = vv_spectra(ops, hidden)
    np.testing.assert_allclose(sp["hvv_edge"], np.linalg.eigvalsh(P @ (N + BETA * np.eye(12))
                                                                  @ P)[-1], rtol=1e-10)
    assert sp["hvv_edge"] < np.linalg.eigvalsh(N)[-1] + BETA      # tighter than the unprojected
    assert count_outliers(sp["hvv_vals"], sp["hvv_edge"], 0.0) <= 4
    # a trained-like point resolving all four hidden classes has exactly four outliers
    assert count_outliers(sp["hvv_vals"], sp["hvv_edge"], 0.05) == 4
    assert count_outliers(sp["gvv_vals"], sp["gvv_edge"], 0.05) == 4


def test_population_vv_blocks_match_large_sample():
    rng = np.random.default_rng(3)
    mix, W, v = trained_like_point(30, 8, rng)
    xi = np.random.default_rng(4).standard_normal((4, 100000, 8))
    H, G = population_vv_blocks(W, v, mix.hidden_means, mix.lam, BETA, xi)
    hidden, y, Y = mix.sample(400000, np.random.default_rng(5))
    ops = XorBlockOperators(W, v, y, Y, BETA)
    scale_h, scale_g = np.abs(H).max(), np.abs(G).max()
    assert np.abs(ops.hessian_vv() - H).max() < 0.02 * scale_h
    assert np.abs(ops.g_vv() - G).max() < 0.02 * scale_g
