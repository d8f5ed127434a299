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
