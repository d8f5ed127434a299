"""The m-output ODE (docs/exact_dynamics.md §2, §4): reduction to the binary ODE, Gaussian
expectations of the K-way losses against Monte Carlo, drift and noise against sampled SGD
increments, and K-output SGD against the ODE."""

import numpy as np
import pytest
from scipy.special import logsumexp, softmax

from hdsgd.data.anisotropic_mixture import (
    DiagonalMixture,
    isotropic_mixture,
    multiclass_mixture,
    power_law_mixture,
    zero_one_mixture,
)
from hdsgd.models.multi_output_glm import (
    OneHotLeastSquares,
    ScalarGLM,
    SoftmaxCrossEntropy,
    symmetric_sqrt,
)
from hdsgd.theory.exact_ode import solve_exact_ode
from hdsgd.theory.multi_output_ode import MultiOutputODE
from hdsgd.training.streaming_sgd import run_streaming_sgd


def _binary_components(d, rng):
    """Binary +-1 labels on 5 components with random spectra (5 distinct class spectra)."""
    probs = rng.dirichlet(np.ones(5))
    eigs = rng.uniform(0.3, 1.5, (5, d)) * (rng.random((5, d)) > 0.3)
    g = rng.standard_normal((5, d))
    return DiagonalMixture(g / np.linalg.norm(g, axis=1, keepdims=True), eigs, probs,
                           np.array([1.0, -1.0, 1.0, -1.0, -1.0]))


