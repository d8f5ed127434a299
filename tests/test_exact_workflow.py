"""Exact-dynamics workflow: config errors name the key; Fig 2 builds with agreeing numbers."""

import numpy as np
import pytest
import yaml

from hdsgd.config_validation import ConfigError, validate_section
from hdsgd.stages import load_stage, read_table
from hdsgd.theory.exact_closed_forms import least_squares_plateau

from .conftest import REPO, copy_workflow, dry_run_error, run_snakemake

SCHEMA = REPO / "workflow/schemas/exact.schema.yaml"


def _config():
    return yaml.safe_load((REPO / "config/config.yaml").read_text())


def test_paper_and_quick_configs_are_valid():
    validate_section(_config(), "exact", SCHEMA)
    quick = yaml.safe_load((REPO / "config/quick.yaml").read_text())
    assert set(quick["exact"]["runs"]) <= set(_config()["exact"]["runs"])


@pytest.mark.parametrize("edit, pattern", [
    (lambda c: c["runs"]["fig1a"].update(gamas=[1.0]),
     r"unknown config key 'exact\.runs\.fig1a\.gamas'"),
    (lambda c: c["runs"]["fig1b"].update(rho0=1.5), r"'exact\.runs\.fig1b\.rho0'"),
    (lambda c: c["runs"]["fig1c"].update(loss="hinge"), r"'exact\.runs\.fig1c\.loss'"),
    (lambda c: c["ode"].update(dt=0), r"'exact\.ode\.dt'"),
])
def test_bad_values_are_named(edit, pattern):
    cfg = _config()
    edit(cfg["exact"])
    with pytest.raises(ConfigError, match=pattern):
        validate_section(cfg, "exact", SCHEMA)


def test_unknown_run_stops_the_dry_run(tmp_path):
    work = copy_workflow(tmp_path / "work")
    line = dry_run_error(work, "exact:\n  fig1:\n    runs: [fig1a, fig1b, fig1c, nosuch]\n",
                         target="figures/quick/exact_fig1.pdf", quick=True)
    assert "exact.fig1" in line and "nosuch" in line


@pytest.mark.parametrize("edit, pattern", [
    (lambda c: c["fig5"]["classes"].update(coef=200.0), r"exact\.fig5\.classes"),
    (lambda c: c["fig5"].update(t_agree=50.0), r"exact\.fig5\.t_agree"),
    (lambda c: c["fig4"].update(sgd_runs=["fig1a", "fig4_beta15"]), r"exact\.fig4\.sgd_runs"),
    (lambda c: c["streams"].update(power_law_d1000=["fig1c", "fig1a"]),
     r"exact\.streams\.power_law_d1000.*'fig1a' must share"),
    (lambda c: c["scaling"].update(seeds=[4, 4]), r"exact\.scaling\.seeds"),
    (lambda c: c["runs"]["fig1d"].update(ode_t_max=50.0), r"exact\.runs\.fig1d\.ode_t_max"),
])
def test_cross_key_errors_name_the_key(tmp_path, edit, pattern):
    import re

    work = copy_workflow(tmp_path / "work")
    quick = yaml.safe_load((work / "config/quick.yaml").read_text())
    cfg = _config()["exact"]
    for key, value in quick["exact"].items():      # the quick profile, deep-merged by hand
        if isinstance(value, dict):
            for k, v in value.items():
                cfg[key][k] = {**cfg[key][k], **v} if isinstance(v, dict) and k in cfg[key] \
                    else v
    edit(cfg)
    (work / "bad.yaml").write_text(yaml.safe_dump({"exact": cfg}))
    proc = run_snakemake(work, "figures/quick/exact_fig5.pdf", "-n", "--configfile", "bad.yaml",
                         check=False)
    assert proc.returncode != 0
    assert re.search(pattern, proc.stdout + proc.stderr), proc.stderr[-2000:]


@pytest.mark.workflow
def test_fig2_and_fig5_build_and_agree(build_targets):
    work = build_targets(["figures/quick/exact_fig2.pdf", "figures/quick/exact_fig5.pdf"])
    for fig in ("fig2", "fig5"):
        assert (work / f"figures/quick/exact_{fig}.pdf").read_bytes().startswith(b"%PDF")
        agreement = read_table(work / f"results/quick/exact/{fig}/agreement.csv")
        assert agreement["pass"].all(), agreement
    # the ODE plateau equals the closed form, and SGD sits on it
    data = load_stage(work / "results/quick/exact/runs/fig2a/data.npz")
    theory = load_stage(work / "results/quick/exact/runs/fig2a/theory.npz")
    sim = load_stage(work / "results/quick/exact/runs/fig2a/simulation.npz")
    plateau = [least_squares_plateau(data["means"][0], data["eigs"][0], g)
               for g in theory["gammas"]]
    np.testing.assert_allclose(theory["risk"][:, -1], plateau, rtol=1e-4)
    np.testing.assert_allclose(sim["risk"][:, :, -1].mean(axis=1), plateau, rtol=0.1)
    assert sim.provenance["params"]["run"]["d"] == 200 and sim.provenance["seed"] == 5
    series = read_table(work / "results/quick/exact/fig2/series.csv")
    assert set(series["source"]) == {"ode", "sgd_mean", "sgd_lo", "sgd_hi", "closed_form"}
    # the K-way runs: K outputs, K = round(coef d^power) classes
    sim5 = load_stage(work / "results/quick/exact/runs/fig5_d400/simulation.npz")
    data5 = load_stage(work / "results/quick/exact/runs/fig5_d400/data.npz")
    assert sim5["m"].shape[-2:] == (10, 10) and data5.provenance["params"]["run"]["n_classes"] == 10
