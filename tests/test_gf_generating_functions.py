"""SE recursion vs its generating functions, stability conditions and critical learning rate
(arXiv 2206.11124, eqs. 16-24)."""

import numpy as np
import pytest

from hdsgd.theory.generating_functions import (
    loss_gf,
    noise_gf,
    noise_gf_at_one,
    sampling_noise_factor,
    se_loss_curve,
    se_mode_polynomial,
    signal_gf,
    signal_gf_at_one,
)
from hdsgd.theory.gf_stability import (
    critical_learning_rate,
    divergence_rate,
    mode_maps_stable,
    stability_region,
    trace_lr_bound,
)

RNG = np.random.default_rng(0)
LAM = RNG.uniform(0.02, 1.0, 7)
COEF = RNG.uniform(0.1, 1.0, 7)
CASES = [  # alpha, beta, b, N, tau1, tau2
    (0.5, 0.3, 3, 20, 1.0, -1.0),
    (0.8, -0.4, 2, None, 1.0, 1.0),
    (0.3, 0.8, 5, 50, 0.7, 0.2),
    (0.3, -0.2, 1, None, 0.5, -1.0),
]


@pytest.mark.parametrize("alpha,beta,b,n,tau1,tau2", CASES)
def test_loss_gf_equals_iterated_recursion(alpha, beta, b, n, tau1, tau2):
    kw = dict(alpha=alpha, beta=beta, batch_size=b, n_data=n, tau1=tau1, tau2=tau2)
    loss = se_loss_curve(LAM, COEF, n_steps=600, **kw)
    # converged, and |z| <= 0.9 makes the truncated tail of the series negligible (0.9^600)
    assert np.all(np.isfinite(loss)) and loss[-1] < 1e-3 * loss[0]
    z = np.array([0.3, -0.6, 0.5 + 0.4j, 0.9])
    series = np.array([np.sum(loss * zz ** np.arange(loss.size)) for zz in z])
    assert np.allclose(loss_gf(z, LAM, COEF, **kw), series, rtol=1e-10, atol=1e-12)


def test_signal_gf_is_recursion_without_trace_noise():
    kw = dict(alpha=0.6, beta=0.5, batch_size=2, n_data=30, tau2=-1.0)
    loss = se_loss_curve(LAM, COEF, tau1=0.0, n_steps=800, **kw)
    z = np.array([0.2, 0.7, -0.5])
    series = np.array([np.sum(loss * zz ** np.arange(loss.size)) for zz in z])
    assert np.allclose(signal_gf(z, LAM, COEF, **kw), series, rtol=1e-10)


@pytest.mark.parametrize("alpha,beta,b,n,tau1,tau2", CASES)
def test_closed_forms_at_one(alpha, beta, b, n, tau1, tau2):
    kw = dict(batch_size=b, n_data=n, tau2=tau2)
    u = noise_gf(1.0, LAM, alpha=alpha, beta=beta, tau1=tau1, **kw)
    assert np.isclose(noise_gf_at_one(LAM, alpha, beta, tau1=tau1, **kw), u, rtol=1e-12)
    v = signal_gf(1.0, LAM, COEF, alpha=alpha, beta=beta, **kw)
    assert np.isclose(signal_gf_at_one(LAM, COEF, alpha, beta, **kw), v, rtol=1e-12)


def test_mode_polynomial_is_characteristic_polynomial():
    """D_k(z) = det(1 - z B_k) with B_k the explicit 3x3 moment map."""
    x, beta, g, t2 = 0.7, 0.4, 0.3, -1.0
    b_k = np.array([
        [(1 - x) ** 2 - g * t2 * x**2, 2 * beta * (1 - x), beta**2],
        [-x * (1 - x) - g * t2 * x**2, beta * (1 - 2 * x), beta**2],
        [x**2 - g * t2 * x**2, -2 * beta * x, beta**2],
    ])
    d1, d2, d3 = se_mode_polynomial(x, beta, g, t2)
    for z in (0.3, -1.1, 2.0):
        assert np.isclose(np.linalg.det(np.eye(3) - z * b_k), 1 + d1 * z + d2 * z**2 + d3 * z**3)
    rho = np.abs(np.linalg.eigvals(b_k)).max()
    assert (rho < 1) == bool(mode_maps_stable([x], 1.0, beta, batch_size=1 / g, n_data=None,
                                              tau2=t2))


