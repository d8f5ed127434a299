"""Convergence in d of the k-GMM (figures/alignment_scaling.pdf): the blocked SGD engine takes
the same steps as the step-by-step update, the conditional Monte Carlo test accuracy matches
plain Monte Carlo, and (negative control) single SGD runs converge to the right ODE at rate
d^-1/2 while an ODE with a wrong learning rate levels off and fails its rows."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from hdsgd.checks.alignment_scaling import QUANTITIES, scaling_fits, scaling_rows, theory_noise
from hdsgd.data.gmm import uniform_mixture
from hdsgd.theory.gmm_effective_dynamics import (
    GMMDynamicsParams,
    antithetic_normals,
    logit_samples,
    population_accuracy,
    solve_effective_dynamics,
)
from hdsgd.training import online_sgd
from hdsgd.training.gmm_size_sweep import size_sweep_statistics
from hdsgd.training.online_sgd import run_online_sgd

CFG = yaml.safe_load((Path(__file__).resolve().parents[1] / "config/config.yaml").read_text())[
    "alignment"]["scaling"]                       # the paper-scale tolerances


def _step_by_step(x, labels, Y, beta, delta):
    for lab, y in zip(labels, Y):
        z = x @ y
        pi = np.exp(z - z.max())
        pi /= pi.sum()
        pi[lab] -= 1.0
        x = (1.0 - delta * beta) * x - delta * pi[:, None] * y[None, :]
    return x


def test_blocked_update_is_the_sgd_step_and_checkpoints_do_not_change_it():
    k, d, beta = 3, 20, 0.3                      # a large ridge: rho^-B differs from 1
    mix = uniform_mixture(k, d, 4.0, 5)
    x0 = np.random.default_rng(0).standard_normal((2, k, d))
    delta = 0.05
    ends = [1, online_sgd.BLOCK - 1, online_sgd.BLOCK, online_sgd.BLOCK + 5, 3 * online_sgd.BLOCK]
    xs = run_online_sgd(mix, x0, beta=beta, delta=delta, steps=np.array(ends),
                        rng=np.random.default_rng(1), progress_label=None)
    only_last = run_online_sgd(mix, x0, beta=beta, delta=delta, steps=np.array(ends[-1:]),
                               rng=np.random.default_rng(1), progress_label=None)
    np.testing.assert_array_equal(xs[-1], only_last[-1])   # requested checkpoints change nothing
    # replay on the same stream (labels of a chunk, then its noise block by block)
    g = np.random.default_rng(1)
    labels = g.choice(k, size=(online_sgd.CHUNK, 2), p=mix.probs)
    noise = g.standard_normal((ends[-1], 2, d))
    Y = mix.means[labels[:ends[-1]]] + noise / np.sqrt(mix.lam)
    for s in range(2):
        for i, n in enumerate(ends):
            ref = _step_by_step(x0[s], labels[:n, s], Y[:n, s], beta, delta)
            np.testing.assert_allclose(xs[i, s], ref, rtol=0, atol=1e-12)


def test_conditional_monte_carlo_accuracy_matches_counting_argmax():
    """Random (m, Q), k = 4 components in C = 2 classes and the identity map: the smooth
    conditional estimate agrees with the fraction of argmax hits over 400 000 draws."""
    gen = np.random.default_rng(5)
    for label_map, C in ((None, 4), (np.array([0, 1, 1, 0]), 2)):
        params = GMMDynamicsParams(gram=np.eye(4), p=np.array([0.1, 0.2, 0.3, 0.4]), lam=2.0,
                                   beta=0.0, label_map=label_map)
        m = gen.standard_normal((C, 4))
        L = gen.standard_normal((C, C))
        Q = L @ L.T + np.eye(C)
        z = logit_samples(m, Q, params.lam, gen.standard_normal((400_000, C)))
        targets = np.arange(4) if label_map is None else label_map
        plain = params.p @ (np.argmax(z, axis=1) == targets[:, None]).mean(axis=1)
        smooth = population_accuracy(m, Q, params, antithetic_normals(C - 1, 20_000, 0))
        assert smooth == pytest.approx(plain, abs=2e-3)
    with pytest.raises(ValueError, match="C - 1"):
        population_accuracy(m, Q, params, antithetic_normals(C, 10, 0))


@pytest.fixture(scope="module")
def sweep():
    """8 SGD runs at d = 250 .. 2000 (the quick profile's sizes) up to t = 10."""
    k, lam, beta = 10, 10.0, 0.01
    times = np.linspace(0.0, 10.0, 21)
    sizes = [250, 500, 1000, 2000]
    sim = size_sweep_statistics(sizes, k=k, lam=lam, beta=beta, c_delta=1.0, mean_spacing=25,
                                runs=8, times=times, seed=1)
    params = GMMDynamicsParams.orthonormal(k, lam, beta, 1.0)
    normals = antithetic_normals(k - 1, 2048, 0)
    sim["accuracy"] = np.stack([population_accuracy(m, Q, params, normals)
                                for m, Q in zip(sim["m"], sim["Q"])])

    def fits(lr_factor=1.0, seed=0):
        """Rates against the ODE of a learning rate ``lr_factor`` times the true one: its
        time runs lr_factor times faster and its Ito term is lr_factor times larger."""
        wrong = GMMDynamicsParams.orthonormal(k, lam, beta, lr_factor)
        sol = solve_effective_dynamics(times * lr_factor, wrong, dt=0.5, n_mc=4096, seed=seed)
        ode = {"m": sol.m[1:], "Q": sol.Q[1:],
               "accuracy": population_accuracy(sol.m, sol.Q, params, normals)[1:]}
        return scaling_fits(sizes, {q: v[:, 1:] for q, v in sim.items()}, ode), ode

    return fits


def test_single_runs_converge_to_the_ode_at_rate_d_to_the_minus_half(sweep):
    fits, ode = sweep()
    _, replica = sweep(seed=1)
    rows = scaling_rows(fits, theory_noise(ode, replica), CFG)
    assert all(r["pass"] for r in rows), [r["claim"] for r in rows if not r["pass"]]
    for q in QUANTITIES:
        assert fits[q].slope == pytest.approx(-0.5, abs=2.5 * fits[q].slope_se + 0.03)


@pytest.mark.parametrize("lr_factor", [1.05, 0.95])
def test_a_learning_rate_5_percent_off_levels_off_in_the_accuracy(sweep, lr_factor):
    """Its accuracy bias (~0.015) exceeds the single-run fluctuation from d ~ 1000 on; the
    overlaps' and norms' biases stay below their fluctuation up to d ~ 10^4 (docs)."""
    fits, _ = sweep(lr_factor)
    accuracy = scaling_rows(fits, dict.fromkeys(QUANTITIES, 0.0), CFG)[2]
    assert "test accuracy" in accuracy["claim"] and not accuracy["pass"]
    assert fits["accuracy"].slope > -0.3


@pytest.mark.parametrize("lr_factor", [1.2, 0.8])
def test_a_learning_rate_20_percent_off_fails_every_rate_row(sweep, lr_factor):
    fits, _ = sweep(lr_factor)
    rows = scaling_rows(fits, dict.fromkeys(QUANTITIES, 0.0), CFG)[:3]
    assert not any(r["pass"] for r in rows)
    assert all(fits[q].slope > -0.35 for q in QUANTITIES)
