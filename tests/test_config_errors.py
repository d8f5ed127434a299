"""Bad config stops the run before any job, with a one-line message naming the key."""

import pytest

from hdsgd.config_validation import ConfigError, validate_section, validate_top_level

from .conftest import REPO, copy_workflow, run_snakemake

SCHEMA = REPO / "workflow/schemas/alignment.schema.yaml"


def _config():
    import yaml

    return yaml.safe_load((REPO / "config/config.yaml").read_text())


def test_paper_config_is_valid():
    validate_section(_config(), "alignment", SCHEMA)


def test_misspelled_key_is_named():
    cfg = _config()
    cfg["alignment"]["runs"]["gmm"]["lamda"] = 3.0
    with pytest.raises(ConfigError, match=r"unknown config key 'alignment\.runs\.gmm\.lamda'"):
        validate_section(cfg, "alignment", SCHEMA)


def test_negative_dimension_is_named():
    cfg = _config()
    cfg["alignment"]["runs"]["gmm"]["d"] = -5
    with pytest.raises(ConfigError, match=r"'alignment\.runs\.gmm\.d': -5 is less than"):
        validate_section(cfg, "alignment", SCHEMA)


def test_wrong_type_is_named():
    cfg = _config()
    cfg["alignment"]["spectra"]["n_eig"] = "fifteen"
    with pytest.raises(ConfigError, match=r"'alignment\.spectra\.n_eig'"):
        validate_section(cfg, "alignment", SCHEMA)


def test_unknown_section_is_named():
    with pytest.raises(ConfigError, match="unknown config key 'alignmnet'"):
        validate_top_level({"alignmnet": {}}, ["alignment"])


@pytest.mark.parametrize("bad, key", [
    ("alignment:\n  runs:\n    gmm:\n      dd: 5\n", "alignment.runs.gmm.dd"),
    ("alignment:\n  runs:\n    gmm:\n      d: -5\n", "alignment.runs.gmm.d"),
    ("alignment:\n  runs:\n    gmm:\n      d: 100\n      mean_spacing: 50\n",
     "alignment.runs.gmm.mean_spacing"),
    ("alignment:\n  spectra:\n    n_eig: fifteen\n", "alignment.spectra.n_eig"),
    ("gf:\n  fig2:\n    batch_size: 100000\n", "gf.fig2.batch_size"),
    ("alignmnet:\n  runs: {}\n", "alignmnet"),
])
def test_snakemake_stops_before_any_job(tmp_path, bad, key):
    work = copy_workflow(tmp_path)
    (work / "bad.yaml").write_text(bad)
    proc = run_snakemake(work, "figures/fig2_1.pdf", "-n", "--configfile", "bad.yaml",
                         check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert f"'{key}'" in out
    assert "Job stats" not in out
