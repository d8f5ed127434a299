"""Two-layer XOR network: gradients, Hessian/G blocks against finite differences and dense
references; the XOR mixture; online SGD against an explicit step-by-step loop."""

import numpy as np
import pytest

from hdsgd.data.xor import HIDDEN_LABELS, XorMixture
from hdsgd.models.two_layer import (
    gradient,
    hidden_class_accuracy,
    loss,
    mean_representation_singular_values,
    per_sample_gradients,
)
from hdsgd.observables.block_operators import XorBlockOperators
from hdsgd.training.xor_sgd import CHUNK, run_xor_sgd

D, K, M, BETA = 12, 4, 300, 0.05


@pytest.fixture
def problem():
    rng = np.random.default_rng(0)
    mix = XorMixture(D, 4.0)
    hidden, y, Y = mix.sample(M, rng)
    W = rng.standard_normal((K, D)) / np.sqrt(D) + 0.5 * mix.hidden_means[:K]
    v = rng.standard_normal(K)
    return W, v, y, Y, hidden, mix


def test_mixture_moments():
    mix = XorMixture(50, 5.0)
    hidden, y, Y = mix.sample(40000, np.random.default_rng(1))
    np.testing.assert_array_equal(y, HIDDEN_LABELS[hidden])
    for c in range(4):
        np.testing.assert_allclose(Y[hidden == c].mean(0), mix.hidden_means[c], atol=0.03)
    resid = Y - mix.hidden_means[hidden]
    np.testing.assert_allclose(resid.var(0), 1 / 5.0, rtol=0.05)
    assert abs(np.mean(hidden == 0) - 0.25) < 0.01


def test_gradient_matches_finite_differences(problem):
    W, v, y, Y, _, _ = problem
    gW, gv = gradient(W, v, y, Y, BETA)
    eps = 1e-6
    rng = np.random.default_rng(2)
    for _ in range(5):
        dW, dv = rng.standard_normal(W.shape), rng.standard_normal(v.shape)
        fd = (loss(W + eps * dW, v + eps * dv, y, Y, BETA)
              - loss(W - eps * dW, v - eps * dv, y, Y, BETA)) / (2 * eps)
        assert fd == pytest.approx(np.sum(gW * dW) + gv @ dv, rel=1e-6, abs=1e-9)


def test_per_sample_gradients_average_to_gradient(problem):
    W, v, y, Y, _, _ = problem
    gW, gv = per_sample_gradients(W, v, y, Y, BETA)
    mW, mv = gradient(W, v, y, Y, BETA)
    np.testing.assert_allclose(gW.mean(0), mW, atol=1e-12)
    np.testing.assert_allclose(gv.mean(0), mv, atol=1e-12)


def test_first_layer_hessian_blocks_match_finite_differences(problem):
    """H_{W_iW_i} u = d/de grad_{W_i} R(W + e u e_i^T): all units at once vs K FD columns."""
    W, v, y, Y, _, _ = problem
    ops = XorBlockOperators(W, v, y, Y, BETA)
    rng = np.random.default_rng(3)
    U = rng.standard_normal((K, D, 2))
    HU = ops.hessian_first_layer(U)
    eps = 1e-7
    for i in range(K):
        for p in range(2):
            Wp, Wm = W.copy(), W.copy()
            Wp[i] += eps * U[i, :, p]
            Wm[i] -= eps * U[i, :, p]
            fd = (gradient(Wp, v, y, Y, BETA)[0][i] - gradient(Wm, v, y, Y, BETA)[0][i]) / (2 * eps)
            np.testing.assert_allclose(HU[i, :, p], fd, rtol=1e-5, atol=1e-8)


def test_vv_hessian_matches_finite_differences(problem):
    W, v, y, Y, _, _ = problem
    H = XorBlockOperators(W, v, y, Y, BETA).hessian_vv()
    eps = 1e-6
    fd = np.stack([(gradient(W, v + eps * e, y, Y, BETA)[1]
                    - gradient(W, v - eps * e, y, Y, BETA)[1]) / (2 * eps) for e in np.eye(K)])
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("include_ridge", [True, False])
def test_g_blocks_match_per_sample_gradient_outer_products(problem, include_ridge):
    W, v, y, Y, _, _ = problem
    beta_g = BETA if include_ridge else 0.0
    gW, gv = per_sample_gradients(W, v, y, Y, beta_g)
    ops = XorBlockOperators(W, v, y, Y, BETA, include_ridge=include_ridge)
    dense = np.einsum("mkd,mke->kde", gW, gW) / M
    np.testing.assert_allclose(ops.dense_first_layer("G"), dense, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(ops.g_vv(), gv.T @ gv / M, rtol=1e-10, atol=1e-13)


def test_float32_operator_close_to_float64(problem):
    W, v, y, Y, _, _ = problem
    V = np.random.default_rng(4).standard_normal((K, D, 3))
    a = XorBlockOperators(W, v, y, Y, BETA).g_first_layer(V)
    b = XorBlockOperators(W, v, y, Y, BETA, dtype=np.float32).g_first_layer(V)
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_representation_rank_and_class_accuracy():
    mix = XorMixture(D, 400.0)                       # nearly noiseless: accuracies are 0 or 1
    hidden, y, Y = mix.sample(2000, np.random.default_rng(7))
    # unit 0 sees only +mu, unit 1 only +nu: g(W(-mu)) = g(W(-nu)) = 0, rank 2
    W = np.zeros((2, D))
    W[0, 0] = W[1, 1] = 10.0
    sv = mean_representation_singular_values(W, mix.hidden_means)
    np.testing.assert_allclose(sv, [10.0, 10.0])
    # s = relu(10 Y_1) - relu(10 Y_2): +mu -> s > 0 right, +nu -> s < 0 right; -mu -> s <= 0
    # always wrong (y = 1); -nu -> s = relu(10 Y_1) >= 0 with Y_1 ~ noise, about half right
    acc = hidden_class_accuracy(W, np.array([1.0, -1.0]), y, Y, hidden)
    assert acc[0] > 0.99 and acc[2] > 0.99
    assert acc[1] < 0.01 and 0.4 < acc[3] < 0.6


def test_sgd_matches_explicit_loop():
    """Each seed of a batched run is the explicit gradient-step loop on its own stream."""
    mix = XorMixture(8, 3.0)
    rng0 = np.random.default_rng(5)
    W0, v0 = rng0.standard_normal((2, 3, 8)), rng0.standard_normal((2, 3))
    delta, n = 0.05, 40
    W, v = run_xor_sgd(mix, W0, v0, beta=BETA, delta=delta, steps=np.array([0, n]),
                       rngs=[np.random.default_rng(6), np.random.default_rng(7)],
                       progress_label=None)
    np.testing.assert_array_equal(W[0], W0)
    for s, seed in enumerate((6, 7)):
        hidden, y, Y = mix.sample(CHUNK, np.random.default_rng(seed))   # one full chunk
        Ws, vs = W0[s].copy(), v0[s].copy()
        for i in range(n):
            gW, gv = gradient(Ws, vs, y[i:i + 1], Y[i:i + 1], BETA)
            Ws, vs = Ws - delta * gW, vs - delta * gv
        np.testing.assert_allclose(W[-1, s], Ws, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(v[-1, s], vs, rtol=1e-10, atol=1e-12)
