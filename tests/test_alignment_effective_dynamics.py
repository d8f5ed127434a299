"""The k-GMM effective dynamics (hdsgd.theory.gmm_effective_dynamics) against exact references.

* softmax moments vs 1-d Gauss-Hermite quadrature (k = 2, where pi_1 = sigmoid(z_1 - z_2));
* the ODE drift vs the exact expected one-step SGD increment E[Delta stats] / delta, estimated by
  brute-force Monte Carlo over d-dimensional samples (checks the Stein-lemma reduction and the
  c_delta / lam correction term);
* the closed-form drift at the symmetric initial point m = 0, R = I;
* the ODE vs seed-averaged online SGD at moderate d, orthonormal and general means;
* the weighted Marchenko-Pastur edge vs its closed form (w = 1) and vs dense eigenvalues.
"""

import numpy as np
import pytest

from hdsgd.theory.gmm_effective_dynamics import (
    EffectiveDynamicsSolution,
    GMMDynamicsParams,
    antithetic_normals,
    block_weight_samples,
    drift,
    predicted_accuracy,
    softmax_moments,
    solve_effective_dynamics,
    summary_statistics,
    weighted_mp_right_edge,
)


def _general_means(k: int, d: int, overlap: float, rng) -> np.ndarray:
    """k unit means with Gram matrix (1 - overlap) I + overlap 11^T, embedded in random axes."""
    gram = (1 - overlap) * np.eye(k) + overlap * np.ones((k, k))
    basis = np.linalg.qr(rng.standard_normal((d, k)))[0].T  # (k, d) orthonormal rows
    return np.linalg.cholesky(gram) @ basis


def _online_sgd(means, p, lam, beta, delta, n_steps, ckpt_every, n_seeds, rng):
    """Reference one-pass SGD on the softmax-regression loss, vectorised over seeds.

    x <- x - delta [(pi - y) Y^T + beta x], Y = mu_b + N(0, I / lam), b ~ p. Returns the
    checkpoints (n_ckpt, n_seeds, k, d), x_0 ~ N(0, I_d / d) per class row.
    """
    k, d = means.shape
    x = rng.standard_normal((n_seeds, k, d)) / np.sqrt(d)
    out = [x.copy()]
    rows = np.arange(n_seeds)
    for step in range(1, n_steps + 1):
        b = rng.choice(k, size=n_seeds, p=p)
        Y = means[b] + rng.standard_normal((n_seeds, d)) / np.sqrt(lam)
        z = np.einsum("skd,sd->sk", x, Y)
        pi = np.exp(z - z.max(axis=1, keepdims=True))
        pi /= pi.sum(axis=1, keepdims=True)
        pi[rows, b] -= 1.0
        x -= delta * (pi[:, :, None] * Y[:, None, :] + beta * x)
        if step % ckpt_every == 0:
            out.append(x.copy())
    return np.stack(out)


def test_softmax_moments_match_quadrature_for_two_classes():
    lam = 4.0
    m = np.array([[0.7, -0.2], [0.1, 0.5]])
    Q = np.array([[1.3, 0.4], [0.4, 0.9]])
    E_pi, E_pipi = softmax_moments(m, Q, lam, antithetic_normals(2, 200_000, 3))
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    weights = weights / weights.sum()
    sd = np.sqrt((Q[0, 0] + Q[1, 1] - 2 * Q[0, 1]) / lam)
    for b in range(2):
        s = 1.0 / (1.0 + np.exp(-(m[0, b] - m[1, b] + sd * nodes)))  # pi_1 = sigmoid(z1 - z2)
        assert E_pi[b, 0] == pytest.approx(weights @ s, abs=2e-3)
        assert E_pipi[b, 0, 0] == pytest.approx(weights @ s**2, abs=2e-3)
        assert E_pipi[b, 0, 1] == pytest.approx(weights @ (s * (1 - s)), abs=2e-3)
    np.testing.assert_allclose(E_pi.sum(axis=1), 1.0, atol=1e-12)