@pytest.mark.parametrize("kind", ["logistic", "least_squares"])
@pytest.mark.parametrize("family", ["isotropic", "zero_one", "power_law", "components"])
def test_m1_equals_binary_ode(kind, family):
    rng = np.random.default_rng(0)
    mix = {"isotropic": lambda: isotropic_mixture(150, rng, sigma=0.8),
           "zero_one": lambda: zero_one_mixture(150, rng, rho0=0.4, clean_mass=0.6),
           "power_law": lambda: power_law_mixture(150, beta=0.3),
           "components": lambda: _binary_components(120, rng)}[family]()
    t = np.array([0.0, 0.5, 2.0, 5.0])
    probe = mix.means[:1]
    a = solve_exact_ode(mix, kind, [0.7, 1.3], t, dt=0.02, probes=probe)
    b = MultiOutputODE(mix, ScalarGLM(kind, mix.labels)).solve([0.7, 1.3], t, dt=0.02,
                                                              probes=probe)
    for key in ("risk", "norm2"):
        np.testing.assert_allclose(b[key], a[key], rtol=0, atol=1e-10)
    np.testing.assert_allclose(b["m"][..., 0], a["m"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(b["probes"][..., 0], a["probes"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(b["y_final"][..., 0], a["y_final"], rtol=0, atol=1e-10)
    if kind == "least_squares":       # one-hot LS with +-1 targets is the binary LS loss
        c = MultiOutputODE(mix, OneHotLeastSquares(mix.labels[:, None])).solve(
            [0.7, 1.3], t, dt=0.02)
        np.testing.assert_allclose(c["risk"], a["risk"], rtol=0, atol=1e-10)


def test_spectral_groups():
    mix = zero_one_mixture(40, np.random.default_rng(1), rho0=0.25)
    gr = mix.spectral_groups()
    assert gr.spectra.shape == (1, 40) and list(gr.group) == [0, 0]
    assert sorted(gr.counts) == [10, 30]
    pl = power_law_mixture(40, beta=0.5).spectral_groups()
    assert pl.spectra.shape == (2, 40) and pl.counts.size == 40
    np.testing.assert_array_equal(pl.signatures[:, pl.mode_sig], pl.spectra)


def _random_psd(K, rng, scale=1.0):
    A = rng.standard_normal((K, K)) / np.sqrt(K)
    return scale * (0.5 * np.eye(K) + A @ A.T)


def test_one_hot_least_squares_expectations_match_monte_carlo():
    rng = np.random.default_rng(2)
    K, n = 5, 400_000
    loss = OneHotLeastSquares.one_hot(K)
    M = rng.standard_normal((K, K))
    Q = np.stack([_random_psd(K, rng), _random_psd(K, rng, 0.3)])
    group = np.array([0, 1, 0, 1, 1])
    g, H, I, L = loss.expectations(M, Q, group)
    for c in range(K):
        r = M[c] + rng.standard_normal((n, K)) @ symmetric_sqrt(Q[group[c]]).T
        grad = loss.gradient(r, np.full(n, c))
        for exact, samples in [(g[c], grad), (I[c], grad[:, :, None] * grad[:, None, :]),
                               (L[c], loss.value(r, np.full(n, c)))]:
            se = samples.std(0) / np.sqrt(n) + 1e-12
            assert np.all(np.abs(exact - samples.mean(0)) < 5 * se)
        np.testing.assert_array_equal(H[c], np.eye(K))


def _softmax_monte_carlo(m, F, c, n, rng):
    """Brute force: E s, E s s^T, E lse and their standard errors from n draws."""
    K, es, ess, else_ = m.size, 0.0, 0.0, []
    for _ in range(n // 100_000):
        R = m + rng.standard_normal((100_000, K)) @ F.T
        S = softmax(R, axis=1)
        es = es + S.sum(0)
        ess = ess + S.T @ S
        else_.append(logsumexp(R, axis=1))
    else_ = np.concatenate(else_)
    es, ess = es / n, ess / n
    e = np.eye(K)[c]
    return (es - e, np.diag(es) - ess,
            ess - np.outer(es, e) - np.outer(e, es) + np.outer(e, e), else_.mean() - m[c])


@pytest.mark.parametrize("K", [4, 16])
def test_softmax_scheme_against_monte_carlo_with_a_million_draws(K):
    """512 antithetic quasi-Monte Carlo pairs (the paper-scale setting) against 10^6 plain
    Monte Carlo draws (standard errors ~3e-4 for g, H, I and ~1.5e-3 for L), at class means
    and covariances like those along Fig 5's trajectories."""
    rng = np.random.default_rng(3)
    M = np.full((K, K), -0.3) + 2.5 * np.eye(K)
    Q = (1.5 * _random_psd(K, rng))[None]
    g, H, I, L = SoftmaxCrossEntropy(K, 512, seed=0).expectations(M, Q, np.zeros(K, int))
    F = symmetric_sqrt(Q[0])
    for c in (0, K - 1):
        ref_g, ref_H, ref_I, ref_L = _softmax_monte_carlo(M[c], F, c, 1_000_000, rng)
        for got, want in ((g[c], ref_g), (H[c], ref_H), (I[c], ref_I)):
            assert np.max(np.abs(got - want)) < 4e-3, (c, np.max(np.abs(got - want)))
        assert abs(L[c] - ref_L) < 1.2e-2


def test_softmax_ode_is_insensitive_to_the_quadrature_points():
    """Two ODE solutions with independent point sets: the trajectory error of the scheme is
    ~1e-4 relative, far below the SGD-ODE tolerances of Fig 5."""
    mix = multiclass_mixture(400, 10, np.random.default_rng(4), family="zero_one",
                             class_signal=0.5, class_exponent=0.5, rho0=0.5, clean_mass=0.5)
    t = np.array([0.0, 0.5, 1.0, 2.0, 4.0])
    sols = [MultiOutputODE(mix, SoftmaxCrossEntropy(10, 512, seed=s)).solve([1.0], t, dt=0.1)
            for s in (0, 1)]
    learned = [s["risk"][0, 0] - s["risk"][0] for s in sols]
    np.testing.assert_allclose(learned[1][1:], learned[0][1:], rtol=1e-3)
    own = [np.diagonal(s["m"][0], axis1=-2, axis2=-1)[1:] for s in sols]
    np.testing.assert_allclose(own[1], own[0], rtol=1e-3)


def _k_way_losses(K):
    return {"softmax": SoftmaxCrossEntropy(K, 2048, seed=1),
            "one_hot": OneHotLeastSquares.one_hot(K)}


@pytest.mark.parametrize("loss_name", ["softmax", "one_hot"])
def test_multi_output_drift_is_the_expected_sgd_increment(loss_name):
    """At (y = X, C = 0), dy/dt = -gamma E[a grad f(X^T a)^T] at any d (Stein's lemma), on
    sampled data with two class spectra (power laws)."""
    rng = np.random.default_rng(5)
    d, K, gamma, n = 30, 4, 1.3, 200_000
    mix = multiclass_mixture(d, K, rng, family="power_law", class_signal=0.3,
                             class_exponent=0.5, alphas=(0.5, 0.9), beta=0.2)
    loss = _k_way_losses(K)[loss_name]
    ode = MultiOutputODE(mix, loss)
    X = rng.standard_normal((d, K)) / np.sqrt(d)
    dy, _ = ode.rhs(X[None], np.zeros((1, ode.groups.counts.size, K, K)), [gamma])
    c, a = mix.sample(n, rng)
    incr = -gamma * a[:, :, None] * loss.gradient(a @ X, c)[:, None, :]     # (n, d, K)
    se = incr.std(0) / np.sqrt(n)
    assert np.max(np.abs(dy[0] - incr.mean(0)) / se) < 5.0


@pytest.mark.parametrize("loss_name", ["softmax", "one_hot"])
def test_multi_output_noise_is_the_sgd_step_covariance(loss_name):
    """The noise term summed over modes, sum_i dC_i/dt at C = 0, is d sum_i Cov(step_i) up to
    O(1/d) (the mean part mu_{c,i}^2 I_c, here ~1 %), on sampled data."""
    rng = np.random.default_rng(6)
    d, K, gamma, n = 400, 4, 1.0, 10_000
    mix = multiclass_mixture(d, K, rng, family="zero_one", class_signal=0.05,
                             class_exponent=0.5, rho0=0.3, clean_mass=0.5)
    loss = _k_way_losses(K)[loss_name]
    ode = MultiOutputODE(mix, loss)
    X = rng.standard_normal((d, K)) / np.sqrt(d)
    _, dC = ode.rhs(X[None], np.zeros((1, ode.groups.counts.size, K, K)), [gamma])
    c, a = mix.sample(n, rng)
    step = (gamma / d) * a[:, :, None] * loss.gradient(a @ X, c)[:, None, :]
    step -= step.mean(0)
    sampled = d * np.einsum("nik,nil->kl", step, step) / n
    np.testing.assert_allclose(dC[0].sum(0), sampled, rtol=0.05,
                               atol=0.03 * np.abs(sampled).max())


def _within_seed_spread(ode, sgd, t_agree):
    """|SGD mean - ODE| <= SD of single runs, for the learned risk and own-class overlaps."""
    t = ode["t"]
    keep = t >= t_agree
    learned_o = (ode["risk"][0, 0] - ode["risk"][0])[keep]
    learned_s = (sgd["risk"][0, :, :1] - sgd["risk"][0])[:, keep]
    assert np.all(np.abs(learned_s.mean(0) - learned_o) <= learned_s.std(0, ddof=1)), \
        (learned_s.mean(0) / learned_o - 1, learned_s.std(0, ddof=1) / learned_o)
    own_o = np.diagonal(ode["m"][0], axis1=-2, axis2=-1)[keep]
    own_s = np.diagonal(sgd["m"][0], axis1=-2, axis2=-1)[:, keep]
    assert np.all(np.abs(own_s.mean(0) - own_o) <= own_s.std(0, ddof=1))


@pytest.mark.parametrize("K, loss_name", [(4, "softmax"), (16, "softmax"), (8, "one_hot")])
def test_k_output_sgd_follows_the_ode_within_the_seed_spread(K, loss_name):
    """d = 1000, zero-one covariance: learned risk L(0) - L(t) and every class's own overlap of
    the SGD mean lie within one seed standard deviation of the ODE for t >= 0.5."""
    d = 1000
    mix = multiclass_mixture(d, K, np.random.default_rng(6), family="zero_one",
                             class_signal=0.5, class_exponent=0.5, rho0=0.5, clean_mass=0.5)
    loss = SoftmaxCrossEntropy(K, 256, seed=0) if loss_name == "softmax" else \
        OneHotLeastSquares.one_hot(K)
    gamma = 1.0 if loss_name == "softmax" else 0.5
    t = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    ode = MultiOutputODE(mix, loss).solve([gamma], t, dt=0.05)
    sgd = run_streaming_sgd(mix, loss, [gamma], 16, t, rng=np.random.default_rng(7))
    _within_seed_spread(ode, sgd, 0.5)


@pytest.mark.parametrize("family", ["isotropic", "zero_one", "power_law"])
def test_k_way_mixture_families(family):
    """K classes: p_c ∝ c^-zeta, ||mu_c||^2 = class_signal K, the family's spectra; the K-way
    family runs of the config share every key but d and K."""
    from hdsgd.data.anisotropic_mixture import k_way_family_runs

    d, K = 300, 6
    mix = multiclass_mixture(d, K, np.random.default_rng(8), family=family, class_signal=0.5,
                             class_exponent=0.5, rho0=0.4, clean_mass=0.25, sigma=0.8,
                             alphas=(1.1, 1.5), beta=0.3)
    p = np.arange(1, K + 1) ** -0.5
    np.testing.assert_allclose(mix.probs, p / p.sum())
    np.testing.assert_allclose(np.sum(mix.means**2, axis=1), 0.5 * K)
    np.testing.assert_array_equal(mix.labels, np.arange(K))
    if family == "isotropic":
        np.testing.assert_allclose(mix.eigs, 0.64)
        np.testing.assert_allclose(mix.means @ mix.means.T, 0.5 * K * np.eye(K), atol=1e-12)
    elif family == "zero_one":
        assert mix.clean.sum() == 120 and np.all(mix.eigs[:, mix.clean] == 0)
        np.testing.assert_allclose(np.sum(mix.means[:, mix.clean] ** 2, axis=1), 0.125 * K)
    else:
        i = np.arange(1, d + 1)
        np.testing.assert_allclose(mix.eigs[1], i**-1.5)
        np.testing.assert_allclose(mix.eigs[2], i**-1.1)
    runs = k_way_family_runs({"family": family, "loss": "softmax", "d": [100, 400],
                              "classes": {"coef": 0.5, "power": 0.5}, "gamma": 1.0,
                              "seeds": 4, "seed": 1, "class_signal": 0.5, "rho0": 0.4})
    assert [(r["d"], r["n_classes"]) for r in runs.values()] == [(100, 5), (400, 10)]
    assert all(r["gammas"] == [1.0] and r["rho0"] == 0.4 for r in runs.values())
