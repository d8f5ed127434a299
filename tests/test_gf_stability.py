"""Stability of the SE dynamics (arXiv 2206.11124, Props. 3 and 4) against the iterated SE
recursion for both signs of tau2; lambda_crit and the beta -> 1 limit; the compiled grid
kernel against the reference recursion; the exact second moments of the Haar-basis problem."""

import numpy as np
import pytest

from hdsgd.data.power_law import power_law_problem
from hdsgd.theory.exact_second_moments import exact_second_moment_loss
from hdsgd.theory.generating_functions import (
    noise_gf_at_one,
    sampling_noise_factor,
    se_loss_curve,
    se_loss_grid,
)
from hdsgd.theory.gf_stability import (
    converges,
    critical_lambda,
    critical_learning_rate,
    effective_lr_bound,
)

N = 200
LAM = np.arange(1, N + 1.0) ** -1.5
COEF = np.arange(1, N + 1.0) ** -2.0 / LAM


@pytest.mark.parametrize("tau2", [-1.0, 0.0, 1.0])
def test_grid_kernel_equals_the_reference_recursion(tau2):
    alphas = np.array([0.0, 0.4, 1.2, 1.9, 3.5, 0.8])
    betas = np.array([0.3, -0.6, 0.0, 0.5, 0.7, 0.95])
    kw = dict(batch_size=3, n_data=N, tau1=1.0, tau2=tau2)
    steps = np.array([0, 1, 2, 3, 7, 100, 1500])
    ref = se_loss_curve(LAM, COEF, alpha=alphas, beta=betas, n_steps=1500, **kw)[:, steps]
    got = se_loss_grid(LAM, COEF, alphas, betas, record_steps=steps, **kw)
    finite = np.isfinite(ref)
    assert np.allclose(got.losses[finite], ref[finite], rtol=1e-10, atol=0)
    assert np.all(np.isinf(got.losses[~finite]))
    # a run above the divergence limit stops and reports inf from then on
    stop = se_loss_grid(LAM, COEF, alphas, betas, record_steps=steps, diverge_factor=10, **kw)
    blown = stop.diverged
    assert blown.any() and np.all(np.isinf(stop.losses[blown, -1]))
    assert np.allclose(stop.losses[~blown], got.losses[~blown], rtol=1e-12)


@pytest.mark.parametrize("tau2", [-1.0, 1.0])
def test_stability_criterion_matches_the_iterated_recursion(tau2):
    """Prop. 3 (noiseless condition and U(1) < 1; for tau2 < 0 also stable mode maps) against
    2 * 10^4 steps of the SE recursion on a grid of (alpha, beta, b); cells within 4 % of the
    U(1) = 1 boundary, where 2 * 10^4 steps cannot decide, are left out."""
    alphas = np.linspace(0.1, 3.9, 20)
    betas = np.linspace(-0.9, 0.95, 12)
    a, b = np.meshgrid(alphas, betas)
    checked = 0
    for batch in (1, 10, 100):
        kw = dict(batch_size=batch, n_data=N, tau1=1.0, tau2=tau2)
        pred = converges(LAM, a, b, **kw)
        u1 = noise_gf_at_one(LAM, a, b, **kw)
        edge = np.array([critical_learning_rate(LAM, beta=x, **kw) for x in betas])
        clear = np.abs(a / edge[:, None] - 1) > 0.04
        res = se_loss_grid(LAM, COEF, a.ravel(), b.ravel(), record_steps=[10000, 20000],
                           diverge_factor=1e30, **kw)
        mid, end = res.losses[:, 0].reshape(a.shape), res.losses[:, 1].reshape(a.shape)
        decreasing = np.isfinite(end) & (end < mid) & (end < COEF @ LAM)
        assert np.array_equal(pred[clear], decreasing[clear])
        assert pred[clear].any() and (~pred[clear]).any()
        if tau2 > 0:  # the old per-mode test would call some of these cells unstable
            assert np.any(pred & (u1 < 1) & (a * LAM.max() > 0))
        checked += clear.sum()
    assert checked > 500


