"""Negative controls of the alignment paper's agreement rows (k-GMM and XOR families).

A small real run of each model (online SGD, test-sample spectra by dense eigh, theory by the
project's ODE / Monte Carlo population blocks) is fed to the same row functions the series
stages use, at the tolerances of config/config.yaml: with the right theory the theory rows
pass; with a deliberately wrong one (an ODE coefficient off by 10 %, a wrong lambda, a bulk
edge shifted by 5 %) they fail.
"""

from pathlib import Path

import numpy as np
import pytest
import yaml

from hdsgd.checks.alignment import fig2_2_rows, fig2_3_rows, fig9_2_rows, span_fraction_ode
from hdsgd.checks.xor import fig2_5_rows, unit_alignment_rows
from hdsgd.data.gmm import uniform_mixture
from hdsgd.data.xor import XorMixture
from hdsgd.models.softmax_regression import accuracy
from hdsgd.observables.block_operators import XorBlockOperators
from hdsgd.observables.gmm_localisation import span_mass
from hdsgd.observables.spectra import block_spectra_along_trajectory, initial_block
from hdsgd.observables.xor_observables import unit_observables
from hdsgd.observables.xor_spectra import (
    count_outliers,
    population_vv_blocks,
    vv_spectra,
    xor_spectra_along_trajectory,
)
from hdsgd.theory.gmm_effective_dynamics import (
    GMMDynamicsParams,
    bulk_edge_track,
    predicted_accuracy,
    solve_effective_dynamics,
    summary_statistics,
)
from hdsgd.training.online_sgd import run_online_sgd
from hdsgd.training.xor_sgd import run_xor_sgd

CONFIG = yaml.safe_load((Path(__file__).resolve().parents[1] / "config/config.yaml").read_text())


def _claim(rows, start):
    (row,) = [r for r in rows if r["claim"].startswith(start)]
    return row


@pytest.fixture(scope="module")
def gmm_run():
    """k = 3, d = 1000 (the paper's dimension, so the finite-d fluctuation of the bulk edge is
    the one the configured tolerances allow for), lambda = 10, test sample 20 d: one SGD run to
    t = 8, its H_11 / G_11 spectra by the pipeline's solver, and the ODE theory started from the
    run's own x_0 (as the pipeline's theory stage does)."""
    k, d, lam, beta = 3, 1000, 10.0, 0.01
    mix = uniform_mixture(k, d, lam, 50)
    rng = np.random.default_rng(0)
    labels, Y = mix.sample(20 * d, rng, dtype=np.float32)
    times = np.array([0.0, 0.5, 1.0, 2.0, 4.0, 6.0, 8.0])
    steps = np.rint(times * d).astype(int)
    x0 = rng.standard_normal((1, k, d)) / np.sqrt(d)
    x = run_online_sgd(mix, x0, beta=beta, delta=1 / d, steps=steps,
                       rng=np.random.default_rng(1), progress_label=None)
    n_check = np.full(2 * k, k)
    n_check[0] += 2
    spec = block_spectra_along_trajectory(
        x[:, 0], labels, Y, initial_block(mix.means, 2 * k, k + 5, rng), beta=beta,
        n_check=n_check, tol=np.repeat([1e-4, 3e-5], k), maxiter=300, keep_vectors=[0],
        bulk_blocks=[k], means=mix.means)
    m0, R0 = summary_statistics(x[0, 0], mix.means)

    def theory(lam_th=lam, rate=1.0):
        params = GMMDynamicsParams(gram=np.eye(k), p=mix.probs, lam=lam_th, beta=beta,
                                   c_delta=(d - k) / d)
        sol = solve_effective_dynamics(rate * times, params, m0=m0, R0=R0, dt=0.25, n_mc=4096)
        gamma = (d - 2 * k) / Y.shape[0]
        return {"m": sol.m[:, 0], "frac": span_fraction_ode(sol.m[:, 0], sol.Q[:, 0, 0], np.eye(k)),
                "edge_h": bulk_edge_track(sol, params, 0, "hessian", gamma, n_mc=4096),
                "edge_g": bulk_edge_track(sol, params, 0, "g", gamma, n_mc=4096),
                "accuracy": predicted_accuracy(sol, params, n_mc=4096)}

    top = spec["vectors_final"][0][:, 0]
    return {"k": k, "m_sim": x[:, 0, 0] @ mix.means.T, "means": mix.means, "x1": x[-1, 0, 0],
            "frac": span_mass(x[:, 0, 0].T, mix.means), "vecs": spec["vectors_final"][0],
            "h_vals": spec["h_vals"][:, 0, :k + 2], "g_vals": spec["g_vals"][:, 0, :k],
            "bulk": spec["bulk_top"][:, 0], "top": float(top[np.argmax(mix.means[0])] ** 2),
            "acc": np.array([accuracy(xt, labels, Y) for xt in x[:, 0]]), "theory": theory}


