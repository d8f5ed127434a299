"""NTK of the one-hidden-layer network: closed form vs finite-difference Jacobians, spectra."""

import numpy as np
import pytest

from hdsgd.models import ntk


@pytest.fixture
def tiny():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 5))
    return ntk.init_two_layer(d=5, width=6, seed=1), X


def fd_jacobian(params, X, eps=1e-6):
    """Central finite differences of f(X; theta) with respect to every parameter."""
    m, d = params["W"].shape
    theta = ntk.flatten_params(params)
    J = np.empty((X.shape[0], theta.size))
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = eps
        fp = ntk.forward(ntk.unflatten_params(theta + e, m, d), X)
        fm = ntk.forward(ntk.unflatten_params(theta - e, m, d), X)
        J[:, j] = (fp - fm) / (2 * eps)
    return J


def test_analytic_jacobian_matches_finite_differences(tiny):
    params, X = tiny
    np.testing.assert_allclose(ntk.jacobian(params, X), fd_jacobian(params, X), atol=1e-7)


def test_empirical_ntk_equals_JJt_from_finite_differences(tiny):
    params, X = tiny
    J = fd_jacobian(params, X)
    K = ntk.empirical_ntk(params, X, block=3)  # several row blocks
    np.testing.assert_allclose(K, J @ J.T, rtol=1e-6, atol=1e-8)
    assert np.all(np.linalg.eigvalsh(K) > -1e-10)


def test_flatten_roundtrip(tiny):
    params, _ = tiny
    back = ntk.unflatten_params(ntk.flatten_params(params), 6, 5)
    for k in params:
        np.testing.assert_array_equal(back[k], params[k])


def test_kernel_spectrum_decomposes_the_loss(tiny):
    params, X = tiny
    K = ntk.empirical_ntk(params, X)
    r = np.random.default_rng(3).standard_normal(X.shape[0])
    spec = ntk.kernel_spectrum(K, r)
    N = X.shape[0]
    assert np.all(np.diff(spec.eigvals) <= 1e-12)
    np.testing.assert_allclose(spec.eigvals, np.sort(np.linalg.eigvalsh(K / N))[::-1], atol=1e-12)
    # L = 1/(2N)|r|^2 = 1/2 sum_k p_k = 1/2 sum_k lambda_k c_k
    np.testing.assert_allclose(0.5 * spec.loss_components.sum(), 0.5 * np.mean(r**2))
    np.testing.assert_allclose(np.sum(spec.eigvals * spec.coeffs), np.mean(r**2))
    # U diag(N lambda) U^T reconstructs K
    np.testing.assert_allclose((spec.U * spec.eigvals * N) @ spec.U.T, K, atol=1e-10)


def test_power_law_fits_recover_exponents():
    k = np.arange(1, 201)
    lam = 2.5 * k**-1.7
    A, nu = ntk.fit_power_law(lam, 1, 200)
    assert A == pytest.approx(2.5, rel=1e-10) and nu == pytest.approx(1.7, rel=1e-10)
    p = k**-2.2
    tail = ntk.loss_tail(p)
    assert tail[0] == pytest.approx(p.sum()) and tail[-1] == pytest.approx(p[-1])
    assert ntk.power_law_r2(lam, 1, 200, A, nu) == pytest.approx(1.0)
    wiggly = lam * (1 + 0.3 * np.sin(k))
    A2, nu2 = ntk.fit_power_law(wiggly, 1, 200)
    assert 0.5 < ntk.power_law_r2(wiggly, 1, 200, A2, nu2) < 0.999
    with pytest.raises(ValueError, match="k_min"):
        ntk.fit_power_law(lam, 5, 500)


def test_kernel_problem_is_normalised_to_unit_top_eigenvalue(tiny):
    params, X = tiny
    K = 3.0 * ntk.empirical_ntk(params, X)
    r0 = np.random.default_rng(5).standard_normal(X.shape[0])
    prob = ntk.kernel_problem(K, r0)
    N = X.shape[0]
    assert prob.eigvals[0] == pytest.approx(1.0)
    assert np.linalg.eigvalsh(prob.gram / N).max() == pytest.approx(1.0)
    assert prob.lambda_max == pytest.approx(np.linalg.eigvalsh(K / N).max())
    # 1/2 sum_k lambda_k c_k is the initial loss |r0|^2 / (2N) in the normalised units too
    assert 0.5 * np.sum(prob.eigvals * prob.coeffs) == pytest.approx(0.5 * np.mean(r0**2))


def test_kernel_problem_floors_numerically_zero_eigenvalues():
    """A repeated input makes K singular; its null mode keeps its loss component (SGD never
    moves it) at the round-off eigenvalue N eps, so 1/2 sum lambda c is still the loss."""
    rng = np.random.default_rng(0)
    F = rng.standard_normal((6, 4))
    F[5] = F[4]  # two identical inputs
    r0 = rng.standard_normal(6)
    prob = ntk.kernel_problem(F @ F.T, r0)
    floor = 6 * np.finfo(float).eps
    assert prob.eigvals.min() == pytest.approx(floor)
    assert prob.loss_components[-1] > 1e-3  # the residual difference of the twins
    assert 0.5 * np.sum(prob.eigvals * prob.coeffs) == pytest.approx(0.5 * np.mean(r0**2))
