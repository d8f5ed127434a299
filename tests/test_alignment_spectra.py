"""The k-GMM spectra stage's maths: the threaded weighted-Gram kernel against dense products,
converged eigenvalues / alignments / top of the bulk against dense eigh, and the
rank-deficiency profile of an XOR run."""

import numpy as np

from hdsgd.data.gmm import uniform_mixture
from hdsgd.observables.alignment import alignment
from hdsgd.observables.block_operators import SoftmaxCurvatureBlocks
from hdsgd.observables.spectra import block_spectra_along_trajectory, initial_block
from hdsgd.observables.weighted_gram import WeightedGram
from hdsgd.observables.xor_deficiency import deficiency_profile, develops_deficiency


def test_weighted_gram_threads_match_dense_products():
    rng = np.random.default_rng(0)
    M, d, B = 901, 40, 3
    Y, w = rng.standard_normal((M, d)), rng.random((B, M))
    V = rng.standard_normal((d, 7))
    owner = np.array([2, 0, 0, 1, 2, 2, 0])
    ref = np.stack([Y.T @ (w[b] * (Y @ V[:, j])) / M for j, b in enumerate(owner)], axis=1)
    for threads in (1, 2, 3):
        np.testing.assert_allclose(WeightedGram(Y, w, threads=threads)(V, owner), ref,
                                   rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(WeightedGram(Y, w, dtype=np.float32, threads=2)(V, owner), ref,
                               rtol=1e-4, atol=1e-5)


def test_weighted_gram_is_bitwise_independent_of_thread_count():
    """A stage file must not change with --cores: the partial sums' order is fixed."""
    rng = np.random.default_rng(1)
    Y, w = rng.standard_normal((5003, 64)), rng.random((2, 5003))
    V, owner = rng.standard_normal((64, 5)), np.array([0, 0, 1, 1, 1])
    for dtype in (np.float64, np.float32):
        outs = [WeightedGram(Y, w, dtype=dtype, threads=t)(V, owner) for t in (1, 2, 3, 8)]
        assert all(np.array_equal(outs[0], o) for o in outs[1:]), dtype


def test_spectra_along_trajectory_match_dense_eigh():
    """Converged eigenvalues (NaN beyond n_check), alignments with E_k and the top of G_11's
    bulk on span(mu, x)^perp equal their dense counterparts; warm starts carry over."""
    rng = np.random.default_rng(1)
    k, d = 3, 90
    mix = uniform_mixture(k, d, 4.0, 10)
    labels, Y = mix.sample(3000, rng)
    x = np.stack([0.6 * mix.means + rng.standard_normal((k, d)) / np.sqrt(d),
                  1.2 * mix.means + rng.standard_normal((k, d)) / np.sqrt(d)])
    n_check = np.full(2 * k, k)
    n_check[0] += 2
    X0 = initial_block(mix.means, 2 * k, 8, rng)
    out = block_spectra_along_trajectory(x, labels, Y, X0, beta=0.01, n_check=n_check,
                                         tol=1e-9, maxiter=500, dtype=np.float64, threads=2,
                                         keep_vectors=[0, k], bulk_blocks=[k], means=mix.means)
    for t in range(2):
        dense = SoftmaxCurvatureBlocks(x[t], labels, Y, 0.01).dense()
        w, V = np.linalg.eigh(dense)
        w, V = w[:, ::-1], V[:, :, ::-1]
        np.testing.assert_allclose(out["h_vals"][t, 0, :k + 2], w[0, :k + 2], rtol=1e-8)
        np.testing.assert_allclose(out["g_vals"][t, :, :k], w[k:, :k], rtol=1e-8)
        assert np.isnan(out["h_vals"][t, 0, k + 2:]).all()
        assert np.isnan(out["h_vals"][t, 1:, k:]).all() and np.isnan(out["g_vals"][t, :, k:]).all()
        xx = np.concatenate([x[t], x[t]])
        np.testing.assert_allclose(np.concatenate([out["h_alignment"][t], out["g_alignment"][t]]),
                                   alignment(xx, V[:, :, :k]), atol=1e-7)
        Q = np.linalg.qr(np.concatenate([mix.means, x[t]]).T)[0]
        P = np.eye(d) - Q @ Q.T
        np.testing.assert_allclose(out["bulk_top"][t, 0],
                                   np.linalg.eigvalsh(P @ dense[k] @ P)[-1], rtol=1e-4)
    assert out["column_applies"][1] < out["column_applies"][0]      # warm start
    assert out["vectors_final"].shape == (2, d, k)


def test_deficiency_profile_and_criterion():
    times = np.arange(0.0, 31.0, 5.0)                      # 0, 5, ..., 30
    sv = np.tile([1.0, 0.5, 0.3, 0.2], (7, 1))
    sv[3:, 3] = 0.0                                         # rank lost from t = 15 on
    rank = np.sum(sv > 0.01 * sv[:, :1], axis=1)
    acc = np.array([0.5, 0.6, 0.7, 0.74, 0.75, 0.75, 0.75])
    p = deficiency_profile(times, sv, rank, acc, n_outliers=rank)
    assert (p.rank_start, p.rank_end, p.t_deficient) == (4, 3, 15.0)
    assert p.accuracy_spread_late == 0.0 and p.sv_ratio_end == 0.0
    ok = dict(max_t_deficient=20.0, max_accuracy=0.95, max_accuracy_spread=0.02)
    assert develops_deficiency(p, **ok)
    assert not develops_deficiency(p, **{**ok, "max_t_deficient": 10.0})
    # a run that recovers, or starts deficient, or is still learning, does not qualify
    back = np.where(np.arange(7)[:, None] == 6, 1.0, sv)
    recovered = deficiency_profile(times, back, [4, 4, 4, 3, 3, 3, 4], acc, [4] * 7)
    assert recovered.t_deficient == np.inf and not develops_deficiency(recovered, **ok)
    start = deficiency_profile(times, sv, [3] * 7, acc, [3] * 7)
    assert start.rank_start == 3 and not develops_deficiency(start, **ok)
    learning = deficiency_profile(times, sv, rank, np.linspace(0.5, 0.9, 7), rank)
    assert not develops_deficiency(learning, **ok)