def test_mode_polynomial_is_the_papers_redlog_polynomial():
    """det(1 - z A) equals the polynomial S(a, b, g, z) printed in App. E.2 (b = beta)."""
    rng = np.random.default_rng(3)
    for a, b, g, z in rng.uniform([0, -1, -1, -1], [4, 1, 1, 2], (20, 4)):
        paper = (a**2 * b * g * z**2 + a**2 * b * z**2 + a**2 * g * z - a**2 * z
                 - 2 * a * b**2 * z**2 - 2 * a * b * z**2 + 2 * a * b * z + 2 * a * z
                 - b**3 * z**3 + b**3 * z**2 + b**2 * z**2 - b**2 * z + b * z**2 - b * z - z
                 + 1)
        d1, d2, d3 = se_mode_polynomial(a, b, g, 1.0)
        assert np.isclose(1 + d1 * z + d2 * z**2 + d3 * z**3, paper, rtol=1e-12, atol=1e-12)


def test_mode_stability_is_interval_for_nonpositive_noise_sign():
    """Justifies testing only lambda_max when gamma tau2 <= 0 (Jury test on a dense x grid)."""
    x = np.linspace(1e-4, 12, 6000)
    for gt in (-1.0, -0.3, 0.0):
        for beta in np.linspace(-0.98, 0.98, 41):
            d1, d2, d3 = se_mode_polynomial(x, beta, gt, 1.0)
            ok = ((1 + d1 + d2 + d3 > 0) & (1 - d1 + d2 - d3 > 0)
                  & (np.abs(d3**2 - 1) > np.abs(d3 * d1 - d2)))
            first_bad = np.argmin(ok) if not ok.all() else ok.size
            assert ok[0] and not ok[first_bad:].any()


@pytest.mark.parametrize("beta", [-0.5, 0.0, 0.6])
def test_critical_learning_rate_separates_convergence_from_divergence(beta):
    lam = np.arange(1, 101) ** -1.5
    coef = np.arange(1, 101) ** -1.0 / lam
    kw = dict(batch_size=2, n_data=100, tau1=1.0, tau2=-1.0)
    a_c = critical_learning_rate(lam, beta=beta, **kw)
    assert np.isclose(noise_gf_at_one(lam, a_c, beta, **kw), 1.0, rtol=1e-10)
    below = se_loss_curve(lam, coef, alpha=0.97 * a_c, beta=beta, n_steps=20000, **kw)
    above = se_loss_curve(lam, coef, alpha=1.03 * a_c, beta=beta, n_steps=20000, **kw)
    assert below[-1] < 1e-2 * below[0]
    assert above[-1] > 1e3 * above[0]
    # alpha_eff below 2 / (gamma tau1 Tr H) is necessary for tau2 <= 0
    assert a_c / (1 - beta) <= trace_lr_bound(lam, batch_size=2, n_data=100, tau1=1.0)


def test_divergence_rate_matches_growth_of_iterated_loss():
    lam = np.arange(1, 51) ** -1.3
    coef = np.ones(50)
    kw = dict(beta=0.2, batch_size=1, n_data=None, tau1=1.0, tau2=-1.0)
    alpha = 1.15 * critical_learning_rate(lam, **kw)
    rate = divergence_rate(lam, alpha=alpha, **kw)
    loss = se_loss_curve(lam, coef, alpha=alpha, n_steps=4000, **kw)
    measured = (np.log(loss[4000]) - np.log(loss[3000])) / 1000
    assert rate > 0 and abs(measured - rate) < 1e-3 * rate + 1e-6


def test_stability_region_agrees_with_long_iteration():
    lam = np.arange(1, 31) ** -1.2
    coef = np.ones(30)
    alphas = np.linspace(0.05, 2.5, 12)
    betas = np.linspace(-0.8, 0.9, 7)
    kw = dict(batch_size=2, n_data=30, tau1=1.0, tau2=-1.0)
    region = stability_region(lam, alphas, betas, **kw)
    loss = se_loss_curve(lam, coef, alpha=alphas[None, :], beta=betas[:, None],
                         n_steps=6000, **kw)
    converged = loss[..., -1] < loss[..., 0]
    assert region.any() and (~region).any()
    assert np.array_equal(region, converged)


def test_sampling_noise_factor():
    assert sampling_noise_factor(1, 10) == 1.0
    assert sampling_noise_factor(10, 10) == 0.0
    assert np.isclose(sampling_noise_factor(4, None), 0.25)
    with pytest.raises(ValueError, match="batch_size"):
        sampling_noise_factor(11, 10)
