"""Convergence in d of the Hessian block's spectrum (geometry_scaling): the single-precision
whole spectrum against dense double precision, the law of a sample's own weights, and the
negative controls: a limiting law with lambda 5 % off levels off and fails every Kolmogorov
row; outliers 5 % off fail both outlier rows (lambda 5 % off moves the outliers by only
1.5-1.7 %, within their own fluctuation at d <= 4000: the outlier rows cannot see it)."""

import numpy as np
import pytest

from hdsgd.checks.geometry_scaling import (
    QUANTITIES,
    law_cdf,
    sample_law_cdf,
    scaling_fits,
    scaling_rows,
    scored_outliers,
    squared_gaps,
)
from hdsgd.observables.block_eigenvalues import block_eigenvalues
from hdsgd.observables.empirical_spectra import block_weights, kolmogorov_distance, weighted_gram
from hdsgd.theory.effective_spectrum import MixtureModel, block_summary, gram_along_dynamics
from hdsgd.theory.limiting_spectra import ScalarWeightLaw, bulk_cdf_grid
from hdsgd.training.geometry_runs import run_mixture

RUN = {"k": 3, "label_map": [0, 1, 2], "p": [1, 1, 1], "lam": 10.0, "phi": 2.0, "init": "zero"}
CFG = {"time": 12.0,
       "expected_slope": {"ks_x0": -1.0, "ks_limit": -0.5, "ks_sample": -1.0,
                          "outliers_x0": -0.5, "outliers_train": -0.5},
       "slope_tol": {"ks_x0": 0.2, "ks_limit": 0.2, "ks_sample": 0.2, "outliers_x0": 0.15,
                     "outliers_train": 0.2}}
QUAD = {"n_bins": 300, "n_grid": 400}


def _gram_at_12():
    model = MixtureModel.from_config(RUN, 0.01, 1.0)
    return gram_along_dynamics(np.array([0.0, 12.0]), model, dt=0.05, n_gh=10)[0][-1]


def _iterate_with_gram(G, d, gen, spacing=10):
    """x (C, d) with Gram matrix G of (x, mu) exactly, for the coordinate means e_{10 a}: the
    part along the means from G's off-diagonal block, a random orthogonal part with Gram
    Q - m m^T (its symmetric square root)."""
    k = C = 3
    m, Q = G[:C, C:], G[:C, :C]
    means = np.zeros((k, d))
    means[np.arange(k), spacing * np.arange(1, k + 1) - 1] = 1.0
    Z = gen.standard_normal((d, C))
    Z -= means.T @ (means @ Z)
    basis, _ = np.linalg.qr(Z)                            # orthonormal, orthogonal to the means
    val, vec = np.linalg.eigh(Q - m @ m.T)                # PSD (rank C - 1 from x_0 = 0)
    return m @ means + (vec * np.sqrt(np.clip(val, 0.0, None))) @ vec.T @ basis.T


def test_single_precision_spectrum_matches_dense_double_precision():
    d = 400
    mix = run_mixture({**RUN, "d": d}, 10)
    gen = np.random.default_rng(0)
    x = _iterate_with_gram(_gram_at_12(), d, gen)
    labels, Y = mix.sample(2 * d, gen)
    eigs, w = block_eigenvalues(x, mix.classes(labels), Y, 0, "hessian")
    ref = np.linalg.eigvalsh(weighted_gram(Y, block_weights(x, mix.classes(labels), Y, 0,
                                                            "hessian")))
    assert np.allclose(w, block_weights(x, mix.classes(labels), Y, 0, "hessian"))
    assert np.max(np.abs(eigs - ref)) < 3e-5 * ref.max()
    cdf = sample_law_cdf(w, RUN["lam"], RUN["phi"], **QUAD)
    assert abs(kolmogorov_distance(eigs, cdf) - kolmogorov_distance(ref, cdf)) < 1e-5


def test_law_of_constant_sample_weights_is_marchenko_pastur():
    """At x = 0 every weight is (1/C)(1 - 1/C): the sample's own law is the limiting law."""
    w = np.full(2000, 2.0 / 9.0)
    own = sample_law_cdf(w, 10.0, 2.0, **QUAD)
    grid, _, cdf = bulk_cdf_grid(ScalarWeightLaw.constant(0.1, 2.0, 2.0 / 9.0), 400)
    x = np.linspace(0.0, 0.1, 301)
    assert np.max(np.abs(own(x) - law_cdf(grid, cdf, 2.0)(x))) < 1e-6


