"""Negative controls of the local-geometry figures: a theory computed with a wrong lambda or phi
makes the main agreement rows of each figure family fail, while the right theory passes them.

One small SGD run (d = 300, the quick profile's scale and tolerances) feeds the same package
functions the series stages use (hdsgd.observables.geometry_agreement).
"""

import numpy as np
import pytest
import yaml

from hdsgd.observables.empirical_spectra import spectra_along_run
from hdsgd.observables.geometry_agreement import (
    edge_trend_comparison,
    emergence_comparison,
    histogram_comparison,
    static_comparison,
    training_comparison,
)
from hdsgd.seeding import rng
from hdsgd.theory.effective_spectrum import (
    MixtureModel,
    finite_size_track,
    gram_along_dynamics,
    initial_gram,
    outlier_map,
    spectrum_along,
    training_theory,
)
from hdsgd.theory.static_closed_forms import static_threshold
from hdsgd.training.geometry_runs import run_mixture, run_sgd

from .conftest import REPO

COMMON = {"beta": 0.01, "c_delta": 1.0, "block": 0, "mean_spacing": 50, "seed": 0}
QUAD = {"n_gh": 10, "n_gh_finite": 16, "n_bins": 400, "n_grid": 300}


def _tolerances():
    base = yaml.safe_load((REPO / "config/config.yaml").read_text())["geometry"]["agreement"]
    quick = yaml.safe_load((REPO / "config/quick.yaml").read_text())["geometry"]["agreement"]
    return {**base, **quick}


TOL = _tolerances()
# the quick profile's main training run (its seed count: one SGD sample at d = 300 is noisy)
QUICK_MAIN = yaml.safe_load((REPO / "config/quick.yaml").read_text())["geometry"]["runs"]["main"]


def _run(lam=10.0, d=300, seeds=4, kinds=("hessian", "g"), times=None, full_at=()):
    run = {"k": 3, "label_map": [0, 1, 2], "p": [1, 1, 1], "lam": lam, "phi": 2.0,
           "init": "zero", "d": d, "seeds": seeds}
    times = np.linspace(0.0, 18.0, 10) if times is None else times   # as the quick profile
    steps = np.rint(times * d).astype(np.int64)
    sim = run_sgd(run, COMMON, steps, stream=f"negative-{lam}-{d}")
    obs = spectra_along_run(sim["iterates"], run_mixture(run, 50), 2 * d, 0, list(kinds), 20,
                            rng(0, f"negative-test-{lam}-{d}"), full_at=full_at)
    return run, {"times": steps / d, "full_times": (steps / d)[list(full_at)], **obs}


def _theory(model, times, kinds, d):
    dense = np.union1d(np.linspace(0.0, times[-1], int(times[-1] / 0.1) + 1), times)
    grams, _, _ = gram_along_dynamics(dense, model, dt=0.05, n_gh=8)
    at = np.searchsorted(dense, times)
    th = training_theory(times, grams[at], dense, grams, model, c=0, kinds=kinds,
                         n_gh=QUAD["n_gh"], n_gh_finite=QUAD["n_gh_finite"],
                         n_bins=QUAD["n_bins"], n_grid=QUAD["n_grid"], n_sample=2 * d, log=None)
    return th, {"gram": grams[at]}


@pytest.fixture(scope="module")
def training_run():
    run, obs = _run(seeds=QUICK_MAIN["seeds"], full_at=(0, 6))
    return run, obs


def _failing(rows, words):
    return [r for r in rows if words in r["claim"] and not r["pass"]]


MODEL = MixtureModel(p=np.ones(3), label_map=np.arange(3), lam=10.0, phi=2.0, beta=0.01)


@pytest.mark.parametrize("wrong", [{"lam": 13.0}, {"phi": 3.0}])
def test_training_rows_fail_with_a_wrong_theory(training_run, wrong):
    run, obs = training_run
    times = obs["times"]
    kw = {"figure": "geometry_fig2", "kinds": ["hessian", "g"], "a": 0, "d": 300, "phi": 2.0,
          "tol": TOL}
    th, ode = _theory(MODEL, times, ["hessian", "g"], 300)
    _, rows = training_comparison(th, obs, ode, **kw)
    assert all(r["pass"] for r in rows), [r for r in rows if not r["pass"]]
    th_bad, ode_bad = _theory(MODEL.with_(**wrong), times, ["hessian", "g"], 300)
    _, bad = training_comparison(th_bad, obs, ode_bad, **kw)
    # a wrong SNR moves the outliers; a wrong sample ratio mostly the bulk (outliers move by
    # (1 + k / (lam phi)) only): both move the bulk quantiles and the top of the G-matrix
    if "lam" in wrong:
        assert _failing(bad, "Hessian block: outlier locations")
        assert _failing(bad, "G-matrix block: outlier locations")
    assert _failing(bad, "Hessian block: 0.95-quantile")
    assert _failing(bad, "G-matrix block: 0.95-quantile")
    assert _failing(bad, "top eigenvalue (mean over runs")


