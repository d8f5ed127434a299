"""Power-law problems (arXiv 2206.11124, Sec. 6): data generator, phases, Theorem 2 asymptotes
(28a, 28b) and the transition time (29) against the iterated SE recursion, eq. 24, the optimal
learning rates and the momentum criteria (eq. 30 as the paper's map evaluates it, and the
derivative of 28b)."""

import numpy as np
import pytest

from hdsgd.data.power_law import (
    power_law_coefficients,
    power_law_problem,
    power_law_spectrum,
    spectral_measure_constant,
    tail_power_law_coefficients,
)
from hdsgd.theory.generating_functions import (
    noise_gf_at_one,
    se_loss_grid,
    signal_gf_at_one,
)
from hdsgd.theory.gf_stability import critical_learning_rate
from hdsgd.theory.power_law_phases import (
    crossing_time,
    divergence_asymptote,
    eq30_criterion,
    momentum_derivative_28b,
    noise_asymptote,
    optimal_alpha_28,
    phase_region,
    signal_asymptote,
)


def test_problem_has_prescribed_spectrum_and_initial_loss():
    prob = power_law_problem(150, 1.3, 0.7, seed=4, initial_loss=0.5)
    n = prob.n_data
    assert np.allclose(np.sort(np.linalg.eigvalsh(prob.gram))[::-1], n * prob.eigvals)
    assert np.isclose(prob.r0 @ prob.r0 / (2 * n), 0.5)
    assert np.isclose(0.5 * np.sum(prob.eigvals * prob.coeffs), 0.5)


def test_spectral_measure_constant_matches_partial_sums():
    nu, zeta = 1.5, 0.8
    lam = power_law_spectrum(200000, nu)
    c = power_law_coefficients(lam, nu, zeta)
    q = spectral_measure_constant(lam, c, nu, zeta)
    for level in (1e-4, 1e-5):
        partial = np.sum((lam * c)[lam <= level])
        assert np.isclose(partial, q * level**zeta, rtol=0.02)


def test_tail_coefficients_have_exact_tail_sums():
    lam = power_law_spectrum(1000, 1.5)
    c = tail_power_law_coefficients(lam, 0.75)
    tails = np.cumsum((lam * c)[::-1])[::-1]
    k = np.arange(1, 1001.0)
    assert np.allclose(tails, k**-0.75 - 1001.0**-0.75, rtol=1e-10)


def test_phase_regions():
    assert phase_region(0.4, 1.0) == 0 and phase_region(0.8, 1.0) == 1
    assert phase_region(1.5, 1.0) == 2 and phase_region(1.5, 3.0) == 3


@pytest.mark.parametrize("batch", [100, 500])
def test_iterated_se_loss_is_the_sum_of_the_two_asymptotes(batch):
    """Spec check: nu = 1.5, kappa = 3, alpha = beta = 0.5, gamma = 1/b: L_t within 2 % of
    L_sig + L_noise for t >= 10^3; b = 500 gives t_trans = 1.67e4."""
    nu, kappa, a, b = 1.5, 3.0, 0.5, 0.5
    lam = power_law_spectrum(20000, nu)
    c = tail_power_law_coefficients(lam, kappa)
    kw = dict(batch_size=batch, n_data=None, tau1=1.0, tau2=1.0)
    t = np.array([1000.0, 3000.0, 10000.0, 30000.0])
    loss = se_loss_grid(lam, c, [a], [b], record_steps=t.astype(int), **kw).losses[0]
    u1 = float(noise_gf_at_one(lam, a, b, **kw))
    v1 = float(signal_gf_at_one(lam, c, a, b, batch_size=batch, n_data=None, tau2=1.0))
    sig = signal_asymptote(t, alpha=a, beta=b, nu=nu, kappa=kappa, u1=u1)
    noi = noise_asymptote(t, alpha=a, beta=b, nu=nu, u1=u1, v1=v1, gamma=1 / batch, tau1=1.0)
    assert np.allclose(loss, sig + noi, rtol=0.02)
    t_trans = crossing_time(sig[0] * t[0] ** (kappa / nu), kappa / nu,
                            noi[0] * t[0] ** (2 - 1 / nu), 2 - 1 / nu)
    assert np.isclose(t_trans, {100: 1477.3, 500: 1.6704e4}[batch], rtol=1e-3)