def test_drift_at_symmetric_start_has_closed_form():
    """m = 0, R = I, orthonormal means, uniform p: E_b[pi_c] = 1/k exactly by symmetry, so
    dm_ca/dt = (1/k)(1{c=a} - 1/k). For lam -> infinity, pi -> 1/k and
    lam (dR_cc/dt + 2 beta) -> -2 (1/k)(1 - 1/k) + (1/k)(1 - 1/k)^2 + (1 - 1/k)/k^2."""
    k, beta = 5, 0.01
    normals = antithetic_normals(k, 100_000, 0)
    params = GMMDynamicsParams.orthonormal(k, lam=10.0, beta=beta)
    dm, _ = drift(np.zeros((k, k)), np.eye(k), params, normals)
    np.testing.assert_allclose(dm, (np.eye(k) - 1.0 / k) / k, atol=2e-4)
    lam = 1e6
    params = GMMDynamicsParams.orthonormal(k, lam=lam, beta=beta)
    _, dR = drift(np.zeros((k, k)), np.eye(k), params, normals)
    bracket = -2 * (1 / k) * (1 - 1 / k) + (1 / k) * (1 - 1 / k) ** 2 + (1 - 1 / k) / k**2
    np.testing.assert_allclose(lam * (np.diag(dR) + 2 * beta), bracket, rtol=1e-3)


@pytest.mark.parametrize("overlap", [0.0, 0.3])
def test_drift_equals_expected_sgd_increment(overlap):
    """At a fixed iterate x in d dimensions, E[Delta m] / delta and E[Delta R] / delta from a
    brute-force average over data samples equal the ODE drift (Stein reduction of the noise
    terms, and the (delta d / lam) E[(pi - y)(pi - y)^T] correction for R)."""
    rng = np.random.default_rng(11)
    k, d, lam, beta, n = 3, 60, 5.0, 0.05, 200_000
    means = _general_means(k, d, overlap, rng)
    p = np.array([0.5, 0.3, 0.2])
    x = rng.standard_normal((k, d)) / np.sqrt(d) + 0.8 * rng.standard_normal((k, k)) @ means
    delta = 1.0 / d
    # exact one-step expectation, Monte Carlo over the data
    b = rng.choice(k, size=n, p=p)
    Y = means[b] + rng.standard_normal((n, d)) / np.sqrt(lam)
    z = Y @ x.T
    pi = np.exp(z - z.max(axis=1, keepdims=True))
    pi /= pi.sum(axis=1, keepdims=True)
    r = pi - np.eye(k)[b]  # (n, k)
    grad_mean = (r.T @ Y) / n + beta * x  # E[grad] (k, d)
    G = means @ means.T
    proj = means.T @ np.linalg.solve(G, means)  # projector onto span(mu)
    x_perp = x - x @ proj
    Y_perp_sq = np.einsum("nd,nd->n", Y, Y) - np.einsum("nd,de,ne->n", Y, proj, Y)
    dm_mc = -grad_mean @ means.T
    g_perp = grad_mean - grad_mean @ proj
    second = (r.T * Y_perp_sq) @ r / n  # E[r r^T |Y_perp|^2] (beta x_perp terms are O(delta))
    dR_mc = -(x_perp @ g_perp.T + g_perp @ x_perp.T) + delta * second

    m, R = summary_statistics(x, means)
    params = GMMDynamicsParams(gram=G, p=p, lam=lam, beta=beta, c_delta=delta * (d - k))
    dm, dR = drift(m, R, params, antithetic_normals(k, 400_000, 1))
    np.testing.assert_allclose(dm, dm_mc, atol=3e-3)
    np.testing.assert_allclose(dR, dR_mc, atol=5e-3)


@pytest.mark.parametrize("overlap", [0.0, 0.3])
def test_ode_tracks_seed_averaged_online_sgd(overlap):
    """ODE vs 16 SGD runs at d = 400 (k = 4, lam = 10, beta = 0.01, delta = 1/d, t <= 8).

    The ODE starts from the seed-averaged initial statistics, so the remaining gap is the
    O(1/sqrt(d n_seeds)) fluctuation plus O(1/d) corrections; m_cc grows from 0 to ~1 here.
    """
    rng = np.random.default_rng(5)
    k, d, lam, beta, n_seeds, t_max = 4, 400, 10.0, 0.01, 16, 8
    means = _general_means(k, d, overlap, rng) if overlap else np.eye(k, d)
    p = np.full(k, 1 / k)
    xs = _online_sgd(means, p, lam, beta, 1 / d, t_max * d, d, n_seeds, rng)
    m_sgd, R_sgd = (a.mean(axis=1) for a in summary_statistics(xs, means))  # (t, k, k)
    params = GMMDynamicsParams(gram=means @ means.T, p=p, lam=lam, beta=beta,
                               c_delta=(d - k) / d)
    sol = solve_effective_dynamics(np.arange(t_max + 1.0), params, m0=m_sgd[0], R0=R_sgd[0],
                                   dt=0.1, n_mc=8192)
    assert np.abs(sol.m - m_sgd).max() < 0.03
    assert np.abs(sol.R - R_sgd).max() < 0.03
    diag = np.einsum("tcc->tc", sol.m)
    assert diag[-1].min() > 0.6  # the dynamics moved far compared with the tolerance


