"""Power-law problems: data generator, Theorem 2 exponents/constants in both phases, transition
time, and the critical learning rate measured with real SGD (arXiv 2206.11124, Sec. 5)."""

import numpy as np
import pytest

from hdsgd.data.power_law import (
    power_law_coefficients,
    power_law_problem,
    power_law_spectrum,
    spectral_measure_constant,
)
from hdsgd.theory.generating_functions import se_loss_curve
from hdsgd.theory.gf_stability import critical_learning_rate, max_stable_learning_rate
from hdsgd.theory.power_law_phases import (
    asymptotic_constants,
    loss_exponent,
    negative_momentum_gain,
    power_law_phase,
    transition_time,
)
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid, observed_divergence


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


def test_phase_classification():
    assert power_law_phase(0.8, 1.0) == 0
    assert power_law_phase(1.5, 1.0) == 1 and power_law_phase(1.5, 1.5) == 2
    assert np.isclose(loss_exponent(2.0, 3.0), 1.5) and np.isclose(loss_exponent(2.0, 1.0), 1.0)


@pytest.mark.parametrize("nu,zeta,batch", [(2.0, 0.8, 4), (2.0, 3.0, 1)])
def test_late_time_exponent_and_constant_match_theorem_2(nu, zeta, batch):
    lam = power_law_spectrum(20000, nu)
    c = power_law_coefficients(lam, nu, zeta)
    kw = dict(batch_size=batch, n_data=None, tau1=1.0, tau2=-1.0)
    alpha = 0.8 * critical_learning_rate(lam, beta=0.0, **kw)
    loss = se_loss_curve(lam, c, alpha=alpha, beta=0.0, n_steps=4000, **kw)
    consts = asymptotic_constants(lam, c, nu=nu, zeta=zeta,
                                  q_const=spectral_measure_constant(lam, c, nu, zeta),
                                  scale=1.0, alpha=alpha, beta=0.0, **kw)
    t = np.array([1000, 2000, 4000])
    fitted = -np.polyfit(np.log(t), np.log(loss[t]), 1)[0]
    assert abs(fitted - loss_exponent(nu, zeta)) < 0.03
    phase = power_law_phase(nu, zeta)
    predicted = (consts["signal"] * t**-zeta if phase == 1
                 else consts["noise"] * t ** -consts["xi_noise"])
    assert np.allclose(loss[t], predicted, rtol=0.05)
    # the other term is negligible past the transition time (29)
    assert transition_time(consts) < 200


def test_measured_critical_learning_rate_within_few_percent_of_u1_equal_one():
    prob = power_law_problem(200, 1.5, 1.0, seed=0)
    batch, beta = 1, 0.0
    a_c = critical_learning_rate(prob.eigvals, beta=beta, batch_size=batch, n_data=200,
                                 tau1=1.0, tau2=-1.0)
    factors = np.linspace(0.85, 1.15, 25)
    res = minibatch_sgd_grid(prob.gram, prob.r0, a_c * factors, np.full(25, beta),
                             batch_size=batch, n_steps=4000, seeds=range(4),
                             record_steps=np.unique(np.geomspace(1, 4000, 30).astype(int)))
    divergent = observed_divergence(res)
    assert not divergent[0] and divergent[-1]
    measured = factors[np.argmax(divergent)]          # first divergent grid point
    assert abs(measured - 1) < 0.08


@pytest.mark.parametrize("zeta,phase,sign", [(0.8, 1, -1), (2.5, 2, 1)])
def test_negative_momentum_criterion_matches_iterated_se_optimum(zeta, phase, sign):
    """Prop. 5 (reconstructed): negative momentum helps in the noise-dominated phase only; the
    sign of d log C*/d beta agrees with the optimum of the iterated SE loss over (alpha, beta)."""
    nu, n = 1.5, 400
    lam = power_law_spectrum(n, nu)
    c = power_law_coefficients(lam, nu, zeta)
    kw = dict(batch_size=1, n_data=n, tau1=1.0, tau2=-1.0)
    gain = negative_momentum_gain(lam, c, phase=phase, nu=nu, zeta=zeta, **kw)
    assert np.sign(gain) == sign
    betas = np.array([-0.3, 0.0, 0.3])
    fractions = np.geomspace(0.05, 0.95, 10)
    a_max = np.array([max_stable_learning_rate(lam, beta=b, **kw) for b in betas])
    alphas = a_max[:, None] * fractions
    loss = se_loss_curve(lam, c, alpha=alphas, beta=np.broadcast_to(betas[:, None], alphas.shape),
                         n_steps=400, **kw)[..., -1].min(axis=1)
    # noise phase: beta = -0.3 beats beta = +0.3; signal phase: the reverse
    assert np.sign(loss[2] - loss[0]) == sign
