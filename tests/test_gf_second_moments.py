"""SE approximation vs the exact second-moment recursion (Prop. 1) vs averaged simulated SGD."""

import numpy as np
import pytest

from hdsgd.data.power_law import gaussian_features, power_law_problem
from hdsgd.theory.exact_second_moments import exact_second_moment_loss
from hdsgd.theory.generating_functions import se_loss_curve
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid, sample_batches


def _eigen_coeffs(x, dw0):
    h = x.T @ x / x.shape[0]
    lam, vec = np.linalg.eigh(h)
    return lam, (vec.T @ dw0) ** 2


def test_se_gaussian_taus_match_exact_recursion_for_gaussian_features():
    """tau1 = 1, tau2 = -1 is exact in expectation for Gaussian features (large N)."""
    lam0 = np.arange(1, 9) ** -1.0
    x = gaussian_features(40000, lam0, seed=3)
    dw0 = np.ones(8)
    lam, coef = _eigen_coeffs(x, dw0)
    kw = dict(alpha=0.5, beta=0.4, batch_size=2, n_steps=150)
    exact = exact_second_moment_loss(x, dw0, **kw)
    se = se_loss_curve(lam, coef, n_data=x.shape[0], tau1=1.0, tau2=-1.0, **kw)
    wrong = se_loss_curve(lam, coef, n_data=x.shape[0], tau1=1.0, tau2=1.0, **kw)
    rel = np.abs(se / exact - 1)
    assert rel.max() < 0.03
    assert np.abs(wrong / exact - 1).max() > 3 * rel.max()   # the taus matter


def test_averaged_sgd_matches_exact_recursion_within_monte_carlo_error():
    lam0 = np.arange(1, 7) ** -1.0
    x = gaussian_features(300, lam0, seed=5)
    dw0 = np.ones(6)
    gram = x @ x.T
    kw = dict(alpha=0.6, beta=0.3, batch_size=3)
    exact = exact_second_moment_loss(x, dw0, n_steps=60, **kw)
    steps = np.array([0, 5, 20, 60])
    res = minibatch_sgd_grid(gram, x @ dw0, [kw["alpha"]], [kw["beta"]],
                             batch_size=kw["batch_size"], n_steps=60, seeds=range(20000),
                             record_steps=steps)
    assert not res.diverged.any()
    # the loss is heavy-tailed (rare long excursions), so the standard error needs many runs
    runs = res.losses[:, 0, :]
    mean = runs.mean(axis=0)
    err = runs.std(axis=0, ddof=1) / np.sqrt(runs.shape[0])
    assert np.isclose(mean[0], exact[0], rtol=1e-12)
    assert np.all(np.abs(mean[1:] - exact[steps[1:]]) < 4 * err[1:])


def test_simulator_records_divergence_without_nan():
    prob = power_law_problem(120, 1.5, 1.0, seed=0)
    res = minibatch_sgd_grid(prob.gram, prob.r0, [0.3, 50.0], [0.0, 0.0], batch_size=4,
                             n_steps=200, seeds=[0, 1], record_steps=[0, 100, 200])
    assert not np.isnan(res.losses).any()
    assert np.all(res.diverged_step[:, 1] > 0) and np.all(res.diverged_step[:, 0] == -1)
    assert np.all(np.isinf(res.losses[:, 1, 1:])) and np.all(np.isfinite(res.losses[:, 0]))
    assert np.all(res.diverged_loss[:, 1] > 1e8 * res.losses[:, 1, 0])


def test_grid_run_equals_one_config_at_a_time():
    """Vectorisation over configurations does not change any trajectory (shared batches)."""
    prob = power_law_problem(80, 1.5, 1.0, seed=2)
    alphas, betas = np.array([0.2, 0.5, 0.9]), np.array([0.5, 0.0, -0.3])
    kw = dict(batch_size=3, n_steps=100, seeds=[7, 8], record_steps=[0, 50, 100])
    grid = minibatch_sgd_grid(prob.gram, prob.r0, alphas, betas, **kw)
    for g in range(3):
        one = minibatch_sgd_grid(prob.gram, prob.r0, alphas[g:g + 1], betas[g:g + 1], **kw)
        assert np.allclose(grid.losses[:, g], one.losses[:, 0], rtol=1e-10)


