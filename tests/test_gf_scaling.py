"""Convergence in N of SE to the exact mean loss on the Haar-basis problem (gf_scaling): the
sphere's fourth moments behind the derived tau, their O(N^-1/2) draw-to-draw fluctuation behind
the expected rate, and the negative control (SE with the paper's tau2 = +1 levels off and fails
the derived row; SE with tau2 = -1 fails the "levels off" row)."""

import numpy as np
import pytest

from hdsgd.checks.gf_scaling import QUANTITIES, relative_squared_gaps, scaling_fits, scaling_rows
from hdsgd.data.power_law import power_law_problem
from hdsgd.seeding import rng
from hdsgd.theory.exact_second_moments import exact_kernel_second_moments
from hdsgd.theory.generating_functions import se_loss_curve

CFG = {"expected_slope": {"derived": -0.5, "paper": 0.0},
       "slope_tol": {"derived": 0.25, "paper": 0.15}}
RUN = {"alpha": 0.5, "beta": 0.0, "batch_size": 10}
TAUS = {"derived": (1.0, -1.0), "paper": (1.0, 1.0)}


def _noise_diagonal(prob, C):
    """diag Sigma(C) of the exact noise (Prop. 1) in the eigenbasis, for a problem's features
    psi_i = sqrt(N lambda) o U_i (rows of U)."""
    n, lam, U = prob.n_data, prob.eigvals, prob.eigvecs
    psi = U * np.sqrt(n * lam)                           # (N data points, N modes)
    quad = np.einsum("ik,kl,il->i", psi, C, psi)
    H = np.diag(lam)
    return np.einsum("ik,i->k", psi**2, quad) / n - np.diag(H @ C @ H)


def test_haar_features_have_the_spheres_fourth_moments_on_average():
    """E_U[Sigma(C)_kk] = N/(N+2) (lambda_k Tr[HC] + 2 lambda_k^2 C_kk) - lambda_k^2 C_kk: SE
    with tau1 = N/(N+2), tau2 = -(N-2)/(N+2), i.e. tau2 -> -1 with an O(1/N) bias (any C)."""
    n, draws = 12, 4000
    gen = np.random.default_rng(3)
    A = gen.standard_normal((n, n))
    C = A @ A.T / n                                      # a non-diagonal second moment
    acc = np.zeros(n)
    for r in range(draws):
        acc += _noise_diagonal(power_law_problem(n, 1.5, 2.0, seed=rng(0, f"s{r}")), C)
    lam = power_law_problem(n, 1.5, 2.0, seed=0).eigvals
    tr = lam @ np.diag(C)
    expected = n / (n + 2) * (lam * tr + 2 * lam**2 * np.diag(C)) - lam**2 * np.diag(C)
    sd = np.abs(expected) * 3.0 / np.sqrt(draws)         # Monte Carlo error, generous
    assert np.all(np.abs(acc / draws - expected) < sd)
    gaussian = lam * tr + lam**2 * np.diag(C)            # tau = (1, -1): O(1/N) away
    assert np.max(np.abs(expected - gaussian) / gaussian) < 3.0 / n


def test_a_draws_fourth_moment_sums_fluctuate_like_inverse_sqrt_n():
    """S_kl = N sum_i U_ik^2 U_il^2 has mean (1 + 2 delta_kl) N/(N+2) and a draw-to-draw spread
    c_kl N^-1/2: single draws are O(N^-1/2) from SE. With U_k = g / |g| (g Gaussian), the delta
    method gives c_12 = sqrt(8 - 2 - 2) = 2 and c_11 = sqrt(96 - 144 + 72) = sqrt(24): the
    normalisation of the columns removes part of the Gaussian spread."""
    for n in (32, 128):
        s11, s12 = [], []
        for r in range(300):
            U = power_law_problem(n, 1.5, 2.0, seed=rng(1, f"N{n}-{r}")).eigvecs
            s11.append(n * np.sum(U[:, 0] ** 4))
            s12.append(n * np.sum(U[:, 0] ** 2 * U[:, 1] ** 2))
        assert np.isclose(np.mean(s11), 3 * n / (n + 2), rtol=0.03)
        assert np.isclose(np.mean(s12), n / (n + 2), rtol=0.03)
        assert np.isclose(np.std(s12) * np.sqrt(n), 2.0, rtol=0.2)
        assert np.isclose(np.std(s11) * np.sqrt(n), np.sqrt(24.0), rtol=0.2)


def _draws(sizes, draws, n_steps=10):
    exact, se = [], {q: [] for q in QUANTITIES}
    for n, count in zip(sizes, draws):
        e = np.empty((count, n_steps + 1))
        for r in range(count):
            prob = power_law_problem(n, 1.5, 2.0, seed=rng(0, f"gf-scaling-N{n}-draw{r}"))
            e[r] = exact_kernel_second_moments(prob.eigvals, prob.eigvecs, prob.r0,
                                               n_steps=n_steps, **RUN).loss
        exact.append(e)
        for q, (tau1, tau2) in TAUS.items():
            se[q].append(se_loss_curve(prob.eigvals, prob.coeffs, n_data=n, tau1=tau1, tau2=tau2,
                                       n_steps=n_steps, **RUN))
    return exact, se


@pytest.fixture(scope="module")
def small_sweep():
    sizes = [64, 128, 256]
    return sizes, *_draws(sizes, [96, 64, 48])


def test_relative_gap_of_a_draw():
    exact = np.array([[1.0, 0.5, 0.2], [1.0, 0.4, 0.3]])
    se = np.array([1.0, 0.5, 0.25])
    assert np.allclose(relative_squared_gaps(exact, se), [(0 + 0.2**2) / 2,
                                                          (0.2**2 + 0.2**2) / 2])


def test_derived_tau_converges_and_the_papers_levels_off(small_sweep):
    sizes, exact, se = small_sweep
    fits = scaling_fits(sizes, exact, se)
    rows = {q: r for q, r in zip(QUANTITIES, scaling_rows(fits, TAUS, 10, CFG))}
    assert rows["derived"]["pass"] and rows["paper"]["pass"]
    assert fits["derived"].slope < -0.3 and abs(fits["paper"].slope) < 0.15
    assert fits["paper"].gap[-1] > 4 * fits["derived"].gap[-1]   # the tau difference, measured


def test_negative_control_swapped_taus_fail_both_rows(small_sweep):
    """Scoring the paper's SE (tau2 = +1) as if it were the limit: its gap levels off (slope
    near 0) and the derived row fails; scoring the derived SE as the one that levels off fails
    the paper row."""
    sizes, exact, se = small_sweep
    swapped = {"derived": se["paper"], "paper": se["derived"]}
    fits = scaling_fits(sizes, exact, swapped)
    rows = {q: r for q, r in zip(QUANTITIES, scaling_rows(fits, TAUS, 10, CFG))}
    assert abs(fits["derived"].slope) < 0.15
    assert not rows["derived"]["pass"] and not rows["paper"]["pass"]


@pytest.mark.parametrize("extra, key", [
    ("gf:\n  scaling:\n    problem: mnist\n", "gf.scaling.problem"),
    ("gf:\n  scaling:\n    draws: [8, 8, 8, 8]\n", "gf.scaling.draws"),
])
def test_bad_scaling_config_stops_the_dry_run(tmp_path, extra, key):
    from .conftest import copy_workflow, dry_run_error

    work = copy_workflow(tmp_path / "work")
    line = dry_run_error(work, extra, target="figures/quick/gf_scaling.pdf", quick=True)
    assert key in line
