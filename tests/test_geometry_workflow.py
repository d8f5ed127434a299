"""Local-geometry workflow: a quick build of Fig 3 and clear config errors."""

import pandas as pd
import pytest
import yaml

from hdsgd.config_validation import ConfigError, validate_section

from .conftest import REPO, copy_workflow, dry_run_error

SCHEMA = REPO / "workflow/schemas/geometry.schema.yaml"


@pytest.mark.workflow
def test_fig3_builds_and_theory_agrees_with_dense_spectra(build_targets):
    # 6 sweep values (quick has 9): enough to bracket the transition, half the cost
    work = build_targets(["figures/quick/geometry_fig3.pdf"], extra_config=(
        "geometry: {static: {lam_sweep: {values: {start: 0.5, stop: 8.0, num: 6}}}}\n"))
    assert (work / "figures/quick/geometry_fig3.pdf").stat().st_size > 1000
    agree = pd.read_csv(work / "results/quick/geometry/fig3/agreement.csv")
    assert agree["pass"].all(), agree.to_string()
    series = pd.read_csv(work / "results/quick/geometry/fig3/series.csv")
    assert set(series["source"]) == {"theory", "empirical"}
    # the Hessian transition sits at the closed-form BBP value k / sqrt(phi) = 3 / sqrt(2)
    thr = series[(series["matrix"] == "hessian") & (series["quantity"] == "threshold")]["value"]
    assert thr.iloc[0] == pytest.approx(3 / 2**0.5, rel=1e-3)


def _config():
    return yaml.safe_load((REPO / "config/config.yaml").read_text())


def test_paper_and_quick_geometry_config_are_valid():
    validate_section(_config(), "geometry", SCHEMA)
    quick = yaml.safe_load((REPO / "config/quick.yaml").read_text())["geometry"]
    assert set(quick) <= set(_config()["geometry"])


@pytest.mark.parametrize("path, value, key", [
    (("quadrature", "n_gh"), 1, "geometry.quadrature.n_gh"),
    (("agreement", "bulk_quantile"), 1.5, "geometry.agreement.bulk_quantile"),
    (("static", "lam_sweep", "param"), "beta", "geometry.static.lam_sweep.param"),
    (("runs", "main", "d_model"), 3, "geometry.runs.main.d_model"),
    (("runs", "xor", "init"), "ones", "geometry.runs.xor.init"),
])
def test_bad_schema_value_names_the_key(path, value, key):
    cfg = _config()
    node = cfg["geometry"]
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        validate_section(cfg, "geometry", SCHEMA)


def test_block_beyond_classes_stops_the_dry_run(tmp_path):
    work = copy_workflow(tmp_path / "work")
    line = dry_run_error(work, "geometry: {block: 5}\n", target="figures/quick/geometry_fig1.pdf",
                         quick=True)
    assert "geometry.block" in line
