"""Negative controls of the generating-functions figures: the agreement functions are fed a
deliberately wrong theory (tau2 of the other sign, a wrong spectrum exponent, an edge shifted
by 5 %, a wrong asymptote exponent) and their main rows must fail, while the right theory
passes."""

from functools import cache

import numpy as np
import pytest

from hdsgd.data.power_law import power_law_problem, power_law_spectrum, tail_power_law_coefficients
from hdsgd.observables.gf_agreement import (
    between_edges_row,
    budget_rows,
    critical_alpha_rows,
    crossover_rows,
    divergence_rows,
    lemma1_rows,
    momentum_rows,
    stability_map_rows,
)
from hdsgd.observables.stability_boundary import (
    bisect_critical_alpha,
    diverged_or_rising,
    window_record_steps,
)
from hdsgd.theory.generating_functions import (
    noise_gf_at_one,
    se_loss_grid,
    se_mode_polynomial,
    signal_gf_at_one,
)
from hdsgd.theory.gf_stability import critical_learning_rate
from hdsgd.theory.power_law_phases import (
    crossing_time,
    divergence_asymptote,
    noise_asymptote,
    signal_asymptote,
)
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid

N, STEPS = 200, 1500
PROB = power_law_problem(N, 1.5, 2.0, seed=0)


def _edges(batch, betas):
    return _cached_edges(batch, tuple(betas))


@cache
def _cached_edges(batch, betas):
    betas = np.array(betas)
    rec = window_record_steps(STEPS)

    def diverges(a, b):
        res = minibatch_sgd_grid(PROB.gram, PROB.r0, a, b, batch_size=batch, n_steps=STEPS,
                                 seeds=[0], record_steps=rec, diverge_factor=1e4)
        return diverged_or_rising(res.steps, res.losses, res.diverged, STEPS)

    return bisect_critical_alpha(diverges, betas, np.geomspace(0.05, 8, 12), rounds=2, points=4)


def _alpha_c(lam, batch, betas, tau2):
    return np.array([critical_learning_rate(lam, beta=b, batch_size=batch, n_data=N, tau1=1.0,
                                            tau2=tau2) for b in betas])


def test_critical_alpha_rows_fail_for_the_wrong_sign_of_tau2_and_a_shifted_edge():
    betas = np.array([-0.5, 0.0, 0.5])
    lo, hi = _edges(10, betas)
    lam = PROB.eigvals

    def main_row(alpha_main):
        return critical_alpha_rows("t", batch_size=10, betas=betas, sim_lo=lo, sim_hi=hi,
                                   alpha_main=alpha_main,
                                   alpha_paper=_alpha_c(lam, 10, betas, 1.0), synthetic=True,
                                   max_edge_gap=0.08)[0]

    assert main_row(_alpha_c(lam, 10, betas, -1.0))["pass"]
    assert not main_row(_alpha_c(lam, 10, betas, 1.0))["pass"]          # tau2 of the other sign
    est = np.sqrt(lo * hi)
    real = critical_alpha_rows("t", batch_size=10, betas=betas, sim_lo=lo, sim_hi=hi,
                               alpha_main=est, alpha_paper=None, synthetic=False,
                               max_edge_gap=0.02)
    shifted = critical_alpha_rows("t", batch_size=10, betas=betas, sim_lo=lo, sim_hi=hi,
                                  alpha_main=est * 1.05, alpha_paper=None, synthetic=False,
                                  max_edge_gap=0.02)
    assert real[0]["pass"] and not shifted[0]["pass"]                    # edge shifted by 5 %


