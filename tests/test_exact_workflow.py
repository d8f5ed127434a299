"""Exact-dynamics workflow: config errors name the key; Fig 2 builds with agreeing numbers."""

import numpy as np
import pytest
import yaml

from hdsgd.config_validation import ConfigError, validate_section
from hdsgd.stages import load_stage, read_table
from hdsgd.theory.exact_closed_forms import least_squares_plateau

from .conftest import REPO, copy_workflow, run_snakemake

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


def test_cross_key_errors_stop_the_dry_run(tmp_path):
    work = copy_workflow(tmp_path / "work")
    (work / "bad.yaml").write_text("exact:\n  fig1:\n    runs: [fig1a, fig1b, fig1c, nosuch]\n")
    proc = run_snakemake(work, "figures/exact_fig1.pdf", "-n", "--configfile",
                         "config/quick.yaml", "bad.yaml", check=False)
    assert proc.returncode != 0
    assert "exact.fig1" in proc.stdout + proc.stderr and "nosuch" in proc.stdout + proc.stderr


@pytest.mark.workflow
def test_fig2_builds_and_matches_closed_forms(build_targets):
    work = build_targets(["figures/exact_fig2.pdf"])
    assert (work / "figures/exact_fig2.pdf").read_bytes().startswith(b"%PDF")
    agreement = read_table(work / "results/exact/fig2/agreement.csv")
    assert agreement["pass"].all(), agreement
    # the ODE plateau equals the closed form, and SGD sits on it
    mix = load_stage(work / "results/exact/fig2a/mixture.npz")
    ode = load_stage(work / "results/exact/fig2a/ode.npz")
    sgd = load_stage(work / "results/exact/fig2a/sgd.npz")
    plateau = [least_squares_plateau(mix["means"][0], mix["eigs"][0], g) for g in ode["gammas"]]
    np.testing.assert_allclose(ode["risk"][:, -1], plateau, rtol=1e-4)
    np.testing.assert_allclose(sgd["risk"][:, :, -1].mean(axis=1), plateau, rtol=0.1)
    assert sgd.provenance["params"]["run"]["d"] == 200 and sgd.provenance["seed"] == 5
    series = read_table(work / "results/exact/fig2/series.csv")
    assert set(series["source"]) == {"ode", "sgd_mean", "sgd_lo", "sgd_hi", "closed_form"}
    # the dispatcher ran this figure's own drawing script (not another loop iteration's)
    assert "drawing fig2 with" in (work / "logs/exact/figure_fig2.log").read_text()
