"""Closed forms (docs/exact_dynamics.md §5) against the full per-mode ODE."""

import numpy as np
import pytest

from hdsgd.data.anisotropic_mixture import (
    isotropic_mixture,
    power_law_mixture,
    zero_one_mixture,
)
from hdsgd.theory.exact_closed_forms import (
    binary_fixed_point,
    binary_separation,
    isotropic_logistic_fixed_point,
    isotropic_reduced_ode,
    least_squares_optimum,
    least_squares_plateau,
    logistic_optimal_risk,
    power_law_critical_beta,
    power_law_separation_exponent,
    zero_one_least_squares_risk,
    zero_one_logistic_noiseless_risk,
    zero_one_reduced_ode,
)
from hdsgd.theory.exact_ode import solve_exact_ode


def test_least_squares_plateau_matches_ode_and_brief_numbers():
    mix = isotropic_mixture(200, np.random.default_rng(0))
    gammas = [0.5, 1.0, 1.5]
    ode = solve_exact_ode(mix, "least_squares", gammas, [60.0], dt=0.02)
    plateau = [least_squares_plateau(mix.means[0], mix.eigs[0], g) for g in gammas]
    np.testing.assert_allclose(plateau, [1 / 3, 0.5, 1.0], rtol=1e-12)   # docs §5.1
    np.testing.assert_allclose(ode["risk"][:, 0], plateau, rtol=1e-5)
    assert least_squares_optimum(mix.means[0], mix.eigs[0]) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="stability edge"):
        least_squares_plateau(mix.means[0], mix.eigs[0], 2.0)


@pytest.mark.parametrize("s, gamma, m, q, L", [
    (1, 0.25, 2.0444, 0.1306, 0.36357), (1, 0.5, 2.0916, 0.2729, 0.37132),
    (1, 1.0, 2.1947, 0.5974, 0.38835), (1, 2.0, 2.4395, 1.4395, 0.42930),
    (0.5, 1.0, 1.1096, 0.6096, 0.53875), (2, 1.0, 4.3424, 0.5856, 0.20932),
])
def test_isotropic_logistic_fixed_point_table(s, gamma, m, q, L):
    got = isotropic_logistic_fixed_point(s, gamma)
    np.testing.assert_allclose(got, (m, q, L), atol=6e-5)  # table rounded to 4-5 digits


def test_full_ode_reaches_logistic_fixed_point_and_small_gamma_gives_bayes_risk():
    mix = isotropic_mixture(100, np.random.default_rng(1))
    ode = solve_exact_ode(mix, "logistic", [1.0], [300.0], dt=0.05)
    assert ode["risk"][0, -1] == pytest.approx(isotropic_logistic_fixed_point(1.0, 1.0)[2],
                                               rel=1e-4)
    np.testing.assert_allclose([logistic_optimal_risk(x) for x in (0.5, 1, 2)],
                               [0.49180, 0.35632, 0.19308], atol=1e-5)
    # L_inf - L* = O(gamma) (slope ~0.03 at s = 1)
    assert isotropic_logistic_fixed_point(1.0, 1e-3)[2] == pytest.approx(
        logistic_optimal_risk(1.0), abs=5e-5)


@pytest.mark.parametrize("kind", ["logistic", "least_squares"])
def test_full_ode_equals_isotropic_reduction(kind):
    mix = isotropic_mixture(150, np.random.default_rng(2), sigma=0.8, mean_norm=1.3)
    t = np.array([0.5, 2.0, 8.0])
    full = solve_exact_ode(mix, kind, [0.7], t, dt=0.005)
    red = isotropic_reduced_ode(kind, 1.3**2, 0.7, t, sigma=0.8)
    np.testing.assert_allclose(full["risk"][0], red["risk"], rtol=1e-6)
    np.testing.assert_allclose(full["m"][0, :, 0], red["m"], rtol=1e-6)
    np.testing.assert_allclose(full["norm2"][0], red["norm2"], rtol=1e-6)


@pytest.mark.parametrize("kind", ["logistic", "least_squares"])
def test_full_ode_equals_zero_one_reduction_with_split_mean(kind):
    mix = zero_one_mixture(200, np.random.default_rng(3), rho0=0.4, clean_mass=0.6)
    t = np.array([1.0, 4.0, 12.0])
    mu = mix.means[0]
    probe = np.where(mix.clean, mu, 0.0)
    full = solve_exact_ode(mix, kind, [1.0], t, dt=0.005, probes=probe)
    red = zero_one_reduced_ode(kind, 0.6, 0.4, 0.6, 1.0, t)
    np.testing.assert_allclose(full["risk"][0], red["risk"], rtol=1e-6)
    np.testing.assert_allclose(full["probes"][0, :, 0], red["m0"], rtol=1e-6)
    np.testing.assert_allclose(full["norm2"][0], red["norm2"], rtol=1e-6)


