"""GF workflow: config validation names the key; batch sizes are checked against the data;
a quick critical-alpha build writes series and agreement tables that pass."""

import pandas as pd
import pytest
import yaml

from hdsgd.config_validation import ConfigError, validate_section

from .conftest import REPO, copy_workflow, dry_run_error

SCHEMA = REPO / "workflow/schemas/gf.schema.yaml"


def _config():
    return yaml.safe_load((REPO / "config/config.yaml").read_text())


def _merge(base, over):
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def test_paper_and_quick_config_are_valid():
    cfg = _config()
    validate_section(cfg, "gf", SCHEMA)
    _merge(cfg, yaml.safe_load((REPO / "config/quick.yaml").read_text()))
    validate_section(cfg, "gf", SCHEMA)


def test_bad_gf_keys_are_named():
    cfg = _config()
    cfg["gf"]["fig2"]["n_alhpa"] = 10
    with pytest.raises(ConfigError, match=r"gf\.fig2\.n_alhpa"):
        validate_section(cfg, "gf", SCHEMA)
    cfg = _config()
    cfg["gf"]["fig3"]["divergence"]["nu"] = 1.5
    with pytest.raises(ConfigError, match=r"gf\.fig3\.divergence\.nu"):
        validate_section(cfg, "gf", SCHEMA)


@pytest.mark.parametrize("extra, key", [
    ("gf:\n  critical:\n    batch_sizes: [1, 5000]\n", "gf.critical.batch_sizes"),
    ("gf:\n  fig5:\n    batch_sizes: [1, 99999]\n    alphas: [0.1, 0.1]\n",
     "gf.fig5.batch_sizes"),
    ("gf:\n  fig2:\n    panels: {mnist: nope, synthetic: noisy}\n", "gf.fig2.panels.mnist"),
])
def test_bad_references_and_batch_sizes_stop_the_dry_run(tmp_path, extra, key):
    work = copy_workflow(tmp_path / "work")
    line = dry_run_error(work, extra, target="figures/quick/gf_fig2.pdf", quick=True)
    assert key in line


@pytest.mark.workflow
def test_quick_critical_alpha_build_agrees_with_theory(build_targets):
    extra = ("gf:\n  critical:\n    batch_sizes: [10, 300]\n"
             "    betas: {start: -0.5, stop: 0.5, num: 3}\n")
    work = build_targets(["figures/quick/gf_fig14.pdf"], extra_config=extra)
    assert (work / "figures/quick/gf_fig14.pdf").stat().st_size > 0
    series = pd.read_csv(work / "results/quick/gf/gf_fig14/series.csv")
    edges = series[series["series"] == "simulated edge"]
    assert set(edges["batch_size"]) == {10, 300} and edges["alpha"].notna().all()
    agree = pd.read_csv(work / "results/quick/gf/gf_fig14/agreement.csv")
    assert len(agree) == 5 and agree["measured"].notna().all()
    # b = 300 = N, and the simulated edges between the tau2 = -1 and +1 edges (b = 10's gaps to
    # either edge are stated differences)
    main = agree[agree["difference"].isna()]
    assert len(main) == 2 and main["pass"].all()
