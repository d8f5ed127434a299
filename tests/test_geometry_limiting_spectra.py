"""Limiting Hessian / G-matrix block spectra (arXiv 2502.15655): closed forms, dense checks."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from hdsgd.data.gmm import uniform_mixture
from hdsgd.models.softmax_regression import dense_g_matrix, dense_hessian
from hdsgd.observables.empirical_spectra import (
    block_matrices,
    block_weights,
    kolmogorov_distance,
    overlaps,
    spectra,
    top_spectrum,
    weighted_gram,
)
from hdsgd.observables.spectral_agreement import outlier_relative_errors
from hdsgd.theory.gmm_effective_dynamics import GMMDynamicsParams, weighted_mp_right_edge
from hdsgd.theory.gram_quadrature import (
    GramQuadrature,
    block_weight_law,
    full_weight_atoms,
    gram_coordinates,
    gram_matrix,
)
from hdsgd.theory.limiting_spectra import (
    ScalarWeightLaw,
    density,
    left_edge,
    limiting_cdf,
    matrix_stieltjes_transform,
    outliers,
    right_edge,
    stieltjes_transform,
    upper_quantile,
)


@pytest.mark.parametrize("phi", [2.0, 0.5])
def test_constant_weights_give_marchenko_pastur(phi):
    s = 0.7
    law = ScalarWeightLaw.constant(s=s, phi=phi)
    c = 1.0 / phi
    a, b = s * (1 - np.sqrt(c)) ** 2, s * (1 + np.sqrt(c)) ** 2
    x = np.linspace(a, b, 301)[1:-1]
    exact = np.sqrt((b - x) * (x - a)) / (2 * np.pi * s * c * x)
    assert np.max(np.abs(density(x, law) - exact)) < 1e-4 * exact.max()
    assert right_edge(law) == pytest.approx(b, rel=1e-8)
    assert left_edge(law) == pytest.approx(a, rel=1e-8)
    # MP Stieltjes transform in closed form: z c s m^2 + (z - s + c s) m + 1 = 0 (Im m > 0)
    z = np.array([0.3 + 0.05j, 1.0 + 0.2j, -0.5 + 0.01j])
    roots = [np.roots([zz * c * s, zz - s + c * s, 1.0]) for zz in z]
    closed = np.array([r[np.argmax(r.imag)] for r in roots])
    np.testing.assert_allclose(stieltjes_transform(z, law), closed, rtol=1e-10)
    # CDF: atom 1 - phi at zero when phi < 1, total mass one
    F = limiting_cdf(np.array([-1e-9, 0.0, b * 1.01]), law)
    np.testing.assert_allclose(F, [0.0, max(0.0, 1 - phi), 1.0], atol=1e-6)


@pytest.mark.parametrize("phi", [2.0, 0.5])
def test_left_edge_bounds_the_density_for_two_weights(phi):
    # weights 0.2 and 1 with probabilities 0.7 / 0.3: the density vanishes left of the edge
    law = ScalarWeightLaw(np.array([0.2, 1.0]), np.array([0.7, 0.3]), np.zeros((2, 0, 0)),
                          0.5, phi)
    a = left_edge(law)
    assert a > 0
    below, above = density(np.array([0.97 * a, 1.03 * a]), law)
    assert below < 1e-3 * above


@pytest.mark.parametrize("phi, tail", [(2.0, 0.01), (0.5, 0.01), (2.0, 0.3)])
def test_upper_quantile_matches_marchenko_pastur(phi, tail):
    s = 0.7
    c = 1.0 / phi
    a, b = s * (1 - np.sqrt(c)) ** 2, s * (1 + np.sqrt(c)) ** 2

    def above(x):        # MP mass above x (continuous part, total min(1, phi))
        return quad(lambda e: np.sqrt((b - e) * (e - a)) / (2 * np.pi * s * c * e), x, b)[0]

    exact = brentq(lambda x: above(x) - tail, a, b)
    got = upper_quantile(ScalarWeightLaw.constant(s=s, phi=phi), tail)
    assert got == pytest.approx(exact, rel=2e-4)


@pytest.mark.parametrize("ell", [2.5, 4.0])
def test_spike_follows_bbp_formula(ell):
    """w = 1 and one direction with variance ell: z = ell (1 + c/(ell-1)), overlap closed form."""
    phi = 3.0
    c = 1.0 / phi
    law = ScalarWeightLaw(np.array([1.0]), np.array([1.0]), np.array([[[ell]]]), 1.0, phi)
    locs, vecs, norms = outliers(law)
    assert locs == pytest.approx([ell * (1 + c / (ell - 1))], rel=1e-8)
    overlap = vecs[0, 0] ** 2 / norms[0]
    assert overlap == pytest.approx((1 - c / (ell - 1) ** 2) / (1 + c / (ell - 1)), rel=1e-6)
    # below the BBP threshold 1 + sqrt(c) no outlier
    weak = ScalarWeightLaw(np.array([1.0]), np.array([1.0]), np.array([[[1.2]]]), 1.0, phi)
    assert outliers(weak)[0].size == 0


def _trained_point(k, d, lam, seed=1):
    mix = uniform_mixture(k, d, lam, 50)
    rng = np.random.default_rng(seed)
    x = 1.5 * mix.means + 0.5 * rng.standard_normal((k, d)) / np.sqrt(d)
    x[0] += mix.means[1]
    return mix, x, rng


def test_gram_coordinates_reproduce_gram():
    mix, x, _ = _trained_point(3, 200, 10.0)
    G = gram_matrix(x, mix.means)
    R = gram_coordinates(G)
    np.testing.assert_allclose(R.T @ R, G, atol=1e-12)


@pytest.mark.parametrize("kind", ["hessian", "g"])
def test_empirical_spectrum_close_to_limit_in_kolmogorov_distance(kind):
    k, d, lam, phi = 3, 500, 10.0, 2.0
    mix, x, rng = _trained_point(k, d, lam)
    labels, Y = mix.sample(int(phi * d), rng)
    law = block_weight_law(GramQuadrature.build(gram_matrix(x, mix.means), k, mix.probs, lam),
                           0, kind, phi)
    ev = spectra(block_matrices(x, labels, Y, 0)[kind])
    ks = kolmogorov_distance(ev, lambda e: limiting_cdf(e, law))
    assert ks < 0.015
    # a wrong law (Marchenko-Pastur with the mean weight) is measurably further away
    mp = ScalarWeightLaw.constant(law.s, phi, float(law.q @ law.w))
    assert kolmogorov_distance(ev, lambda e: limiting_cdf(e, mp)) > 2 * ks


def test_outliers_and_overlaps_match_dense_eigenpairs():
    k, d, lam, phi = 3, 800, 10.0, 2.0
    mix, x, rng = _trained_point(k, d, lam)
    quad = GramQuadrature.build(gram_matrix(x, mix.means), k, mix.probs, lam)
    labels, Y = mix.sample(int(phi * d), rng)
    for kind in ("hessian", "g"):
        law = block_weight_law(quad, 0, kind, phi)
        locs, vecs, norms = outliers(law)
        assert locs.size == {"hessian": 3, "g": 1}[kind]
        ev, vec = spectra(weighted_gram(Y, block_weights(x, labels, Y, 0, kind)), locs.size)
        np.testing.assert_allclose(ev[::-1][: locs.size], locs, rtol=0.05)
        assert ev[::-1][locs.size] < right_edge(law) * 1.05     # next one sticks to the bulk
        # mass of each mean inside the outlier eigenspace (basis-free for close outliers)
        theory = [sum((v @ quad.unit_coords(k + a)) ** 2 / n for v, n in zip(vecs, norms))
                  for a in range(k)]
        emp = overlaps(vec, mix.means).sum(axis=0)
        np.testing.assert_allclose(emp, theory, atol=0.08)


def test_right_edge_agrees_with_independent_weighted_mp_edge():
    """Cross-check against the alignment module's Silverstein edge (different code path)."""
    k, lam, phi = 3, 10.0, 2.0
    params = GMMDynamicsParams.orthonormal(k, lam, beta=0.0)
    m = 0.8 * np.eye(k)
    Q = 1.2 * np.eye(k) + 0.1
    quad = GramQuadrature.build(np.block([[Q, m], [m.T, np.eye(k)]]), k, params.p, lam)
    law = block_weight_law(quad, 1, "hessian", phi, n_bins=None)
    assert right_edge(law) == pytest.approx(
        weighted_mp_right_edge(law.w, law.q, 1.0 / phi, 1.0 / lam), rel=1e-6)


