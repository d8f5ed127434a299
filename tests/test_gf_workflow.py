"""GF synthetic workflow: config validation names the key; a quick Fig 12 build agrees with
the SE theory and writes its series and agreement tables."""

import pandas as pd
import pytest
import yaml

from hdsgd.config_validation import ConfigError, validate_section

from .conftest import REPO, copy_workflow, run_snakemake

SCHEMA = REPO / "workflow/schemas/gf.schema.yaml"


def _config():
    return yaml.safe_load((REPO / "config/config.yaml").read_text())


def test_paper_and_quick_config_are_valid():
    cfg = _config()
    validate_section(cfg, "gf", SCHEMA)
    quick = yaml.safe_load((REPO / "config/quick.yaml").read_text())["gf"]
    for key, value in quick.items():
        if isinstance(value, dict):
            cfg["gf"][key].update(value)
        else:
            cfg["gf"][key] = value
    validate_section(cfg, "gf", SCHEMA)


def test_bad_gf_keys_are_named():
    cfg = _config()
    cfg["gf"]["fig2"]["n_alhpa"] = 10
    with pytest.raises(ConfigError, match=r"gf\.fig2\.n_alhpa"):
        validate_section(cfg, "gf", SCHEMA)
    cfg = _config()
    cfg["gf"]["fig12"]["betas"] = [0.5, 1.2]
    with pytest.raises(ConfigError, match=r"gf\.fig12\.betas"):
        validate_section(cfg, "gf", SCHEMA)


def test_fit_window_beyond_horizon_stops_the_dry_run(tmp_path):
    work = copy_workflow(tmp_path / "work")
    (work / "extra.yaml").write_text("gf:\n  fig3:\n    fit_steps: [100, 99999]\n")
    proc = run_snakemake(work, "-n", "figures/gf_fig3.pdf", "--configfile", "config/quick.yaml",
                         "extra.yaml", check=False)
    assert proc.returncode != 0 and "gf.fig3.fit_steps" in proc.stdout + proc.stderr


@pytest.mark.workflow
def test_quick_fig12_build_agrees_with_theory(build_targets):
    extra = "gf:\n  fig12:\n    batch_sizes: [1, 100]\n    betas: [0.0, 0.5]\n"
    work = build_targets(["figures/gf_fig12_synthetic.pdf"], extra_config=extra)
    assert (work / "figures/gf_fig12_synthetic.pdf").stat().st_size > 0
    series = pd.read_csv(work / "results/gf/gf_fig12_synthetic/series.csv")
    assert set(series["batch_size"]) == {1, 100} and series["alpha_sgd"].notna().all()
    agree = pd.read_csv(work / "results/gf/gf_fig12_synthetic/agreement.csv")
    assert len(agree) == 2 and agree["pass"].all()