def test_zero_one_logistic_one_over_gamma_s_t_law():
    # §5.3 formula values at s = 1, and the gamma s t L(t) -> 1 law
    np.testing.assert_allclose(zero_one_logistic_noiseless_risk([10, 40], 1.0, 1.0),
                               [0.10737, 0.02640], atol=1e-5)
    np.testing.assert_allclose(zero_one_logistic_noiseless_risk([10, 40], 2.0, 1.0),
                               [0.05377, 0.01296], atol=1e-5)
    # without noisy directions the ODE is the formula
    red = zero_one_reduced_ode("logistic", 1.0, 0.0, 1e-9, 1.5, [3.0, 30.0])
    np.testing.assert_allclose(red["risk"], zero_one_logistic_noiseless_risk([3, 30], 1.5, 1.0),
                               rtol=1e-6)
    # with half the modes noisy, the full ODE still obeys gamma s t L -> 1
    mix = zero_one_mixture(200, np.random.default_rng(4), rho0=0.5)
    t = np.array([100.0, 400.0])
    L = solve_exact_ode(mix, "logistic", [1.0, 2.0], t, dt=0.05)["risk"]
    prod = np.array([1.0, 2.0])[:, None] * t * L
    assert np.all(np.abs(prod - 1.0) < 0.06)
    assert np.all(np.abs(prod[:, 1] - 1.0) < np.abs(prod[:, 0] - 1.0))


def test_zero_one_least_squares_exact_solution():
    np.testing.assert_allclose(zero_one_least_squares_risk([1, 4, 8], 0.5, 1.0, 0.5),
                               [0.20843, 0.015099, 4.559e-4], rtol=1e-4)
    np.testing.assert_allclose(zero_one_least_squares_risk([1, 4, 8], 1.0, 1.0, 0.5),
                               [0.11157, 1.2394e-3, 3.072e-6], rtol=1e-4)
    mix = zero_one_mixture(300, np.random.default_rng(5), rho0=0.5)
    t = np.array([1.0, 4.0, 8.0])
    ode = solve_exact_ode(mix, "least_squares", [0.5, 1.0], t, dt=0.005)
    for k, g in enumerate([0.5, 1.0]):
        np.testing.assert_allclose(ode["risk"][k], zero_one_least_squares_risk(t, g, 1.0, 0.5),
                                   rtol=1e-6)


def test_phase_transition_criterion():
    rng = np.random.default_rng(6)
    clean = zero_one_mixture(100, rng, rho0=0.5, clean_mass=0.3)
    noisy = zero_one_mixture(100, rng, rho0=0.5, clean_mass=0.0)
    assert binary_separation(clean.means[0], *clean.eigs) == np.inf
    assert binary_separation(noisy.means[0], *noisy.eigs) == pytest.approx(0.5)
    assert power_law_critical_beta(1.1, "unit_norm") == pytest.approx(1.05)
    assert power_law_critical_beta(1.1, "caption") == pytest.approx(0.55)

    def delta2(beta, d, scaling):
        mix = power_law_mixture(d, beta=beta, mean_scaling=scaling)
        return binary_separation(mix.means[0], *mix.eigs)

    for scaling in ("unit_norm", "caption"):
        beta_c = power_law_critical_beta(1.1, scaling)
        for beta in (beta_c - 0.5, beta_c - 0.2, beta_c + 0.25, beta_c + 0.7):
            if beta < 0:
                continue
            a, b = delta2(beta, 100_000, scaling), delta2(beta, 1_000_000, scaling)
            slope = np.log(b / a) / np.log(10.0)
            want = power_law_separation_exponent(1.1, beta, scaling)
            assert (slope > 0.1) == (beta < beta_c), (scaling, beta, slope)
            assert slope == pytest.approx(want, abs=0.12), (scaling, beta, slope, want)
    # least-squares optimum with the averaged covariance (unit-norm mean, §5.4)
    for beta, want in [(0.0, 2.8e-4), (1.0, 0.0455), (1.5, 0.19)]:
        mix = power_law_mixture(1000, beta=beta, mean_scaling="unit_norm")
        got = least_squares_optimum(mix.means[0], mix.eigs.mean(axis=0))
        assert got == pytest.approx(want, rel=0.05)


