"""Empirical critical learning rate from a convergence grid, against a known boundary."""

import numpy as np

from hdsgd.observables.stability_boundary import (
    empirical_critical_alpha,
    region_agreement,
    relative_boundary_gap,
)


def test_critical_alpha_is_last_alpha_of_the_converging_prefix():
    alphas = np.linspace(0.1, 2.0, 20)
    true_crit = np.array([0.55, 1.25, 5.0, 0.05])  # last two: never fails / fails at once
    conv = alphas[None, :] < true_crit[:, None]
    conv[1, 17] = True  # an isolated "converged" point past the boundary is ignored
    got = empirical_critical_alpha(alphas, conv)
    np.testing.assert_allclose(got[:2], [0.5, 1.2])
    assert np.isinf(got[2]) and np.isnan(got[3])
    # grid resolution bounds the gap to the true boundary
    assert np.all(relative_boundary_gap(got[:2], true_crit[:2]) <= 0.1 / true_crit[:2])
    assert np.isnan(relative_boundary_gap(got[2:], true_crit[2:])).all()


def test_region_agreement_counts_matching_cells():
    a = np.array([[True, False], [True, True]])
    b = np.array([[True, True], [True, True]])
    assert region_agreement(a, b) == 0.75
    assert region_agreement(a, a) == 1.0


def test_bisection_brackets_a_known_edge_and_only_calls_the_verdict():
    """A verdict with a known edge alpha_c(beta) = 1 + beta: the bracket contains it and shrinks
    by (points + 1) per round; rows without a crossing stay open (0 or inf)."""
    from hdsgd.observables.stability_boundary import bisect_critical_alpha

    betas = np.array([-0.5, 0.0, 0.5, 9.0, -0.99])
    calls = []

    def diverges(a, b):
        calls.append(a.size)
        return a > 1 + b

    grid = np.geomspace(0.05, 5.0, 9)
    lo, hi = bisect_critical_alpha(diverges, betas, grid, rounds=3, points=4)
    edge = 1 + betas
    ok = slice(0, 3)
    assert np.all(lo[ok] <= edge[ok]) and np.all(edge[ok] < hi[ok])
    assert np.all(hi[ok] / lo[ok] <= (5.0 / 0.05) ** (1 / 8 / 125) + 1e-12)
    assert np.isinf(hi[3]) and lo[4] == 0.0
    assert calls[0] == 5 * 9 and all(c == 3 * 4 for c in calls[1:])


def test_divergence_verdict_from_the_simulation_alone():
    from hdsgd.observables.stability_boundary import diverged_or_rising, window_record_steps

    steps = window_record_steps(1000)
    t = steps.astype(float)
    falling = np.exp(-1e-3 * t)
    rising = np.exp(-0.02 * t) + 1e-12 * np.exp(0.03 * t)
    losses = np.stack([falling, rising, falling])[None]
    blew = np.array([[False, False, True]])
    assert diverged_or_rising(steps, losses, blew, 1000).tolist() == [False, True, True]