def test_between_edges_row_fails_when_both_se_edges_miss_the_simulated_edge():
    """The stated difference as a claim: on Gaussian-like data the simulated edges lie between
    the SE edges of tau2 = -1 and +1 (here at 2 of 3 momenta: at N = 200 and 1500 steps the
    edge at beta = 0.5 lies 4 % below the tau2 = -1 one); SE edges both 15 % too high, or half
    as high, miss every simulated edge."""
    betas = np.array([-0.5, 0.0, 0.5])
    lo, hi = _edges(10, betas)
    minus, plus = (_alpha_c(PROB.eigvals, 10, betas, t) for t in (-1.0, 1.0))

    def row(scale):
        return between_edges_row("t", "b=10", sim_lo=lo, sim_hi=hi, alpha_minus=minus * scale,
                                 alpha_plus=plus * scale, margin=0.01, min_fraction=0.6)

    assert row(1.0)["pass"] and row(1.0)["measured"] == pytest.approx(2 / 3)
    assert row(1.15)["measured"] == 0.0 and row(0.5)["measured"] == 0.0


def test_stability_map_rows_fail_for_a_wrong_boundary():
    alphas, betas = np.linspace(0, 4, 24), np.linspace(-1, 1, 12)
    a, b = np.meshgrid(alphas, betas)
    kw = dict(batch_size=10, n_data=N, tau1=1.0)
    se = se_loss_grid(PROB.eigvals, PROB.coeffs, a.ravel(), b.ravel(), record_steps=[STEPS],
                      diverge_factor=1e4, tau2=1.0, **kw).losses[:, 0].reshape(a.shape)
    sim = minibatch_sgd_grid(PROB.gram, PROB.r0, a.ravel(), b.ravel(), batch_size=10,
                             n_steps=STEPS, seeds=[0], record_steps=[0, STEPS],
                             diverge_factor=1e4).losses[0, :, -1].reshape(a.shape)
    l0 = 0.5 * PROB.eigvals @ PROB.coeffs

    def rows(se_edge, sim_edge):
        return stability_map_rows("t", "x", alphas=alphas, betas=betas, sim_final=sim,
                                  sim_loss0=l0, se_final=se, se_loss0=l0, se_alpha_c=se_edge,
                                  sim_alpha_c=sim_edge, phase="noise", max_edge_gap=0.13,
                                  min_cell_agreement=0.95, smoothing=1.0)

    right = rows(_alpha_c(PROB.eigvals, 10, betas, 1.0), _alpha_c(PROB.eigvals, 10, betas, -1.0))
    assert right[0]["pass"] and right[1]["pass"] and right[2]["pass"]
    wrong = rows(_alpha_c(PROB.eigvals, 10, betas, -1.0), _alpha_c(PROB.eigvals, 10, betas, 1.0))
    assert not wrong[0]["pass"] and not wrong[2]["pass"]
    shifted = rows(_alpha_c(PROB.eigvals, 10, betas, 1.0),
                   0.8 * _alpha_c(PROB.eigvals, 10, betas, -1.0))
    assert not shifted[1]["pass"] and not shifted[2]["pass"]


def _crossover(nu_theory):
    nu, kappa, a, b, batch = 1.5, 3.0, 0.5, 0.5, 500
    lam = power_law_spectrum(8000, nu)
    c = tail_power_law_coefficients(lam, kappa)
    kw = dict(batch_size=batch, n_data=None, tau1=1.0, tau2=1.0)
    steps = np.unique(np.geomspace(1, 60000, 200).astype(int))
    loss = se_loss_grid(lam, c, [a], [b], record_steps=steps, **kw).losses
    u1 = float(noise_gf_at_one(lam, a, b, **kw))
    v1 = float(signal_gf_at_one(lam, c, a, b, batch_size=batch, n_data=None, tau2=1.0))
    t = steps.astype(float)
    sig = signal_asymptote(t, alpha=a, beta=b, nu=nu_theory, kappa=kappa, u1=u1)
    noi = noise_asymptote(t, alpha=a, beta=b, nu=nu_theory, u1=u1, v1=v1, gamma=1 / batch,
                          tau1=1.0)
    zeta, xi = kappa / nu_theory, 2 - 1 / nu_theory
    tt = crossing_time(sig[0] * t[0] ** zeta, zeta, noi[0] * t[0] ** xi, xi)
    return crossover_rows("t", batch_sizes=[batch], steps=steps, loss=loss, asym_steps=t,
                          signal=[sig], noise=[noi], transition_time=[tt], zeta=kappa / nu,
                          xi=2 - 1 / nu, t_from=1000, max_curve_gap=0.05, max_time_gap=0.25)