@pytest.mark.parametrize("n_cfg, seeds", [(7, [3]), (1, [3, 4, 5, 6, 7])])
def test_blocked_engine_equals_the_plain_recursion(monkeypatch, n_cfg, seeds):
    """Both blocked paths (several configuration blocks per seed; several seed blocks for a
    single configuration) reproduce the textbook function-space heavy-ball recursion
    p <- beta p - (alpha/b) K[:, B] r[B], r <- r + p, seed by seed and configuration by
    configuration."""
    from hdsgd.seeding import rng
    from hdsgd.training import minibatch_sgd as engine

    monkeypatch.setattr(engine, "ROW_BLOCK_BYTES", 3 * 40 * 8)  # blocks of 3 rows
    prob = power_law_problem(40, 1.5, 1.0, seed=4)
    alphas = np.linspace(0.1, 0.9, n_cfg)
    betas = np.linspace(-0.6, 0.6, n_cfg)
    T, b = 60, 5
    res = engine.minibatch_sgd_grid(prob.gram, prob.r0, alphas, betas, batch_size=b,
                                    n_steps=T, seeds=seeds, record_steps=[0, 30, 60], chunk=16)
    for i, seed in enumerate(seeds):
        gen = rng(seed, "gf-batches")
        batches = np.concatenate([engine.sample_batches(gen, 40, b, min(16, T - t))
                                  for t in range(0, T, 16)])
        for g in range(n_cfg):
            r, p, losses = prob.r0.copy(), np.zeros(40), [prob.r0 @ prob.r0 / 80]
            for t in range(T):
                B = batches[t]
                p = betas[g] * p - alphas[g] / b * prob.gram[:, B] @ r[B]
                r = r + p
                if t + 1 in (30, 60):
                    losses.append(r @ r / 80)
            assert np.allclose(res.losses[i, g], losses, rtol=1e-10)


@pytest.mark.parametrize("n_data, b", [(50, 1), (50, 7), (50, 20)])
def test_batches_are_distinct_and_uniform(n_data, b):
    """Both samplers (rejection for b^2 <= N, uniform keys otherwise): every row holds b distinct
    indices, each index appears with frequency b/N and each pair with b(b-1)/(N(N-1))."""
    T = 40000
    idx = sample_batches(np.random.default_rng(1), n_data, b, T)
    assert idx.shape == (T, b) and idx.min() >= 0 and idx.max() < n_data
    assert np.all(np.diff(np.sort(idx, axis=1), axis=1) > 0)
    freq = np.bincount(idx.ravel(), minlength=n_data) / T
    p = b / n_data
    assert np.max(np.abs(freq - p)) < 5 * np.sqrt(p * (1 - p) / T)
    if b > 1:  # pair (0, 1) together: no bias between the two samplers' joint laws
        both = np.mean((idx == 0).any(axis=1) & (idx == 1).any(axis=1))
        q = b * (b - 1) / (n_data * (n_data - 1))
        assert abs(both - q) < 5 * np.sqrt(q * (1 - q) / T)


def test_dropping_diverged_configurations_and_full_batch_change_no_trajectory(monkeypatch):
    """One seed: diverged configurations leave the state (blocks of 2 rows, so the surviving
    rows move between blocks) and the others' losses are unchanged; b = N runs in K's
    eigenbasis and equals the plain full-batch heavy-ball recursion."""
    from hdsgd.training import minibatch_sgd as engine

    prob = power_law_problem(50, 1.5, 1.0, seed=3)
    alphas = np.array([0.3, 6.0, 1.0, 9.0, 0.5, 4.0])
    betas = np.array([0.0, 0.0, 0.5, 0.2, -0.3, 0.1])
    kw = dict(n_steps=200, seeds=[0], record_steps=[0, 100, 200])
    full = engine.minibatch_sgd_grid(prob.gram, prob.r0, alphas, betas, batch_size=3, **kw)
    monkeypatch.setattr(engine, "ROW_BLOCK_BYTES", 2 * 50 * 8)
    blocked = engine.minibatch_sgd_grid(prob.gram, prob.r0, alphas, betas, batch_size=3, **kw)
    assert full.diverged.sum() >= 2
    assert np.array_equal(full.diverged_step, blocked.diverged_step)
    assert np.allclose(full.losses, blocked.losses, rtol=1e-12)
    gd = engine.minibatch_sgd_grid(prob.gram, prob.r0, alphas, betas, batch_size=50, **kw)
    for g in np.flatnonzero(~gd.diverged[0]):
        r, p = prob.r0.copy(), np.zeros(50)
        for _ in range(200):
            p = betas[g] * p - alphas[g] / 50 * prob.gram @ r
            r = r + p
        assert np.isclose(gd.losses[0, g, -1], r @ r / 100, rtol=1e-8)