def test_divergence_rate_and_amplitude_of_eq_24():
    """Spec check: lambda_k = k^-1.5, N = 1000, kappa = 1, b = 10, alpha = 3.2, beta = 0.5:
    U(1) = 1.81833, r_L = 0.493614 and L_t r_L^t -> V(r_L) / (r_L U'(r_L))."""
    lam = power_law_spectrum(1000, 1.5)
    c = power_law_coefficients(lam, 1.5, 1.0 / 1.5)
    kw = dict(batch_size=10, n_data=1000, tau1=1.0, tau2=1.0)
    assert np.isclose(noise_gf_at_one(lam, 3.2, 0.5, **kw), 1.81833, rtol=1e-5)
    r, amp = divergence_asymptote(lam, c, alpha=3.2, beta=0.5, **kw)
    assert np.isclose(r, 0.493614, rtol=1e-5)
    loss = se_loss_grid(lam, c, [3.2], [0.5], record_steps=[300, 600], **kw).losses[0]
    assert np.allclose(loss * r ** np.array([300, 600]), amp, rtol=1e-6)


def test_optimal_alpha_of_28b_and_28a_at_zero_momentum():
    """gamma tau2 = 1, beta = 0: alpha* = alpha_c (nu - 1)/(3 nu - 1) (noise) and
    alpha_c zeta / (1 + zeta) (signal), alpha_c = 2 / (gamma tau1 Tr H); spec values."""
    kw = dict(batch_size=1, n_data=10000, tau1=1.0, tau2=1.0)
    for nu, kappa, expect in ((1.5, 4.0, 0.1102), (2.0, 8.0, 0.2432), (2.0, 1.0, 0.4053),
                              (1.5, 0.75, 0.2572)):
        lam = power_law_spectrum(10000, nu)
        c = power_law_coefficients(lam, nu, kappa / nu)
        got = optimal_alpha_28(lam, c, nu=nu, kappa=kappa, beta=0.0, **kw)
        assert np.isclose(got, expect, rtol=2e-3)


def test_eq30_as_the_papers_map_and_the_28b_derivative():
    """At N = 10^4 the authors' form of eq. 30 is about -67, -0.4, +2, -100, +0.9 at
    (1.5, 2.5), (1.5, 3.0), (1.5, 3.5), (2.0, 3.5), (2.0, 5.0) (docs table; its negative values
    grow with N since sum C_k / lambda_k diverges for kappa <= 2 nu); the derivative of the 28b
    constant is positive at every one of them, so their signs differ at three points."""
    pairs = np.array([(1.5, 2.5), (1.5, 3.0), (1.5, 3.5), (2.0, 3.5), (2.0, 5.0)])
    expect = np.array([-66.8, -0.41, 1.97, -99.8, 0.87])
    got = eq30_criterion(pairs[:, 0], pairs[:, 1], 10000)
    assert np.array_equal(np.sign(got), np.sign(expect))
    assert np.allclose(got, expect, rtol=0.15)
    kw = dict(batch_size=1, n_data=10000, tau1=1.0, tau2=1.0)
    for nu, kappa in pairs:
        lam = power_law_spectrum(10000, nu)
        c = power_law_coefficients(lam, nu, kappa / nu)
        alpha = optimal_alpha_28(lam, c, nu=nu, kappa=kappa, beta=0.0, **kw)
        assert momentum_derivative_28b(lam, c, nu=nu, alpha=alpha, **kw) > 0


def test_critical_alpha_of_a_full_batch_is_the_noiseless_edge():
    lam = power_law_spectrum(100, 1.5)
    for beta in (-0.5, 0.0, 0.7):
        a = critical_learning_rate(lam, beta=beta, batch_size=100, n_data=100, tau1=1.0,
                                   tau2=1.0)
        assert np.isclose(a, 2 * (1 + beta))