def test_crossover_rows_fail_for_a_wrong_spectrum_exponent():
    assert all(r["pass"] for r in _crossover(1.5))
    assert not any(r["pass"] for r in _crossover(1.65))


def test_divergence_rows_fail_for_the_wrong_sign_of_tau2():
    lam = power_law_spectrum(20000, 0.75)
    c = tail_power_law_coefficients(lam, 0.5)
    steps = np.unique(np.r_[np.geomspace(1, 6000, 200).astype(int), np.arange(4800, 6001, 50)])
    kw = dict(n_data=None, tau2=0.0, record_steps=steps)
    noiseless = se_loss_grid(lam, c, [1.0], [0.0], batch_size=1, tau1=0.0, **kw).losses[0]
    loss = se_loss_grid(lam, c, [1.0], [0.0], batch_size=12, tau1=1.0, **kw).losses

    def rows(tau2):
        r, amp = divergence_asymptote(lam, c, alpha=1.0, beta=0.0, batch_size=12, n_data=None,
                                      tau1=1.0, tau2=tau2)
        return divergence_rows("t", batch_sizes=[12], steps=steps, loss=loss,
                               noiseless=noiseless, r_l=[r], amplitude=[amp],
                               max_rate_gap=0.02, max_time_gap=0.2)

    assert all(r["pass"] for r in rows(0.0))
    assert not any(r["pass"] for r in rows(-1.0)[:2])


def test_momentum_rows_fail_for_a_wrong_optimum_or_sign():
    good = momentum_rows("t", alpha_pairs=[(1.5, 4.0)], alpha_opt=[0.107], alpha_star=[0.1102],
                         beta_pairs=[(1.5, 3.5)], beta_opt=[-0.12], eq30=[2.0], d28b=[0.08],
                         max_alpha_gap=0.05)
    assert all(r["pass"] for r in good)
    bad = momentum_rows("t", alpha_pairs=[(1.5, 4.0)], alpha_opt=[0.107],
                        alpha_star=[0.1102 * 1.2], beta_pairs=[(1.5, 3.5)], beta_opt=[-0.12],
                        eq30=[2.0], d28b=[-0.08], max_alpha_gap=0.05)
    assert not bad[0]["pass"] and not bad[1]["pass"]


def test_lemma1_rows_fail_outside_the_papers_range_of_g():
    a = np.linspace(0.02, 4, 60)
    b = np.linspace(-0.98, 0.98, 60)
    z = np.linspace(0, 0.99, 60)
    A, B, Z = np.meshgrid(a, b, z, indexing="ij")
    inside = (a[None, :] < 2 * (1 + b[:, None]))

    def row(g):
        d1, d2, d3 = se_mode_polynomial(A, B, 1.0, g)
        m = (1 + d1 * Z + d2 * Z**2 + d3 * Z**3).min(axis=2).T
        return lemma1_rows("t", {f"S g={g}": m}, inside)[0]

    assert row(0.5)["pass"] and not row(-1.0)["pass"]


def test_budget_rows_fail_for_a_wrong_se_curve():
    steps = np.unique(np.r_[0, np.geomspace(1, 1000, 20).astype(int)]).astype(float)
    sim = np.array([0.5 * (1 + 0.3 * b * steps) ** -0.3 for b in (1, 4, 16, 64)])
    sim[2:] = sim[1] ** 0.5 * sim[2:] ** 0.5 + 0.0
    kw = dict(batch_sizes=[1, 4, 16, 64], steps=steps, sim=sim, max_curve_gap=0.1,
              max_scaling_gap=10, min_diminishing=0.0)
    assert budget_rows("t", se=sim, **kw)[0]["pass"]
    assert not budget_rows("t", se=sim * 1.5, **kw)[0]["pass"]