def test_scored_outliers_keep_those_far_above_the_edge():
    locs = np.array([0.0773, 0.0531, 0.0470, 0.0, 0.0, 0.0])
    assert np.allclose(scored_outliers(locs, 3, 0.0434, 0.25), [0.0773])
    assert np.allclose(scored_outliers(locs, 2, 0.0434, 0.2), [0.0773, 0.0531])


def _theory(G, lam, outlier_factor=1.0):
    r = block_summary(G, p=np.ones(3) / 3, lam=lam, phi=RUN["phi"], c=0, kind="hessian", n_gh=12,
                      n_bins=QUAD["n_bins"], max_outliers=6)
    grid, _, cdf = bulk_cdf_grid(r["law"], QUAD["n_grid"])
    return {"grid": grid, "cdf": cdf, "outliers": outlier_factor * np.nan_to_num(r["outliers"]),
            "n_outliers": r["n_outliers"], "right": r["right"]}


@pytest.fixture(scope="module")
def spectra():
    """Test-data spectra at x = 0 and at iterates with the t = 12 Gram matrix of the ODE (its
    law is then exact: no SGD needed), d = 250 ... 2000."""
    G0, G12 = np.zeros((6, 6)), _gram_at_12()
    G0[3:, 3:] = np.eye(3)
    sizes, x0_samples, runs, tests = [250, 500, 1000, 2000], [8, 6, 4, 2], [4, 3, 2, 2], 2
    obs = {"sizes": np.array(sizes)}
    gen = np.random.default_rng(7)
    for d, n0, nr in zip(sizes, x0_samples, runs):
        mix = run_mixture({**RUN, "d": d}, 10)

        def spectrum(x, mix=mix, d=d):
            labels, Y = mix.sample(2 * d, gen)
            return block_eigenvalues(x, mix.classes(labels), Y, 0, "hessian")

        obs[f"x0_d{d}"] = np.stack([spectrum(np.zeros((3, d)))[0] for _ in range(n0)])
        pairs = [[spectrum(_iterate_with_gram(G12, d, gen)) for _ in range(tests)]
                 for _ in range(nr)]
        obs[f"train_d{d}"] = np.array([[e for e, _ in p] for p in pairs])
        obs[f"weights_d{d}"] = np.array([[w for _, w in p] for p in pairs])
    return obs, G0, G12


def _rows(obs, G0, G12, lam, outlier_factor=1.0):
    theory = {"x0": _theory(G0, lam, outlier_factor), "train": _theory(G12, lam, outlier_factor)}
    gaps = squared_gaps(obs, theory, lam=lam, phi=RUN["phi"], min_separation=0.25, **QUAD)
    fits = scaling_fits(obs["sizes"], gaps)
    return fits, dict(zip(QUANTITIES, scaling_rows(fits, CFG)))


def test_right_law_converges_at_the_expected_rates(spectra):
    fits, rows = _rows(*spectra, RUN["lam"])
    for q in ("ks_x0", "ks_sample", "outliers_x0"):
        assert rows[q]["pass"], (q, fits[q].slope)
    assert fits["ks_limit"].slope < -0.4


def test_negative_control_lambda_five_percent_off_levels_off(spectra):
    """The limiting law (and the sample's own law) with lambda 5 % off: the Kolmogorov gaps
    level off at the law's bias (0.02) and every Kolmogorov row fails."""
    fits, rows = _rows(*spectra, 1.05 * RUN["lam"])
    for q in ("ks_x0", "ks_limit", "ks_sample"):
        assert not rows[q]["pass"], (q, fits[q].slope)
        assert fits[q].slope > -0.3, (q, fits[q].slope)


def test_negative_control_outliers_five_percent_off_level_off(spectra):
    fits, rows = _rows(*spectra, RUN["lam"], outlier_factor=1.05)
    for q in ("outliers_x0", "outliers_train"):
        assert not rows[q]["pass"], (q, fits[q].slope)
        assert fits[q].slope > -0.25, (q, fits[q].slope)


@pytest.mark.parametrize("extra, key", [
    ("geometry:\n  scaling:\n    time: 12.5\n", "geometry.scaling.time"),
    ("geometry:\n  scaling:\n    run: xor\n", "geometry.scaling.run"),
])
def test_bad_scaling_config_stops_the_dry_run(tmp_path, extra, key):
    from .conftest import copy_workflow, dry_run_error

    work = copy_workflow(tmp_path / "work")
    line = dry_run_error(work, extra, target="figures/quick/geometry_scaling.pdf", quick=True)
    assert key in line