@pytest.mark.parametrize("kind", ["hessian", "g"])
def test_matrix_stieltjes_transform_matches_full_dense_matrix(kind):
    """Full C x C-block Hessian / G-matrix: resolvent trace vs the matrix self-consistent law."""
    k, d, lam, phi = 3, 300, 10.0, 2.0
    mix, x, rng = _trained_point(k, d, lam)
    labels, Y = mix.sample(int(phi * d), rng)
    M = {"hessian": dense_hessian, "g": dense_g_matrix}[kind](x, labels, Y, 0.0)
    ev = np.linalg.eigvalsh(M)
    quad = GramQuadrature.build(gram_matrix(x, mix.means), k, mix.probs, lam, n_gh=6)
    W, q = full_weight_atoms(quad, kind)
    z = np.linspace(0.0, 1.1 * ev.max(), 12) + 0.05j * ev.max()
    m, _ = matrix_stieltjes_transform(z, W, q, 1.0 / lam, phi, tol=1e-9)
    emp = np.mean(1.0 / (ev[None, :] - z[:, None]), axis=1)
    assert np.max(np.abs(emp - m)) < 0.02 * np.max(np.abs(emp))


def test_matrix_solver_reduces_to_scalar_solver():
    law = ScalarWeightLaw(np.array([0.1, 0.5, 1.0]), np.array([0.2, 0.5, 0.3]),
                          np.zeros((3, 0, 0)), 0.8, 1.7)
    z = np.array([0.2 + 0.1j, 0.9 + 0.05j])
    m, _ = matrix_stieltjes_transform(z, law.w[:, None, None], law.q, law.s, law.phi, tol=1e-13)
    np.testing.assert_allclose(m, stieltjes_transform(z, law), rtol=1e-9)


def test_top_spectrum_matches_full_eigh():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((2, 60, 60))
    a = a + np.swapaxes(a, 1, 2)
    vals, vecs = top_spectrum(a, 4)
    full_vals, full_vecs = np.linalg.eigh(a)
    np.testing.assert_allclose(vals, full_vals[:, ::-1][:, :4], rtol=1e-10)
    top_vecs = full_vecs[:, :, ::-1][:, :, :4]
    np.testing.assert_allclose(np.abs(np.einsum("bdm,bdm->bm", vecs, top_vecs)), 1.0, atol=1e-8)


def test_outlier_errors_score_degenerate_groups_by_their_mean():
    # three coinciding theory outliers split at finite n: the group is scored by its mean
    errs = outlier_relative_errors([0.14, 0.14, 0.14], 0.11, [0.15, 0.145, 0.125, 0.10], 0.15)
    np.testing.assert_allclose(errs, [abs(0.14 - 0.14) / 0.14], atol=1e-12)
    # distinct outliers are matched by rank; those too close to the edge are not scored
    errs = outlier_relative_errors([0.2, 0.15, 0.105], 0.1, [0.21, 0.14, 0.11], 0.15)
    np.testing.assert_allclose(errs, [0.05, 0.01 / 0.15])
