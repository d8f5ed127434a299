"""Negative controls of the exact-dynamics figures (docs/exact_dynamics.md §6, §7).

For every figure family, the series function that writes the figure's agreement rows is fed
the quick profile's SGD runs with the right ODE (every row passes) and with two wrong ODEs: the
learning rate off by 10 %, and the SGD-noise term dropped. Every main (SGD-vs-ODE) row must fail
under at least one of them. For the convergence-in-d figure, each setting's slope row fails
under the wrong ODE its claim depends on, whose gap levels off (slope near 0). The stages are
built in memory with the same package functions the workflow's stages call.
"""

import copy

import pytest
import yaml

from hdsgd.data.anisotropic_mixture import k_way_family_runs, run_data
from hdsgd.observables import exact_series
from hdsgd.seeding import rng
from hdsgd.theory.exact_closed_forms import power_law_critical_beta
from hdsgd.theory.exact_run import phase_sweep, run_theory, scaling_theory
from hdsgd.training.streaming_sgd import run_simulation, scaling_simulation

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


def _stages(cfg, runs, dt=None):
    """data, theories (right, then each wrong one) and simulation of each run (quick profile)."""
    data, theories, sim = {}, {"right": {}} | {w: {} for w in WRONG}, {}
    kw = {"dt": dt or cfg["ode"]["dt"], "n_nodes": cfg["ode"]["n_nodes"],
          "rel_step": cfg["ode"]["rel_step"]}
    for name, run in runs.items():
        data[name] = run_data(run, rng(run["seed"], "mixture"))
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
    phase = phase_sweep(fig, n_nodes=cfg["ode"]["n_nodes"], rel_step=cfg["ode"]["rel_step"])
    beta_c = power_law_critical_beta(min(fig["alphas"]), fig["mean_scaling"])
    _check(lambda th: exact_series.fig4_series(runs, phase, th, sim, fig, beta_c=beta_c),
           theories, lambda c: ": risk, max over" in c)


def test_fig5_k_way_family(cfg):
    fig = cfg["fig5"]
    runs = k_way_family_runs(fig)
    data, theories, sim = _stages(cfg, runs, dt=fig["dt"])
    _check(lambda th: exact_series.fig5_series(runs, data, th, sim, fig), theories,
           lambda c: c.startswith("fig5_d"))


def test_scaling_slopes_fail_under_the_wrong_theory(cfg):
    """Quick sizes (d = 125 ... 1000): the right ODE passes both slope rows; dropping the
    SGD-noise term breaks the isotropic setting (the noise sets its risk), a 5 % learning-rate
    error the power-law one (its risk moves with gamma t): their gaps level off at the bias,
    slope near 0, while the other setting, insensitive to that error, keeps its rate."""
    sc = cfg["scaling"]
    settings = {s: cfg["runs"][s] for s in sc["settings"]}
    kw = {"dt": cfg["ode"]["dt"], "n_nodes": cfg["ode"]["n_nodes"]}
    sim = scaling_simulation(sc, settings, n_nodes=cfg["ode"]["n_nodes"])
    iso, power = sc["settings"]

    def rows(**wrong):
        _, out = exact_series.scaling_series(sc, settings, scaling_theory(sc, settings, **kw,
                                                                          **wrong), sim)
        return dict(zip(sc["settings"], out, strict=True))

    def slope(row):
        return float(row["claim"].split("fitted slope ")[1].split()[0])

    right = rows()
    assert all(r["pass"] for r in right.values()), right
    no_noise = rows(noise_scale=0.0)
    assert not no_noise[iso]["pass"] and abs(slope(no_noise[iso])) < 0.15, no_noise[iso]
    assert no_noise[power]["pass"], no_noise[power]
    off = rows(gamma_scale=sc["control_gamma_scale"])
    assert not off[power]["pass"] and abs(slope(off[power])) < 0.15, off[power]
