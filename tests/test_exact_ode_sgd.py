"""Mode ODE against finite-d expectations on sampled data, and streaming SGD against the ODE."""

import numpy as np
import pytest

from hdsgd.data.anisotropic_mixture import (
    DiagonalMixture,
    isotropic_mixture,
    power_law_mixture,
    zero_one_mixture,
)
from hdsgd.models.binary_glm import class_expectations, loss, loss_derivative
from hdsgd.models.multi_output_glm import ScalarGLM
from hdsgd.theory.exact_ode import ode_rhs, solve_exact_ode
from hdsgd.training.streaming_sgd import (
    SharedStreamProblem,
    run_shared_stream,
    run_streaming_sgd,
)


def random_many_class_mixture(d, n_classes, rng, zero_fraction=0.3, eig_range=(0.5, 1.5)):
    """Binary +-1 labels on an L-component mixture (a stress case for the binary ODE): random
    probabilities, unit-norm Gaussian mean directions, diagonal covariances with zeros."""
    probs = rng.dirichlet(np.ones(n_classes))
    labels = rng.choice([-1.0, 1.0], size=n_classes)
    labels[:2] = [1.0, -1.0]
    g = rng.standard_normal((n_classes, d))
    eigs = rng.uniform(*eig_range, size=(n_classes, d))
    eigs[rng.random((n_classes, d)) < zero_fraction] = 0.0
    return DiagonalMixture(g / np.linalg.norm(g, axis=1, keepdims=True), eigs, probs, labels)


def sgd(mix, kind, gammas, n_seeds, t, rng, **kw):
    return run_streaming_sgd(mix, ScalarGLM(kind, mix.labels), gammas, n_seeds, t, rng=rng, **kw)


def test_mixture_sampling_moments():
    rng = np.random.default_rng(0)
    mix = random_many_class_mixture(30, 4, rng)
    c, a = mix.sample(200_000, rng)
    for k in range(mix.n_classes):
        ak = a[c == k]
        assert ak.shape[0] / a.shape[0] == pytest.approx(mix.probs[k], abs=5e-3)
        se = np.sqrt(mix.eigs[k].max() / ak.shape[0])
        assert np.max(np.abs(ak.mean(0) - mix.means[k])) < 5 * se + 1e-12
        np.testing.assert_allclose(ak.var(0), mix.eigs[k], atol=5 * np.sqrt(2 / ak.shape[0]) * 1.5)
    assert np.all(a[:, mix.eigs.max(0) == 0] == mix.means[c][:, mix.eigs.max(0) == 0])


@pytest.mark.parametrize("kind", ["logistic", "least_squares"])
def test_gauss_hermite_expectations_match_monte_carlo(kind):
    rng = np.random.default_rng(1)
    m, Q, y = np.array([0.7, -1.2]), np.array([2.0, 0.3]), np.array([1.0, -1.0])
    g, H, I, L = class_expectations(kind, m, Q, y)
    r = m + np.sqrt(Q) * rng.standard_normal((400_000, 2))
    fp = loss_derivative(kind, r, y)
    h = 1e-5   # f'' by central differences of f'
    fpp = (loss_derivative(kind, r + h, y) - loss_derivative(kind, r - h, y)) / (2 * h)
    for exact, samples in [(g, fp), (I, fp**2), (L, loss(kind, r, y)), (H, fpp)]:
        se = samples.std(0) / np.sqrt(r.shape[0]) + 1e-9
        assert np.all(np.abs(exact - samples.mean(0)) < 5 * se)


@pytest.mark.parametrize("kind", ["logistic", "least_squares"])
def test_ode_drift_is_expected_sgd_increment_on_sampled_data(kind):
    """dy/dt at (y = x, C = 0) equals d E[x_{k+1} - x_k] = -gamma E[a f'(<x, a>)] at any d."""
    rng = np.random.default_rng(2)
    d, gamma, n = 40, 1.3, 400_000
    mix = random_many_class_mixture(d, 4, rng)
    x = rng.standard_normal(d) / np.sqrt(d)
    dy, _ = ode_rhs(mix, kind, x[None], np.zeros((1, d)), [gamma])
    c, a = mix.sample(n, rng)
    incr = -gamma * a * loss_derivative(kind, a @ x, mix.labels[c])[:, None]
    se = incr.std(0) / np.sqrt(n)
    assert np.max(np.abs(dy[0] - incr.mean(0)) / se) < 5.0


def test_ode_noise_is_sgd_increment_variance_on_sampled_data():
    """sum_i dC_i/dt at C = 0 is d sum_i Var(x_{k+1,i} - x_{k,i}) up to O(1/d)."""
    rng = np.random.default_rng(3)
    d, gamma, n = 400, 1.0, 20_000
    mix = zero_one_mixture(d, rng, rho0=0.3, clean_mass=0.5)
    x = rng.standard_normal(d) / np.sqrt(d)
    _, dC = ode_rhs(mix, "logistic", x[None], np.zeros((1, d)), [gamma])
    c, a = mix.sample(n, rng)
    step = (gamma / d) * a * loss_derivative("logistic", a @ x, mix.labels[c])[:, None]
    sampled = d * step.var(0).sum()
    assert dC.sum() == pytest.approx(sampled, rel=0.03)


