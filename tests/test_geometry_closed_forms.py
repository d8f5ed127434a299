"""Local geometry: closed forms against the solvers, and C != k against dense eigenvalues."""

import numpy as np
import pytest

from hdsgd.data.gmm import GaussianMixture, coordinate_means
from hdsgd.models.softmax_regression import dense_g_matrix, dense_hessian
from hdsgd.observables.empirical_spectra import (
    block_spectra,
    block_weights,
    kolmogorov_distance,
    spectra,
    top_weighted_eigenpairs,
    weighted_gram,
)
from hdsgd.theory.effective_spectrum import block_summary, initial_gram
from hdsgd.theory.gram_quadrature import GramQuadrature, full_weight_atoms, gram_matrix
from hdsgd.theory.limiting_spectra import (
    ScalarWeightLaw,
    limiting_cdf,
    matrix_stieltjes_transform,
    pole_edge,
    right_edge,
    sample_max_weight,
)
from hdsgd.theory.static_closed_forms import initial_outliers, static_threshold


@pytest.mark.parametrize("lam, phi", [(10.0, 2.0), (4.0, 0.5), (3.5, 1.0), (2.7, 4.0)])
@pytest.mark.parametrize("p, label_map", [
    ([1, 1, 1], [0, 1, 2]),                 # C = k, uniform
    ([5, 3, 2], [0, 1, 2]),                 # unequal proportions
    ([4, 3, 2, 1], [0, 0, 1, 1]),           # k = 4 components in C = 2 classes
])
def test_x0_outliers_match_closed_form(lam, phi, p, label_map):
    """At x = 0 the outlier along mu_a is z(m_a), m_a = -lam phi / (w_a (1 + lam phi p_a))."""
    p = np.asarray(p, float) / np.sum(p)
    k, C = len(p), max(label_map) + 1
    for kind in ("hessian", "g"):
        z, present = initial_outliers(kind, p, label_map, lam, phi, c=0)
        r = block_summary(initial_gram(k, C=C), p=p, label_map=label_map, lam=lam, phi=phi,
                          c=0, kind=kind, n_gh=8, n_bins=600, max_outliers=k)
        expected = np.sort(z[present])[::-1]
        assert r["n_outliers"] == expected.size, kind
        np.testing.assert_allclose(r["outliers"][: expected.size], expected, rtol=1e-7)


@pytest.mark.parametrize("k, phi", [(3, 2.0), (3, 0.7), (4, 1.5)])
def test_hessian_threshold_is_bbp_value_and_g_threshold_is_below(k, phi):
    lam_h = static_threshold("hessian", k, 0, "lam", lam=1.0, phi=phi, bracket=(0.2, 20.0))
    assert lam_h == pytest.approx(k / np.sqrt(phi), rel=1e-8)
    phi_h = static_threshold("hessian", k, 0, "phi", lam=2.0 * k, phi=1.0, bracket=(0.01, 20.0))
    assert phi_h == pytest.approx(0.25, rel=1e-8)           # (k / lam)^2
    # the G-matrix's own transition along mu_c comes earlier (its weight is larger there)
    lam_g = static_threshold("g", k, 0, "lam", lam=1.0, phi=phi, bracket=(0.05, 20.0))
    assert lam_g < lam_h
    # and the solver agrees on both sides of it
    for lam, n in ((0.98 * lam_g, 0), (1.02 * lam_g, 1)):
        r = block_summary(initial_gram(k), p=np.ones(k) / k, label_map=np.arange(k), lam=lam,
                          phi=phi, c=0, kind="g", n_gh=8, n_bins=600, max_outliers=k)
        assert r["n_outliers"] == n


def test_pole_edge_is_the_limit_of_discrete_edges():
    """A weight law with density ~ (1 - w)^3 near its sup 1: the edge sits at the pole, and
    the interior minimum of finer and finer discretisations converges to it."""
    s, phi = 0.1, 2.0
    edges = []
    for n in (400, 4000, 40000):
        w = (np.arange(n) + 0.5) / n
        q = (1 - w) ** 3
        law = ScalarWeightLaw(w, q / q.sum(), np.zeros((n, 0, 0)), s, phi)
        edges.append(right_edge(law))
        value, applies = pole_edge(law, 1.0)
    assert applies
    errs = np.abs(np.array(edges) / value - 1)
    assert errs[-1] < 2e-3 and errs[0] > errs[1] > errs[2]
    # closed form (1/(lam phi)) (1 + phi E[w / (1 - w)]) with E[w/(1-w)] = 1/3 for density 4(1-w)^3
    assert value == pytest.approx(s / phi * (1 + phi / 3), rel=1e-4)
    # a law with mass near its sup (z' < 0 at the pole) is not at the pole
    law = ScalarWeightLaw(np.array([0.5, 0.99]), np.array([0.5, 0.5]), np.zeros((2, 0, 0)), s, phi)
    assert not pole_edge(law, 1.0)[1]


def test_sample_max_weight_is_the_median_of_the_maximum():
    w = (np.arange(10000) + 0.5) / 10000               # uniform weights on [0, 1]
    law = ScalarWeightLaw(w, np.full(w.size, 1 / w.size), np.zeros((w.size, 0, 0)), 1.0, 1.0)
    for n in (10, 1000):
        u = sample_max_weight(law, n)
        assert u ** n == pytest.approx(0.5, abs=1e-3)       # P(max <= u) = u^n