def _fig2_3(run, th, edge_shift=1.0):
    return fig2_3_rows(run["m_sim"], th["m"], run["h_vals"], edge_shift * th["edge_h"],
                       run["top"], run["acc"], th["accuracy"], run["k"],
                       CONFIG["alignment"]["fig2_3"])


def _fig2_2(run, th):
    return fig2_2_rows(run["x1"], run["means"], run["vecs"], run["vecs"], run["frac"],
                       th["frac"], CONFIG["alignment"]["fig2_2"])


def _fig9_2(run, th, edge_shift=1.0):
    return fig9_2_rows(run["g_vals"], run["bulk"], edge_shift * th["edge_g"],
                       CONFIG["alignment"]["fig9_2"])


def test_gmm_rows_pass_with_the_right_theory(gmm_run):
    th = gmm_run["theory"]()
    rows = _fig2_3(gmm_run, th)
    assert all(r["pass"] for r in rows), rows
    assert _claim(_fig2_2(gmm_run, th), "fraction of |x^1|^2")["pass"]
    rows = _fig9_2(gmm_run, th)
    assert all(r["pass"] for r in rows), rows


def test_gmm_rows_fail_with_an_ode_coefficient_off_by_ten_percent(gmm_run):
    """The learning-rate coefficient of the drift 10 % too large (time runs 1.1x faster)."""
    th = gmm_run["theory"](rate=1.1)
    assert not _claim(_fig2_3(gmm_run, th), "x^1.mu_a")["pass"]
    assert not _claim(_fig2_2(gmm_run, th), "fraction of |x^1|^2")["pass"]


def test_gmm_rows_fail_with_a_wrong_lambda(gmm_run):
    rows = _fig2_3(gmm_run, gmm_run["theory"](lam_th=8.0))
    assert not _claim(rows, "H_11 bulk edge")["pass"]
    assert not _claim(rows, "test accuracy")["pass"]
    assert not _claim(_fig9_2(gmm_run, gmm_run["theory"](lam_th=8.0)), "G_11 bulk edge")["pass"]


def test_gmm_rows_fail_with_the_edge_shifted_five_percent(gmm_run):
    th = gmm_run["theory"]()
    for shift in (0.95, 1.05):
        assert not _claim(_fig2_3(gmm_run, th, shift), "H_11 bulk edge")["pass"]
        assert not _claim(_fig9_2(gmm_run, th, shift), "G_11 bulk edge")["pass"]