def test_ode_errors_are_clear():
    mix = isotropic_mixture(20, np.random.default_rng(4))
    with pytest.raises(ValueError, match="loss must be one of"):
        solve_exact_ode(mix, "hinge", [1.0], [1.0])
    with pytest.raises(ValueError, match="t_eval"):
        solve_exact_ode(mix, "logistic", [1.0], [2.0, 1.0])
    with pytest.raises(FloatingPointError, match="diverged"), np.errstate(all="ignore"):
        solve_exact_ode(mix, "least_squares", [3.0], [400.0], dt=0.05)


def _plain_sgd(mix, kind, gammas, n_seeds, n_blocks, block, x0, rng):
    """Reference: the same random stream, one rank-one update per step and chain."""
    cdf = np.cumsum(mix.probs) / mix.probs.sum()
    X = np.tile(x0, (len(gammas), n_seeds, 1))
    snaps = [X.copy()]
    for _ in range(n_blocks):
        cls = np.minimum(np.searchsorted(cdf, rng.random((n_seeds, block)), side="right"), 1)
        z = rng.standard_normal((n_seeds, block, mix.d))
        for j in range(block):
            a = z[:, j] * np.sqrt(mix.eigs[cls[:, j]]) + mix.means[cls[:, j]]
            for g, gam in enumerate(gammas):
                r = np.einsum("sd,sd->s", X[g], a)
                fp = loss_derivative(kind, r, mix.labels[cls[:, j]])
                X[g] -= (gam / mix.d * fp)[:, None] * a
            snaps.append(X.copy())
    return snaps


@pytest.mark.parametrize("kind", ["logistic", "least_squares"])
def test_blocked_sgd_equals_the_plain_update(kind):
    """The blocked GEMM step reorders the arithmetic of x <- x - (gamma/d) a f'(<x, a>) only."""
    d, block = 50, 8
    mix = power_law_mixture(d, beta=0.5)
    x0 = np.random.default_rng(5).standard_normal(d) / 7
    steps = [0, 1, 5, 8, 13, 16]
    out = sgd(mix, kind, [0.5, 2.0], 3, np.array(steps) / d, np.random.default_rng(6), x0=x0,
              probes=np.eye(d), block=block)
    ref = _plain_sgd(mix, kind, [0.5, 2.0], 3, 2, block, x0, np.random.default_rng(6))
    for k, step in enumerate(steps):
        np.testing.assert_allclose(out["probes"][:, :, k, :, 0], ref[step], rtol=1e-12,
                                   atol=1e-14)


def test_sgd_stream_is_prefix_stable():
    """Extending a run (or recording other times) reproduces its start bit for bit."""
    mix = zero_one_mixture(60, np.random.default_rng(1), rho0=0.5, clean_mass=0.5)
    short = sgd(mix, "logistic", [1.0], 2, [0.5, 2.0], np.random.default_rng(3))
    long = sgd(mix, "logistic", [1.0], 2, [0.1, 0.5, 1.3, 2.0, 7.0], np.random.default_rng(3))
    np.testing.assert_array_equal(short["risk"][..., 1], long["risk"][..., 3])
    np.testing.assert_array_equal(short["m"][..., 0, :, :], long["m"][..., 1, :, :])


def test_shared_stream_runs_each_problem_as_alone():
    """Problems on one sample stream (other means, spectra, losses, learning rates) are each
    run bit for bit as alone with the same generator when their noisy modes are the union's."""
    d, t = 40, np.array([0.0, 0.3, 1.0, 2.5])
    mixes = [power_law_mixture(d, beta=0.0), power_law_mixture(d, beta=0.75),
             isotropic_mixture(d, np.random.default_rng(1), sigma=0.7)]
    kinds = ["logistic", "logistic", "least_squares"]
    gammas = [[1.0, 2.0], [4.0], [0.5]]
    shared = run_shared_stream([SharedStreamProblem(m, ScalarGLM(k, m.labels), g)
                                for m, k, g in zip(mixes, kinds, gammas, strict=True)],
                               3, t, rng=np.random.default_rng(4))
    for m, k, g, out in zip(mixes, kinds, gammas, shared, strict=True):
        alone = sgd(m, k, g, 3, t, np.random.default_rng(4))
        for key in alone:
            np.testing.assert_array_equal(out[key], alone[key], err_msg=key)
    with pytest.raises(ValueError, match="share d"):
        run_shared_stream([SharedStreamProblem(m, ScalarGLM("logistic", m.labels), [1.0])
                           for m in (mixes[0], power_law_mixture(d + 1, beta=0.0))],
                          2, t, rng=np.random.default_rng(4))