def test_weighted_mp_edge_closed_form_for_unit_weights():
    for gamma in (0.02, 0.3, 1.0):
        edge = weighted_mp_right_edge(np.ones(4), np.full(4, 0.25), gamma, sigma2=0.7)
        assert edge == pytest.approx(0.7 * (1 + np.sqrt(gamma)) ** 2, rel=1e-9)


def test_weighted_mp_edge_matches_dense_eigenvalues():
    rng = np.random.default_rng(2)
    d, M, sigma2 = 400, 2000, 0.5
    w_vals, w_prob = np.array([0.2, 1.0]), np.array([0.7, 0.3])
    pred = weighted_mp_right_edge(w_vals, w_prob, d / M, sigma2)
    tops = []
    for _ in range(4):
        Z = rng.standard_normal((M, d)) * np.sqrt(sigma2)
        w = rng.choice(w_vals, size=M, p=w_prob)
        tops.append(np.linalg.eigvalsh((Z.T * w) @ Z / M)[-1])
    assert np.mean(tops) == pytest.approx(pred, rel=0.03)
    # unweighted MP with the mean weight would be a clearly different (wrong) prediction
    assert abs(sigma2 * (w_vals @ w_prob) * (1 + np.sqrt(d / M)) ** 2 - pred) > 0.05 * pred


def test_hessian_block_weights_at_start():
    """At m = 0, Q = I / d-scale noise, pi ~ 1/k, so w_H ~ (1/k)(1 - 1/k) for every sample."""
    k = 4
    params = GMMDynamicsParams.orthonormal(k, lam=1e6, beta=0.0)
    w, prob = block_weight_samples(np.zeros((k, k)), np.eye(k), params, 0, "hessian",
                                   antithetic_normals(k, 1000, 0))
    np.testing.assert_allclose(w, (1 / k) * (1 - 1 / k), rtol=1e-2)
    assert prob.sum() == pytest.approx(1.0)
    w_g, _ = block_weight_samples(np.zeros((k, k)), np.eye(k), params, 0, "g",
                                  antithetic_normals(k, 1000, 0))
    assert w_g.max() == pytest.approx((1 - 1 / k) ** 2, rel=1e-2)
    assert w_g.min() == pytest.approx(1 / k**2, rel=1e-2)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"gram": np.ones((2, 2))}, "positive definite"),
        ({"p": np.array([0.2, 0.2])}, "probabilities"),
        ({"lam": 0.0}, "lam"),
        ({"beta": -1.0}, "beta"),
    ],
)
def test_bad_parameters_name_the_problem(kwargs, match):
    base = {"gram": np.eye(2), "p": np.array([0.5, 0.5]), "lam": 1.0, "beta": 0.0}
    with pytest.raises(ValueError, match=match):
        GMMDynamicsParams(**{**base, **kwargs})


def test_predicted_accuracy_matches_the_two_class_closed_form():
    """k = 2: P_b(z_b > z_other) = Phi((m_bb - m_ob) / sqrt((Q_11 + Q_22 - 2 Q_12) / lam))."""
    from scipy.stats import norm

    lam = 3.0
    m = np.array([[0.8, -0.1], [0.2, 0.5]])
    Q = np.array([[1.5, 0.3], [0.3, 1.1]])
    params = GMMDynamicsParams(gram=np.eye(2), p=np.array([0.6, 0.4]), lam=lam, beta=0.0)
    sol = EffectiveDynamicsSolution(t=np.zeros(1), m=m[None], R=Q[None] - m[None] @ m.T[None],
                                    Q=Q[None])
    sd = np.sqrt((Q[0, 0] + Q[1, 1] - 2 * Q[0, 1]) / lam)
    exact = 0.6 * norm.cdf((m[0, 0] - m[1, 0]) / sd) + 0.4 * norm.cdf((m[1, 1] - m[0, 1]) / sd)
    assert predicted_accuracy(sol, params, n_mc=200_000)[0] == pytest.approx(exact, abs=3e-3)
