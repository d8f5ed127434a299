"""Negative controls of the local-geometry figures: a theory computed with a wrong lambda or phi
makes the main agreement rows of each figure family fail, while the right theory passes them.

One small SGD run (d = 300, the quick profile's scale and tolerances) feeds the same package
functions the series stages use (hdsgd.observables.geometry_agreement).
"""

import numpy as np
import pytest
import yaml

from hdsgd.agreement import unexplained_failures
from hdsgd.observables.empirical_spectra import spectra_along_run
from hdsgd.observables.geometry_agreement import (
    edge_trend_comparison,
    emergence_comparison,
    histogram_comparison,
    static_comparison,
    time_scale_fit,
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
QUAD = {"n_gh": 10, "n_gh_finite": 16, "n_gh_grid": 48, "n_bins": 400, "n_grid": 300}


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


def _theory(model, times, kinds, d, grid_times=(), finite=True):
    dense = np.union1d(np.linspace(0.0, times[-1], int(times[-1] / 0.1) + 1), times)
    grams, _, _ = gram_along_dynamics(dense, model, dt=0.05, n_gh=8)
    at = np.searchsorted(dense, times)
    th = training_theory(times, dense, grams, model, c=0, kinds=kinds, n_gh=QUAD["n_gh"],
                         n_gh_finite=QUAD["n_gh_finite"], n_bins=QUAD["n_bins"],
                         n_grid=QUAD["n_grid"], n_sample=round(model.phi * d) if finite else None,
                         track_dt=0.5, grid_times=grid_times, n_gh_grid=QUAD["n_gh_grid"],
                         quantile=TOL["bulk_quantile"], log=None)
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
    kw = {"figure": "geometry_fig2", "kinds": ["hessian", "g"], "a": 0, "d": 300, "tol": TOL}
    th, ode = _theory(MODEL, times, ["hessian", "g"], 300)
    _, rows = training_comparison(th, obs, ode, **kw)
    assert not unexplained_failures(rows), unexplained_failures(rows)
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
    th, _ = _theory(MODEL, times, ["hessian", "g"], 300, grid_times=obs["full_times"])
    _, rows = histogram_comparison(th, obs, figure="geometry_fig1", kinds=["hessian", "g"],
                                   phi=2.0, tol=TOL)
    assert all(r["pass"] for r in rows)
    th_bad, _ = _theory(MODEL.with_(phi=2.6), times, ["hessian", "g"], 300,
                        grid_times=obs["full_times"])
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


@pytest.fixture(scope="module")
def emergence_runs():
    """Fig 5's two runs as configured (k = C = 4, phi = 1/2, d = 1000: the same in the quick
    profile, since at smaller d the emerging outlier is inside the edge's finite-size window),
    on fewer checkpoints: SGD, 32 / 16 test spectra per checkpoint, and the limiting theory."""
    cfg = yaml.safe_load((REPO / "config/config.yaml").read_text())["geometry"]["runs"]
    runs, obs, theories = {}, {}, {}
    for name, times in (("emergence", [0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0,
                                       16.0, 20.0]),
                        ("no_emergence", [0.0, 2.0, 4.0, 8.0])):
        run = runs[name] = cfg[name]
        steps = np.rint(np.asarray(times) * run["d"]).astype(np.int64)
        sim = run_sgd(run, COMMON, steps, stream=f"negative-{name}")
        obs[name] = {"times": steps / run["d"], **spectra_along_run(
            sim["iterates"], run_mixture(run, 50), round(run["phi"] * run["d"]), 0,
            ["hessian"], 1, rng(0, f"negative-test-{name}"),
            tests_per_run=run["tests_per_run"])}
        model = MixtureModel.from_config(run, COMMON["beta"], COMMON["c_delta"])
        theories[name] = _theory(model, steps / run["d"], ["hessian"], run["d"],
                                 finite=False)[0]
    lams = np.array([5.4, 5.8])
    mp = outlier_map(runs["emergence"], COMMON, lams, np.array([0.0, 1.0]),
                     kinds=("hessian", "g"), n_gh=8, n_bins=400, ode={"dt": 0.1, "n_gh": 6})
    mp.update(lams=lams, times=np.array([0.0, 1.0]))
    return runs, obs, theories, mp


@pytest.mark.parametrize("stretch", [1.2, 1 / 1.2])
def test_emergence_rows_fail_with_a_wrong_time_scale(emergence_runs, stretch):
    # a theory whose emergence and absorption times are 20 % too late / too early
    runs, obs, theories, mp = emergence_runs
    kw = {"figure": "geometry_fig5", "runs": runs, "a": 0, "tol": TOL}
    _, rows = emergence_comparison(theories, obs, mp, **kw)
    assert all(r["pass"] for r in rows), [r for r in rows if not r["pass"]]
    wrong = {name: {**th, "track_times": th["track_times"] * stretch}
             for name, th in theories.items()}
    _, bad = emergence_comparison(wrong, obs, mp, **kw)
    assert _failing(bad, "lam = 4.6: squared overlap of mu_c with the top eigenvector where "
                    "the SGD mean is >= 0.08: time scale")


def test_emergence_rows_fail_with_the_other_runs_theory(emergence_runs):
    # the emergence run's theory for the control (an outlier along training at lam = 3): the
    # control's top eigenvalue does not rise and its overlap stays at the null level
    runs, obs, theories, mp = emergence_runs
    swapped = {name: theories["emergence"] for name in runs}
    _, bad = emergence_comparison(swapped, obs, mp, figure="geometry_fig5", runs=runs, a=0,
                                  tol=TOL)
    assert _failing(bad, "lam = 3: the top eigenvalue")
    assert _failing(bad, "lam = 3: squared overlap of mu_c with the top eigenvector where "
                    "the theory's is >= 0.08")
    # and no run with an emerging outlier at all is refused
    none = {name: theories["no_emergence"] for name in runs}
    with pytest.raises(ValueError, match="no run of Fig 5 has an outlier that emerges"):
        emergence_comparison(none, obs, mp, figure="geometry_fig5", runs=runs, a=0, tol=TOL)


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


def test_time_scale_fit_recovers_a_stretch_whatever_the_amplitude():
    # a bump sampled at stretched times t / 1.15 and scaled by 0.8, with noise of known size
    tt = np.linspace(0.0, 20.0, 401)
    bump = tt * np.exp(-tt / 4.0)
    t = np.array([1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0])
    gen = np.random.default_rng(5)
    se = np.full(t.size, 0.01)
    y = 0.8 * np.interp(t / 1.15, tt, bump) + se * gen.standard_normal(t.size)
    assert time_scale_fit(t, y, se, tt, bump) == pytest.approx(1.15, abs=0.02)
    assert time_scale_fit(t, y, se, tt * 1.15, bump) == pytest.approx(1.0, abs=0.02)


def test_several_test_spectra_per_sgd_run():
    # R test samples per iterate: R draws of the same iterate's spectrum, run by run
    run = {"k": 3, "label_map": [0, 1, 2], "p": [1, 1, 1], "lam": 10.0, "phi": 2.0,
           "init": "zero", "d": 200, "seeds": 2}
    sim = run_sgd(run, COMMON, np.array([0, 2000]), stream="tests-per-run")
    out = spectra_along_run(sim["iterates"], run_mixture(run, 50), 400, 0, ["hessian"], 3,
                            rng(0, "tests-per-run"), tests_per_run=3)
    assert out["values"].shape == (2, 6, 1, 3) and out["gram"].shape == (2, 2, 6, 6)
    # fresh test data each time: no two spectra of one iterate coincide, but they scatter
    # around one another by O(n^-1/2), less than training moves them (t = 0 -> 10)
    top = out["values"][:, :, 0, 0]
    assert np.unique(top).size == top.size
    assert np.ptp(top[1, :3]) < 0.5 * abs(top[1, :3].mean() - top[0, :3].mean())