def test_power_law_means_as_captioned_and_unit_norm():
    d = 400
    i = np.arange(1, d + 1)
    cap = power_law_mixture(d, beta=0.75)
    np.testing.assert_allclose(cap.means[0], i**-0.75 / np.sqrt(d))
    np.testing.assert_allclose(cap.eigs, [i**-1.1, i**-1.5])
    assert np.linalg.norm(power_law_mixture(d, beta=0.0).means[0]) == pytest.approx(1.0)
    unit = power_law_mixture(d, beta=0.75, mean_scaling="unit_norm")
    np.testing.assert_allclose(unit.means[0], cap.means[0] / np.linalg.norm(cap.means[0]))
    with pytest.raises(ValueError, match="mean_scaling"):
        power_law_mixture(d, beta=0.5, mean_scaling="raw")


def test_power_law_long_time_risk_on_both_sides_of_beta_c():
    # unit-norm mean (§5.4): ODE at d = 1000, gamma = 1, t = 200 gives 0.0086 (beta 0.5),
    # 0.2561 (beta 1.5), and L depends on (gamma, t) only through gamma t
    risks = []
    for beta in (0.5, 1.5):
        mix = power_law_mixture(1000, beta=beta, mean_scaling="unit_norm")
        r1 = solve_exact_ode(mix, "logistic", [1.0], [200.0], dt=0.1)["risk"][0, 0]
        r4 = solve_exact_ode(mix, "logistic", [4.0], [50.0], dt=0.025)["risk"][0, 0]
        assert r4 == pytest.approx(r1, rel=0.02)
        risks.append(r1)
    np.testing.assert_allclose(risks, [0.0086, 0.2561], rtol=0.03)


def test_binary_fixed_point_is_the_isotropic_closed_form_and_the_odes_limit():
    """The general fixed point (§5.6) equals the isotropic reduction's (§5.2) for K = I, and
    the power-law ODE of Fig 1(d) converges to it: by t = 10^5 (exponential integrator) the
    risk is within 1e-6 of it, with the curves of different gamma apart only through the
    O(gamma / d) noise."""
    mix = isotropic_mixture(500, np.random.default_rng(3))
    for gamma in (0.5, 2.0):
        m, Q, L = binary_fixed_point(mix, "logistic", gamma)
        m_iso, q_iso, L_iso = isotropic_logistic_fixed_point(1.0, gamma)
        assert L == pytest.approx(L_iso, abs=1e-10)
        np.testing.assert_allclose(m, [m_iso, -m_iso], rtol=1e-8)
        np.testing.assert_allclose(Q, m_iso**2 + q_iso, rtol=1e-8)
    mix = power_law_mixture(1000, beta=0.75)
    gammas = [1.0, 4.0]
    ode = solve_exact_ode(mix, "logistic", gammas, [100.0, 1e5], dt=0.02, rel_step=0.05)
    limits = [binary_fixed_point(mix, "logistic", g)[2] for g in gammas]
    np.testing.assert_allclose(ode["risk"][:, -1], limits, atol=1e-6)
    assert np.all(ode["risk"][:, 0] - limits > 0.03)       # far from it at the SGD horizon
    assert abs(limits[1] - limits[0]) < 1e-3
    with pytest.raises(ValueError, match="without variance"):
        binary_fixed_point(zero_one_mixture(100, np.random.default_rng(0), rho0=0.5),
                           "logistic", 1.0)


@pytest.mark.parametrize("family", ["power_law", "zero_one"])
def test_exponential_integrator_matches_rk4(family):
    """Exponential midpoint steps max(dt, 0.05 t) (stable at any step) against RK4 at
    dt = 0.02: within 5e-5 of the learned risk, and closer as the steps shrink."""
    mix = (power_law_mixture(500, beta=0.75) if family == "power_law"
           else zero_one_mixture(500, np.random.default_rng(2), rho0=0.5, clean_mass=0.5))
    t = np.array([0.5, 3.0, 20.0, 100.0])
    ref = solve_exact_ode(mix, "logistic", [1.0, 4.0], t, dt=0.02)["risk"]
    learned = np.log(2.0) - ref
    errs = [np.max(np.abs(solve_exact_ode(mix, "logistic", [1.0, 4.0], t, dt=0.02,
                                          rel_step=step)["risk"] - ref) / learned)
            for step in (0.1, 0.05)]
    assert errs[1] < 5e-5, errs
    assert errs[1] < 0.5 * errs[0], errs
