"""Exact second moments of SGD on a kernel problem (Prop. 1, eigenbasis form) and the noise
distance D(tau1, tau2) of Fig 8, against dense references and Monte Carlo."""

import numpy as np
import pytest

from hdsgd.models import ntk
from hdsgd.theory.exact_second_moments import (
    exact_kernel_second_moments,
    exact_second_moment_loss,
)
from hdsgd.theory.generating_functions import sampling_noise_factor
from hdsgd.theory.noise_distance import noise_distance_form
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid


def kernel(n=24, p=40, seed=0, repeat=False):
    rng = np.random.default_rng(seed)
    F = rng.standard_normal((n, p)) * np.arange(1, p + 1) ** -0.7
    if repeat:
        F[-1] = F[0]  # a repeated input: K singular, part of the target unreachable
    return F @ F.T, rng.standard_normal(n)


def output_space_reference(K, r0, alpha, beta, b, T):
    """The exact recursion of E[r r^T] for r' = r + p', p' = beta p - (alpha/b) K[:, B] r[B],
    written directly in the data basis with dense N x N matrices (the textbook form)."""
    n = r0.size
    kb = K / n
    g = sampling_noise_factor(b, n)
    m, j, p = np.outer(r0, r0), np.zeros((n, n)), np.zeros((n, n))
    out = [np.trace(m) / (2 * n)]
    for _ in range(T):
        common = (g * alpha**2 * n * kb @ np.diag(np.diag(m)) @ kb
                  - alpha * beta * (kb @ j + (kb @ j).T)
                  + alpha**2 * (1 - g) * kb @ m @ kb + beta**2 * p)
        km = kb @ m
        m, j, p = (m - alpha * (km + km.T) + beta * (j + j.T) + common,
                   beta * j - alpha * km.T + common, common)
        out.append(np.trace(m) / (2 * n))
    return np.array(out)


@pytest.mark.parametrize("beta", [0.0, 0.6])
@pytest.mark.parametrize("repeat", [False, True])
def test_eigenbasis_recursion_equals_dense_references(beta, repeat):
    K, r0 = kernel(repeat=repeat)
    prob = ntk.kernel_problem(K, r0)
    spec = ntk.kernel_spectrum(prob.gram, r0)
    kw = dict(alpha=0.8, beta=beta, batch_size=5, n_steps=30)
    got = exact_kernel_second_moments(spec.eigvals, spec.U, r0, **kw).loss
    np.testing.assert_allclose(got, output_space_reference(prob.gram, r0, 0.8, beta, 5, 30),
                               rtol=1e-10)
    if not repeat:  # parameter space (Prop. 1 as stated) with features phi = U sqrt(N lambda)
        s = np.sqrt(r0.size * spec.eigvals)
        dense = exact_second_moment_loss(spec.U * s, spec.U.T @ r0 / s, **kw)
        np.testing.assert_allclose(got, dense, rtol=1e-10)
    else:  # the unreachable part stays: the loss cannot fall below it
        null = (spec.U[:, -1] @ r0) ** 2 / (2 * r0.size)
        assert spec.eigvals[-1] < 1e-12 and got[-1] > null


def test_exact_moments_match_averaged_sgd_on_a_singular_kernel():
    K, r0 = kernel(n=20, repeat=True, seed=3)
    prob = ntk.kernel_problem(K, r0)
    spec = ntk.kernel_spectrum(prob.gram, r0)
    steps = np.array([0, 5, 15, 40])
    exact = exact_kernel_second_moments(spec.eigvals, spec.U, r0, alpha=0.9, beta=0.3,
                                        batch_size=4, n_steps=40).loss[steps]
    sim = minibatch_sgd_grid(prob.gram, r0, [0.9], [0.3], batch_size=4, n_steps=40,
                             seeds=range(4000), record_steps=steps).losses[:, 0]
    err = sim.std(axis=0, ddof=1) / np.sqrt(sim.shape[0])
    assert np.all(np.abs(sim.mean(axis=0) - exact) <= 4 * err + 1e-12)


def dense_noise_terms(K, r0, alpha, b, T):
    """Sigma(C_t), A_t = Tr[H C_t] H and B_t = H C_t H in parameter space, by the textbook
    definitions (eq. 5, eq. 7) on explicit features, along the exact beta = 0 trajectory."""
    n = r0.size
    lam, U = np.linalg.eigh(K / n)
    phi = U * np.sqrt(n * lam)  # features with phi phi^T = K
    h = phi.T @ phi / n
    dw = np.linalg.solve(phi, r0)
    c = np.outer(dw, dw)
    g = sampling_noise_factor(b, n)
    terms = []
    for _ in range(T):
        q = np.einsum("ni,ij,nj->n", phi, c, phi)
        sigma = (phi.T * q) @ phi / n - h @ c @ h
        terms.append((sigma, np.trace(h @ c) * h, h @ c @ h))
        a = np.eye(n) - alpha * h
        c = a @ c @ a + alpha**2 * g * sigma
    return terms


def test_noise_distance_equals_its_definition_and_its_minima_are_minima():
    K, r0 = kernel(n=16, p=30, seed=1)
    prob = ntk.kernel_problem(K, r0)
    spec = ntk.kernel_spectrum(prob.gram, r0)
    res = exact_kernel_second_moments(spec.eigvals, spec.U, r0, alpha=0.7, beta=0.0,
                                      batch_size=3, n_steps=6)
    nd = noise_distance_form(res.ss, res.sa, res.sb, res.aa, res.ab, res.bb)
    rng = np.random.default_rng(2)
    for t, (sigma, A, B) in enumerate(dense_noise_terms(prob.gram, r0, 0.7, 3, 6)):
        for tau1, tau2 in rng.uniform(-2, 3, (4, 2)):
            d = np.sum((sigma - tau1 * A + tau2 * B) ** 2) / np.sum(sigma**2)
            assert nd.value(tau1, tau2, t=t) == pytest.approx(d, rel=1e-9)
        # minima by brute force on a fine grid around the reported minimisers
        t1, t2 = np.meshgrid(nd.tau_opt[t, 0] + np.linspace(-1, 1, 201),
                             nd.tau_opt[t, 1] + np.linspace(-1, 1, 201))
        assert nd.value(t1, t2, t=t).min() >= nd.d_min[t] - 1e-12
        line = nd.value(1.0, nd.tau2_at_1[t] + np.linspace(-1, 1, 401), t=t)
        assert line.min() >= nd.d_min_at_1[t] - 1e-12
        assert nd.value(1.0, nd.tau2_at_1[t], t=t) == pytest.approx(nd.d_min_at_1[t])
        # axis ratio: the ellipse D = d_min + 1 has semi-axes 1/sqrt(mu)
        mu = np.linalg.eigvalsh(nd.Q[t])
        assert nd.axis_ratio[t] == pytest.approx(np.sqrt(mu[0] / mu[1]))
