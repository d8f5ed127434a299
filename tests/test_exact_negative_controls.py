"""Negative controls of the exact-dynamics figures (docs/exact_dynamics.md §6).

For every figure family, the series function that writes the figure's agreement rows is fed
the quick profile's SGD runs with the right ODE (every row passes) and with two wrong ODEs: the
learning rate off by 10 %, and the SGD-noise term dropped. Every main (SGD-vs-ODE) row must fail
under at least one of them. The stages are built in memory with the same package functions the
workflow's stages call.
"""

import copy

import numpy as np
import pytest
import yaml

from hdsgd.data.anisotropic_mixture import k_way_family_runs, mixture_from_config
from hdsgd.observables import exact_series
from hdsgd.observables.sgd_vs_ode import geometric_times
from hdsgd.seeding import rng
from hdsgd.theory.exact_closed_forms import power_law_critical_beta
from hdsgd.theory.exact_run import phase_sweep, run_theory
from hdsgd.training.streaming_sgd import run_simulation

from .conftest import REPO

WRONG = {"learning rate x 1.1": {"gamma_scale": 1.1}, "noise dropped": {"noise_scale": 0.0}}


def _merge(base, over):
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and k in out else v
    return out


@pytest.fixture(scope="module")
def cfg():
    paper = yaml.safe_load((REPO / "config/config.yaml").read_text())["exact"]
    quick = yaml.safe_load((REPO / "config/quick.yaml").read_text())["exact"]
    return _merge(paper, quick)


def _data(run):
    mix = mixture_from_config(run, rng(run["seed"], "mixture"))
    clean = mix.clean if mix.clean is not None else np.zeros(mix.d, dtype=bool)
    t = np.concatenate([[0.0], geometric_times(run["t_min"], run["t_max"], run["n_times"],
                                               run["d"])])
    return {"means": mix.means, "eigs": mix.eigs, "probs": mix.probs, "labels": mix.labels,
            "clean": clean, "probes": np.where(clean, mix.means[0], 0.0)[None], "t": t}


def _stages(cfg, runs, dt=None):
    """data, theories (right, then each wrong one) and simulation of each run (quick profile)."""
    data, theories, sim = {}, {"right": {}} | {w: {} for w in WRONG}, {}
    kw = {"dt": dt or cfg["ode"]["dt"], "n_nodes": cfg["ode"]["n_nodes"]}
    for name, run in runs.items():
        data[name] = _data(run)
        for which, wrong in [("right", {}), *WRONG.items()]:
            theories[which][name] = {"gammas": run["gammas"],
                                     **run_theory(run, data[name], **kw, **wrong)}
        sim[name] = run_simulation(run, data[name], n_nodes=cfg["ode"]["n_nodes"],
                                   rng=rng(run["seed"], "sgd"))
    return data, theories, sim


def _check(series_fn, theories, main):
    """The right theory passes every row; every main row fails under some wrong theory."""
    rows = {which: {r["claim"]: r for r in series_fn(theory)[1]}
            for which, theory in theories.items()}
    assert all(r["pass"] for r in rows["right"].values()), \
        [r for r in rows["right"].values() if not r["pass"]]
    keys = [c for c in rows["right"] if main(c)]
    assert keys, "no main rows selected"
    for c in keys:
        caught = [w for w in WRONG if not rows[w][c]["pass"]]
        assert caught, (c, {w: rows[w][c]["measured"] for w in rows},
                        rows["right"][c]["tolerance"])


def _beta_c(p):
    return power_law_critical_beta(min(p["alphas"]), p["mean_scaling"])


def test_fig1_binary_family(cfg):
    fig = cfg["fig1"]
    runs = {r: cfg["runs"][r] for r in fig["runs"]}
    data, theories, sim = _stages(cfg, runs)
    _check(lambda th: exact_series.fig1_series(runs, data, th, sim, fig, beta_c=_beta_c),
           theories, lambda c: ": risk, max over" in c)


def test_fig2_least_squares_family(cfg):
    fig = cfg["fig2"]
    runs = {r: cfg["runs"][r] for r in fig["runs"]}
    data, theories, sim = _stages(cfg, runs)
    _check(lambda th: exact_series.fig2_series(runs, data, th, sim, fig), theories,
           lambda c: "SGD mean vs ODE" in c)


def test_fig3_alignment_family(cfg):
    fig = cfg["fig3"]
    runs = {r: cfg["runs"][r] for r in [fig["run"], *fig["profile_runs"]]}
    data, theories, sim = _stages(cfg, runs)
    _check(lambda th: exact_series.fig3_series(runs, data, th, sim, fig), theories,
           lambda c: "SGD mean vs ODE" in c or "SGD vs ODE" in c)


def test_fig4_phase_family(cfg):
    fig = cfg["fig4"]
    runs = {r: cfg["runs"][r] for r in fig["sgd_runs"]}
    _, theories, sim = _stages(cfg, runs)
    phase = phase_sweep(fig, n_nodes=cfg["ode"]["n_nodes"])
    beta_c = power_law_critical_beta(min(fig["alphas"]), fig["mean_scaling"])
    _check(lambda th: exact_series.fig4_series(runs, phase, th, sim, fig, beta_c=beta_c),
           theories, lambda c: ": risk, max over" in c)


def test_fig5_k_way_family(cfg):
    fig = cfg["fig5"]
    runs = k_way_family_runs(fig)
    data, theories, sim = _stages(cfg, runs, dt=fig["dt"])
    _check(lambda th: exact_series.fig5_series(runs, data, th, sim, fig), theories,
           lambda c: c.startswith("fig5_d"))