def test_histogram_rows_fail_with_a_wrong_theory(training_run):
    _, obs = training_run
    times = obs["times"]
    th, _ = _theory(MODEL, times, ["hessian", "g"], 300)
    _, rows = histogram_comparison(th, obs, figure="geometry_fig1", kinds=["hessian", "g"],
                                   phi=2.0, tol=TOL)
    assert all(r["pass"] for r in rows)
    th_bad, _ = _theory(MODEL.with_(phi=2.6), times, ["hessian", "g"], 300)
    _, bad = histogram_comparison(th_bad, obs, figure="geometry_fig1", kinds=["hessian", "g"],
                                  phi=2.0, tol=TOL)
    assert len(_failing(bad, "Kolmogorov")) >= 3


def test_static_rows_fail_with_a_wrong_theory():
    k, d = 3, 300
    sweep = {"param": "lam", "k": k, "d": d, "lam": 10.0, "phi": 2.0}
    values = np.array([3.0, 5.0, 8.0])
    from hdsgd.data.gmm import uniform_mixture
    from hdsgd.observables.empirical_spectra import block_spectra

    gen = np.random.default_rng(3)
    top = np.empty((values.size, 3, 2, 6))
    for i, v in enumerate(values):
        mix = uniform_mixture(k, d, v, 50)
        for s in range(3):
            labels, Y = mix.sample(2 * d, gen)
            top[i, s] = block_spectra(np.zeros((k, d)), labels, Y, mix.means, 0,
                                      ("hessian", "g"), 6)["values"]

    def theory(scale, phi):
        out = {"values": values}
        for kind in ("hessian", "g"):
            res = [spectrum_along(initial_gram(k)[None], MixtureModel(
                p=np.ones(k), label_map=np.arange(k), lam=scale * v, phi=phi), c=0, kind=kind,
                n_gh=8, n_bins=400, max_outliers=k) for v in values]
            for key in ("right", "outliers", "n_outliers", "overlaps"):
                out[f"{kind}_{key}"] = np.concatenate([r[key] for r in res])
            thr = static_threshold(kind, k, 0, "lam", lam=10.0, phi=phi, bracket=(0.5, 8.0))
            out[f"{kind}_threshold"] = np.array([thr, thr])
        return out

    _, rows = static_comparison(theory(1.0, 2.0), {"top": top}, figure="geometry_fig3",
                                sweep=sweep, c=0, tol=TOL)
    assert all(r["pass"] for r in rows)
    _, bad = static_comparison(theory(1.3, 2.0), {"top": top}, figure="geometry_fig3",
                               sweep=sweep, c=0, tol=TOL)
    # at x = 0 the Hessian outliers (w/lam + w/k)(1 + k/(lam phi)) barely feel lam once
    # lam >> k: the G-matrix row carries the check
    assert _failing(bad, "G-matrix block at x = 0: outlier locations")
    _, bad = static_comparison(theory(1.0, 3.0), {"top": top}, figure="geometry_fig3",
                               sweep=sweep, c=0, tol=TOL)
    assert _failing(bad, "BBP value")          # the threshold moves with phi


def test_emergence_rows_fail_with_a_wrong_theory():
    times = np.array([0.0, 1.0, 2.0, 4.0, 8.0])
    runs, obs = {}, {}
    for name, lam in (("emergence", 2.0), ("no_emergence", 1.5)):
        runs[name], obs[name] = _run(lam=lam, seeds=4, kinds=["hessian"], times=times)
        runs[name]["seeds"] = 4
    lams = np.array([1.5, 2.0, 2.25])
    mp = outlier_map(runs["emergence"], COMMON, lams, np.array([0.0, 2.0]),
                     kinds=("hessian", "g"), n_gh=8, n_bins=400, ode={"dt": 0.1, "n_gh": 8})
    mp.update(lams=lams, times=np.array([0.0, 2.0]))

    def theories(shift):
        return {name: _theory(MODEL.with_(lam=runs[name]["lam"] * shift), times, ["hessian"],
                              300)[0] for name in runs}

    _, rows = emergence_comparison(theories(1.0), obs, mp, figure="geometry_fig5", runs=runs,
                                   a=0, tol=TOL)
    assert all(r["pass"] for r in rows), [r for r in rows if not r["pass"]]
    _, bad = emergence_comparison(theories(1.25), obs, mp, figure="geometry_fig5", runs=runs,
                                  a=0, tol=TOL)
    assert _failing(bad, "lam = 2: squared overlap")


def test_edge_trend_rows_fail_with_a_wrong_theory():
    times = np.arange(6.0, 14.0, 1.0)
    trend_obs = [_run(d=d, seeds=s, kinds=["g"], times=times)[1]
                 for d, s in ((200, 6), (400, 4))]

    def theory(model):
        grid = np.union1d(np.linspace(0.0, times[-1], 141), times)
        grams, _, _ = gram_along_dynamics(grid, model, dt=0.05, n_gh=8)
        out = finite_size_track(grid, grams, times, model, c=0, kind="g", n_gh=10,
                                n_gh_finite=16, n_bins=400, n_samples=[400, 800],
                                level=TOL["transition_level"])
        return {"times": times, "dims": np.array([200, 400]), **out}

    kw = {"figure": "geometry_fig7", "dims": [200, 400], "a": 0, "tol": TOL}
    _, rows = edge_trend_comparison(trend_obs, theory(MODEL), **kw)
    assert all(r["pass"] for r in rows), [r for r in rows if not r["pass"]]
    _, bad = edge_trend_comparison(trend_obs, theory(MODEL.with_(lam=5.0)), **kw)
    assert _failing(bad, "visible transition")
