"""Gradients, Hessian-vector products and curvature blocks of softmax regression."""

import numpy as np
import pytest

from hdsgd.data.gmm import uniform_mixture
from hdsgd.models import softmax_regression as sr
from hdsgd.observables.block_operators import SoftmaxCurvatureBlocks


@pytest.fixture
def problem():
    rng = np.random.default_rng(0)
    mix = uniform_mixture(k=4, d=12, lam=3.0, spacing=3)
    labels, Y = mix.sample(300, rng)
    x = rng.standard_normal((4, 12)) * 0.7
    return x, labels, Y, 0.05


def test_gradient_matches_finite_differences(problem):
    x, labels, Y, beta = problem
    g = sr.gradient(x, labels, Y, beta)
    rng = np.random.default_rng(1)
    for _ in range(5):
        v = rng.standard_normal(x.shape)
        h = 1e-6
        fd = (sr.risk(x + h * v, labels, Y, beta) - sr.risk(x - h * v, labels, Y, beta)) / (2 * h)
        assert np.isclose(np.sum(g * v), fd, rtol=1e-6, atol=1e-9)


def test_hvp_matches_finite_differences_of_gradient(problem):
    x, labels, Y, beta = problem
    rng = np.random.default_rng(2)
    v = rng.standard_normal(x.shape)
    h = 1e-5
    g_plus = sr.gradient(x + h * v, labels, Y, beta)
    g_minus = sr.gradient(x - h * v, labels, Y, beta)
    fd = (g_plus - g_minus) / (2 * h)
    hv = sr.hessian_vector_product(x, labels, Y, beta, v)
    np.testing.assert_allclose(hv, fd, rtol=1e-6, atol=1e-8)


def test_hvp_matches_dense_hessian(problem):
    x, labels, Y, beta = problem
    H = sr.dense_hessian(x, labels, Y, beta)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    v = np.random.default_rng(3).standard_normal(x.shape)
    np.testing.assert_allclose(sr.hessian_vector_product(x, labels, Y, beta, v).ravel(),
                               H @ v.ravel(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("include_ridge", [True, False])
def test_curvature_blocks_match_dense_hessian_and_g_matrix(problem, include_ridge):
    x, labels, Y, beta = problem
    k, d = x.shape
    ops = SoftmaxCurvatureBlocks(x, labels, Y, beta, include_ridge=include_ridge)
    H = sr.dense_hessian(x, labels, Y, beta).reshape(k, d, k, d)
    G = sr.dense_g_matrix(x, labels, Y, beta, include_ridge).reshape(k, d, k, d)
    ref = np.stack([H[c, :, c, :] for c in range(k)] + [G[c, :, c, :] for c in range(k)])
    np.testing.assert_allclose(ops.dense(), ref, rtol=1e-10, atol=1e-12)
    V = np.random.default_rng(4).standard_normal((2 * k, d, 3))
    np.testing.assert_allclose(ops.apply(V), ref @ V, rtol=1e-10, atol=1e-12)


def test_float32_blocks_are_close(problem):
    x, labels, Y, beta = problem
    V = np.random.default_rng(5).standard_normal((8, 12, 2))
    a64 = SoftmaxCurvatureBlocks(x, labels, Y, beta).apply(V)
    a32 = SoftmaxCurvatureBlocks(x, labels, Y, beta, dtype=np.float32).apply(V)
    np.testing.assert_allclose(a32, a64, rtol=1e-4, atol=1e-5)