def _xor_point(d, seed=2):
    """k = 4 components in C = 2 classes, unequal p, a trained-looking x (C, d)."""
    means = coordinate_means(4, d, 50)
    p = np.array([0.4, 0.3, 0.2, 0.1])
    mix = GaussianMixture(means, 10.0, p, label_map=np.array([0, 0, 1, 1]))
    rng = np.random.default_rng(seed)
    x = np.stack([0.36 * (means[0] + means[1]) - 0.24 * (means[2] + means[3]),
                  0.27 * (means[2] + means[3]) - 0.21 * (means[0] + means[1])])
    x = x + 0.2 * rng.standard_normal(x.shape) / np.sqrt(d)
    return mix, x, rng


@pytest.mark.parametrize("kind", ["hessian", "g"])
def test_c_neq_k_limit_matches_dense_eigenvalues_at_d1000(kind):
    d, phi = 1000, 2.0
    mix, x, rng = _xor_point(d)
    labels, Y = mix.sample(int(phi * d), rng)
    classes = mix.classes(labels)
    G = gram_matrix(x, mix.means)
    r = block_summary(G, p=mix.probs, label_map=mix.label_map, lam=mix.lam, phi=phi, c=0,
                      kind=kind, n_gh=16, n_bins=600, max_outliers=6)
    n_out = r["n_outliers"]
    assert n_out >= 1
    ev = spectra(weighted_gram(Y, block_weights(x, classes, Y, 0, kind)))[::-1]
    sep = r["outliers"][:n_out] > 1.1 * r["right"]
    np.testing.assert_allclose(ev[:n_out][sep], r["outliers"][:n_out][sep], rtol=0.05)
    ks = kolmogorov_distance(ev, lambda e: limiting_cdf(e, r["law"]))
    assert ks < 0.02
    # the top eigenvector's overlap with mu_1 (class 1's first component)
    top = block_spectra(x, classes, Y, mix.means, 0, [kind], 2)
    if sep[0] and (n_out == 1 or r["outliers"][1] < 0.9 * r["outliers"][0]):
        assert top["overlaps"][0, 0, 0] == pytest.approx(r["overlaps"][0, 0], abs=0.08)


@pytest.mark.parametrize("kind", ["hessian", "g"])
def test_full_c_block_matrix_stieltjes_with_label_map_matches_dense(kind):
    """The whole kC x kC (here 2d x 2d, C = 2) Hessian / G-matrix: resolvent trace of the
    dense matrix vs the matrix self-consistent equation, near and far from the real axis."""
    d, phi = 400, 2.0
    mix, x, rng = _xor_point(d)
    labels, Y = mix.sample(int(phi * d), rng)
    classes = mix.classes(labels)
    M = {"hessian": dense_hessian, "g": dense_g_matrix}[kind](x, classes, Y, 0.0)
    ev = np.linalg.eigvalsh(M)
    quad = GramQuadrature.build(gram_matrix(x, mix.means), 2, mix.probs, mix.lam, n_gh=8,
                                label_map=mix.label_map)
    W, q = full_weight_atoms(quad, kind)
    top = np.quantile(ev, 0.99)
    for height in (0.05, 0.015):
        z = np.linspace(0.02 * top, top, 10) + 1j * height * top
        m, _ = matrix_stieltjes_transform(z, W, q, 1.0 / mix.lam, phi, tol=1e-10, n_iter=4000)
        emp = np.mean(1.0 / (ev[None, :] - z[:, None]), axis=1)
        assert np.max(np.abs(emp - m)) < 0.03 * np.max(np.abs(emp)), height


def test_krylov_and_dense_top_eigenpairs_agree():
    rng = np.random.default_rng(5)
    Y = rng.standard_normal((600, 300))
    Y[:, 0] += 2.0
    w = rng.uniform(0.0, 1.0, 600) ** 4
    v1, e1 = top_weighted_eigenpairs(Y, w, 4, method="dense")
    v2, e2 = top_weighted_eigenpairs(Y, w, 4, method="krylov")
    np.testing.assert_allclose(v2, v1, rtol=1e-5)
    np.testing.assert_allclose(np.abs(np.sum(e1 * e2, axis=0)), 1.0, atol=1e-4)


def test_configured_node_counts_are_converged_at_the_worst_times():
    """config/config.yaml's quadrature comment, measured: along Fig 2's ODE the limiting
    quantities at ``n_gh`` nodes against 48, the finite-d G edge at ``n_gh_finite`` against 128."""
    import yaml

    from hdsgd.theory.effective_spectrum import MixtureModel, gram_along_dynamics

    from .conftest import REPO

    qd = yaml.safe_load((REPO / "config/config.yaml").read_text())["geometry"]["quadrature"]
    model = MixtureModel(p=np.ones(3), label_map=np.arange(3), lam=10.0, phi=2.0, beta=0.01)
    grams, _, _ = gram_along_dynamics(np.array([2.0, 8.0, 16.0]), model, dt=0.05, n_gh=10)

    def summary(G, kind, n_gh, n_gh_finite):
        return block_summary(G, p=model.p, label_map=model.label_map, lam=10.0, phi=2.0, c=0,
                             kind=kind, n_gh=n_gh, n_bins=qd["n_bins"], max_outliers=6,
                             n_sample=2000, n_gh_finite=n_gh_finite)

    for G in grams:
        for kind in ("hessian", "g"):
            a = summary(G, kind, qd["n_gh"], qd["n_gh_finite"])
            b = summary(G, kind, 48, 128)
            assert a["n_outliers"] == b["n_outliers"]
            assert a["right"] == pytest.approx(b["right"], rel=1e-4)
            n = a["n_outliers"]
            np.testing.assert_allclose(a["outliers"][:n], b["outliers"][:n], rtol=1e-4)
            if kind == "g":        # the finite-d law is set by a few far-tail nodes
                assert a["finite"]["right"] == pytest.approx(b["finite"]["right"], rel=0.015)