def test_positive_tau2_edge_case_from_the_issue_converges():
    """N = 1000, lambda_k = k^-1.5, b = 100, tau2 = +1, beta = 0.85, alpha = 3.563: U(1) =
    0.934 and the loss converges; a per-mode stability test without the trace feedback says
    'unstable'."""
    lam = np.arange(1, 1001.0) ** -1.5
    coef = np.ones(1000)
    kw = dict(batch_size=100, n_data=1000, tau1=1.0, tau2=1.0)
    assert np.isclose(noise_gf_at_one(lam, 3.563, 0.85, **kw), 0.934, atol=1e-3)
    assert converges(lam, 3.563, 0.85, **kw)
    res = se_loss_grid(lam, coef, [3.563], [0.85], record_steps=[20000], **kw)
    assert res.losses[0, 0] < 1e-15 * 0.5 * lam @ coef


def test_lambda_crit_solves_its_defining_equation_and_the_spec_values():
    lam = np.arange(1, 1001.0) ** -1.5
    for ratio in (0.3, 1.0, 4.0):
        lc = critical_lambda(lam, tau1=1.0, tau2=ratio)
        assert np.isclose(np.sum(lam / (lam + lc)), ratio, rtol=1e-12)
    assert np.isclose(critical_lambda(lam, tau1=1.0, tau2=1.0), 2.14772, rtol=1e-5)
    assert np.isclose(effective_lr_bound(lam, batch_size=10, n_data=1000, tau1=1.0, tau2=1.0),
                      9.3968, rtol=1e-4)
    table = {-0.5: 0.99790, 0.0: 1.95924, 0.5: 2.47791, 0.9: 0.86096, 0.99: 0.09322}
    for beta, alpha_c in table.items():
        got = critical_learning_rate(lam, beta=beta, batch_size=10, n_data=1000, tau1=1.0,
                                     tau2=1.0)
        assert np.isclose(got, alpha_c, rtol=2e-5)


@pytest.mark.parametrize("batch", [1, 10, 100])
def test_critical_effective_rate_tends_to_the_prop4_bound(batch):
    kw = dict(batch_size=batch, n_data=N, tau1=1.0, tau2=1.0)
    bound = effective_lr_bound(LAM, **kw)
    ratios = [critical_learning_rate(LAM, beta=b, **kw) / (1 - b) / bound
              for b in (0.9, 0.99, 0.999, 0.9999, 0.99999)]
    assert all(r <= 1 + 1e-9 for r in ratios)        # eq. 22: a bound
    assert np.all(np.diff(ratios) > 0) and ratios[-1] > 0.999   # eq. 23: tight as beta -> 1


def test_exact_second_moments_of_the_haar_problem_follow_se_with_negative_tau2():
    """The Haar-basis generator gives Gaussian-like features: the exact mean loss (Prop. 1)
    converges 5 % below and diverges 5 % above the SE edge with tau2 = -1, where SE with
    tau2 = +1 still predicts convergence."""
    n, b, beta = 80, 4, 0.3
    prob = power_law_problem(n, 1.5, 2.0, seed=1)
    w, v = np.linalg.eigh(prob.gram)
    features = v * np.sqrt(np.maximum(w, 0))
    dw0 = np.linalg.lstsq(features, prob.r0, rcond=None)[0]
    kw = dict(batch_size=b, n_data=n, tau1=1.0)
    edge = critical_learning_rate(prob.eigvals, beta=beta, tau2=-1.0, **kw)
    assert critical_learning_rate(prob.eigvals, beta=beta, tau2=1.0, **kw) > 1.1 * edge
    below = exact_second_moment_loss(features, dw0, alpha=0.95 * edge, beta=beta,
                                     batch_size=b, n_steps=600)
    above = exact_second_moment_loss(features, dw0, alpha=1.05 * edge, beta=beta,
                                     batch_size=b, n_steps=600)
    assert below[600] < below[300] < below[0]
    assert above[600] > above[300]
    assert sampling_noise_factor(b, n) > 0