@pytest.fixture(scope="module")
def xor_run():
    """d = 200, K = 8, lambda = 10: one SGD run to t = 30, vv spectra on a 50 d test sample,
    the first-layer alignments at the start and the end (the pipeline's batched solver), the
    final v, and a theory function giving the population vv spectra for a given lambda."""
    d, K, lam, beta = 200, 8, 10.0, 0.01
    mix = XorMixture(d, lam)
    hidden, y, Y = mix.sample(50 * d, np.random.default_rng(0))
    times = np.array([0.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0])
    steps = np.rint(times * d).astype(int)
    g = np.random.default_rng(1)
    W0, v0 = g.standard_normal((1, K, d)) / np.sqrt(d), g.standard_normal((1, K))
    W, v = run_xor_sgd(mix, W0, v0, beta=beta, delta=1 / d, steps=steps,
                       rngs=np.random.default_rng(2), progress_label=None)
    W, v = W[:, 0], v[:, 0]
    spec = [vv_spectra(XorBlockOperators(W[t], v[t], y, Y, beta), hidden)
            for t in range(times.size)]
    obs = {k: np.array([s[k] for s in spec]) for k in spec[0]}
    for m, name in (("h", "hessian"), ("g", "G")):
        obs[f"n_outliers_{name}"] = count_outliers(obs[f"{m}vv_vals"], obs[f"{m}vv_edge"], 0.05)
    ends = [0, times.size - 1]
    first = xor_spectra_along_trajectory(
        W[ends], v[ends], y, Y, hidden, beta=beta, n_eig=6, n_check=2, n_keep_vecs=2, tol=1e-4,
        maxiter=200, dtype=np.float32, include_ridge=True, rng=np.random.default_rng(4))
    obs["units"] = unit_observables(W[ends], first, mix.hidden_means)
    obs["v_final"] = v[-1]
    xi = np.random.default_rng(3).standard_normal((4, 20000, K))

    def theory(lam_th=lam):
        H, G = zip(*[population_vv_blocks(W[t], v[t], mix.hidden_means, lam_th, beta, xi)
                     for t in range(times.size)])
        return {"hvv_vals": np.linalg.eigvalsh(np.array(H))[:, ::-1],
                "gvv_vals": np.linalg.eigvalsh(np.array(G))[:, ::-1]}

    return obs, theory


def test_xor_population_rows_pass_with_the_right_theory_and_fail_with_a_wrong_lambda(xor_run):
    obs, theory = xor_run
    f = CONFIG["xor"]["fig2_5"]
    right = [r for r in fig2_5_rows(obs, theory(), f) if r["claim"].startswith("theory")]
    assert len(right) == 2 and all(r["pass"] for r in right), right
    for lam_th in (9.0, 11.0):                       # lambda off by 10 %
        wrong = [r for r in fig2_5_rows(obs, theory(lam_th), f)
                 if r["claim"].startswith("theory")]
        assert not any(r["pass"] for r in wrong), (lam_th, wrong)


def _unit_rows(obs, v_final, units=None):
    """Fig 2.4 (a, b) rows but the unit count (this small run has K = 8, the rows need 4)."""
    rows = unit_alignment_rows(obs["units"] if units is None else units, v_final,
                               CONFIG["xor"]["fig2_4"])
    return [r for r in rows if not r["claim"].startswith("number of")]


def test_xor_unit_rows_score_every_fast_unit_and_fail_on_a_wrong_unit_choice(xor_run):
    """Figs 2.4 (a, b): the units with a large final |v_i| have aligned with E_2 of their
    blocks (min over them passes); the same rows fail when the scored units are chosen from
    another run's v (|v| reversed: the slow units get the large weights), when every unit is
    scored, and when one scored unit has not aligned (a min, not a median, sees it)."""
    obs, _ = xor_run
    v = obs["v_final"]
    right = _unit_rows(obs, v)
    assert len(right) == 6 and all(r["pass"] for r in right), right
    alignment_rows = [r for r in right if "final alignment" in r["claim"]]
    rank = np.argsort(np.argsort(np.abs(v)))
    reversed_v = np.sort(np.abs(v))[::-1][rank]          # |v| order reversed over the units
    for wrong_v in (reversed_v, np.ones_like(v)):
        wrong = [r for r in _unit_rows(obs, wrong_v) if "final alignment" in r["claim"]]
        assert len(wrong) == 2 and not any(r["pass"] for r in wrong), wrong
    fast = np.flatnonzero(np.abs(v) >= CONFIG["xor"]["fig2_4"]["scored_v_fraction"]
                          * np.abs(v).max())
    units = {key: val.copy() for key, val in obs["units"].items()}
    for key in ("w_alignment_hessian", "w_alignment_G"):
        units[key][-1, fast[0]] = units[key][0, fast[0]]  # one scored unit stays unaligned
    wrong = [r for r in _unit_rows(obs, v, units) if "final alignment" in r["claim"]]
    assert len(wrong) == len(alignment_rows) and not any(r["pass"] for r in wrong), wrong