@pytest.mark.parametrize("family", ["isotropic", "zero_one", "power_law"])
def test_sgd_mean_risk_follows_ode(family):
    rng = np.random.default_rng(7)
    d = 500
    mix = {"isotropic": isotropic_mixture(d, rng), "zero_one": zero_one_mixture(d, rng, rho0=0.5),
           "power_law": power_law_mixture(d, beta=0.0)}[family]
    t = np.array([1.0, 3.0, 6.0])
    ode = solve_exact_ode(mix, "logistic", [1.0], t, dt=0.02)
    out = sgd(mix, "logistic", [1.0], 4, t, np.random.default_rng(8))
    np.testing.assert_allclose(out["risk"][0].mean(0), ode["risk"][0], rtol=0.02)


def test_clean_direction_overlap_and_norm_follow_ode():
    rng = np.random.default_rng(9)
    mix = zero_one_mixture(600, rng, rho0=0.5, clean_mass=0.5)
    probe = np.where(mix.clean, mix.means[0], 0.0)
    t = np.array([2.0, 6.0])
    ode = solve_exact_ode(mix, "logistic", [1.0], t, dt=0.02, probes=probe)
    out = sgd(mix, "logistic", [1.0], 4, t, np.random.default_rng(10), probes=probe)
    np.testing.assert_allclose(out["probes"][0, ..., 0, 0].mean(0), ode["probes"][0, :, 0],
                               rtol=0.02)
    np.testing.assert_allclose(out["norm2"][0].mean(0), ode["norm2"][0], rtol=0.02)
    np.testing.assert_allclose(out["m"][0, ..., 0, 0].mean(0), ode["m"][0, :, 0], rtol=0.02)


def test_sgd_ode_gap_shrinks_with_dimension():
    """Binary labels on 10 components, least squares: the RMS gap between single SGD runs and
    the ODE falls like d^-1/2."""
    t = np.array([0.5, 1.0, 2.0, 3.0])
    gaps = []
    for d in (100, 800):
        mix = random_many_class_mixture(d, 10, np.random.default_rng(11))
        ode = solve_exact_ode(mix, "least_squares", [1.5], t, dt=0.01)
        out = sgd(mix, "least_squares", [1.5], 8, t, np.random.default_rng(12))
        gaps.append(np.sqrt(np.mean((out["risk"][0] / ode["risk"][0] - 1.0) ** 2)))
    assert gaps[1] < 0.6 * gaps[0], gaps


def test_series_helpers_binned_profile_and_band():
    from hdsgd.data.anisotropic_mixture import geometric_times
    from hdsgd.observables.sgd_vs_ode import (
        band_table,
        binned_profile,
        log_bins,
        max_relative_gap,
        risk_gap,
    )

    d = 300
    bins = log_bins(d, 6)
    assert bins[0] == 0 and bins[-1] == 5 and np.all(np.diff(bins) >= 0)
    mu = np.random.default_rng(13).standard_normal(d)
    scale = np.arange(6, dtype=float) + 1.0           # weight per unit mean, per bin
    prof = binned_profile(np.stack([scale[bins] * mu, 2 * scale[bins] * mu]), mu, bins)
    np.testing.assert_allclose(prof, [scale, 2 * scale])
    t = geometric_times(0.1, 10.0, 12, d)
    assert np.allclose(t * d, np.rint(t * d)) and np.all(np.diff(t) > 0)
    ode = np.ones((2, t.size))
    sim = np.stack([np.full((5, t.size), 1.1), np.full((5, t.size), 0.8)])
    assert max_relative_gap(ode, sim) == pytest.approx(0.2)
    # risk gap: relative to the smaller of the learned (L0 - L) and remaining (L) parts, or
    # to 4 standard errors of the SGD mean where that is larger
    tt = np.array([0.0, 1.0, 2.0])
    ode_risk = np.array([[1.0, 0.9, 0.2]])
    sim_risk = np.array([[[1.0, 0.87, 0.20], [1.0, 0.89, 0.22]]])     # mean .88, .21; SE .01
    assert risk_gap(ode_risk, sim_risk, tt, 0.5, 0.5) == pytest.approx(0.02 / 0.05)
    assert risk_gap(ode_risk, sim_risk, tt, 0.5, 0.1) == pytest.approx(0.02 / 0.04)
    assert risk_gap(ode_risk, sim_risk, tt, 1.5, 0.5) == pytest.approx(0.01 / 0.1)
    with pytest.raises(ValueError, match="t = 0"):
        risk_gap(ode_risk, sim_risk, tt + 1, 1.5, 0.5)
    tab = band_table("r", "risk", [0.5, 1.0], t, ode, sim)
    mean = tab[(tab["source"] == "sgd_mean") & (tab["gamma"] == 1.0)]["value"]
    np.testing.assert_allclose(mean, 0.8)
    assert len(tab) == 4 * 2 * t.size
