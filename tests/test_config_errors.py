"""Bad config stops the run before any job, with one line naming the file and the key."""

import copy
import math
import os

import numpy as np
import pytest
import yaml

from hdsgd.config_validation import (
    ConfigError,
    check_batch,
    check_config_file,
    check_data_file,
    config_source,
    configfiles_from_argv,
    validate_section,
    validate_top_level,
)

from .conftest import REPO, SNAKEMAKE_INFO, copy_workflow, dry_run_error, run_snakemake

SCHEMAS = REPO / "workflow/schemas"
SECTIONS = sorted(p.name.split(".")[0] for p in SCHEMAS.glob("*.schema.yaml"))
BIG = 10**7
# lines Snakemake itself prints before our check runs


def _config():
    return yaml.safe_load((REPO / "config/config.yaml").read_text())


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """One scratch copy of the workflow for every dry run of this module."""
    return copy_workflow(tmp_path_factory.mktemp("config_errors"))


# ---------------------------------------------------------------- schema and finite values

def _numeric_leaves(node, key):
    if isinstance(node, bool):
        return
    if isinstance(node, (int, float)):
        yield key
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _numeric_leaves(v, f"{key}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numeric_leaves(v, f"{key}[{i}]")


def _set(cfg, key, value):
    from hdsgd.config_validation import key_parts

    *head, last = key_parts(key)
    node = cfg
    for p in head:
        node = node[p]
    node[last] = value


def test_paper_and_quick_configs_are_valid():
    cfg = _config()
    for section in SECTIONS:
        validate_section(cfg, section, SCHEMAS / f"{section}.schema.yaml")


@pytest.mark.parametrize("section", SECTIONS)
def test_every_numeric_key_rejects_nan_and_infinities(section):
    """NaN, +inf and -inf in any numeric key of any section are named (one shared check)."""
    cfg = _config()
    leaves = list(_numeric_leaves(cfg[section], section))
    assert leaves
    for i, key in enumerate(leaves):
        bad = copy.deepcopy(cfg)
        _set(bad, key, [math.nan, math.inf, -math.inf][i % 3])
        with pytest.raises(ConfigError, match=r"is not a finite number") as err:
            validate_section(bad, section, SCHEMAS / f"{section}.schema.yaml")
        assert err.value.key == key


def test_misspelled_key_is_named():
    cfg = _config()
    cfg["alignment"]["runs"]["gmm"]["lamda"] = 3.0
    with pytest.raises(ConfigError, match=r"unknown config key 'alignment\.runs\.gmm\.lamda'"):
        validate_section(cfg, "alignment", SCHEMAS / "alignment.schema.yaml")


def test_unknown_section_is_named():
    with pytest.raises(ConfigError, match="unknown config key 'alignmnet'"):
        validate_top_level({"alignmnet": {}}, ["alignment"])


@pytest.mark.parametrize("bad, key", [
    ("alignment:\n  runs:\n    gmm:\n      dd: 5\n", "alignment.runs.gmm.dd"),
    ("alignment:\n  runs:\n    gmm:\n      d: -5\n", "alignment.runs.gmm.d"),
    ("alignment:\n  runs:\n    gmm:\n      d: 100\n      mean_spacing: 50\n",
     "alignment.runs.gmm.mean_spacing"),
    ("alignment:\n  spectra:\n    n_eig: fifteen\n", "alignment.spectra.n_eig"),
    ("alignment:\n  scaling:\n    sizes: [100, 200, 400]\n", "alignment.scaling.sizes"),
    ("alignment:\n  scaling:\n    n_times: 7\n", "alignment.scaling.n_times"),
    ("alignment:\n  runs:\n    gmm:\n      lam: .nan\n", "alignment.runs.gmm.lam"),
    ("xor:\n  beta: .inf\n", "xor.beta"),
    ("gf:\n  fig3:\n    crossover:\n      alpha: -.inf\n", "gf.fig3.crossover.alpha"),
    ("alignmnet:\n  runs: {}\n", "alignmnet"),
])
def test_snakemake_stops_before_any_job(work, bad, key):
    line = dry_run_error(work, bad)
    assert line.startswith("error: bad.yaml: ") and f"'{key}'" in line


def test_error_names_the_file_that_set_the_key(work):
    """A value from config/config.yaml is blamed on it, not on the override."""
    line = dry_run_error(work, "gf:\n  problems:\n    noisy:\n      n_data: 20\n", target="all")
    assert line.startswith("error: config/config.yaml: config key 'gf.critical.batch_sizes")
    assert "n_data = 20" in line


# ---------------------------------------------------------------- batch sizes

def _schema_batch_properties(node, found):
    if isinstance(node, dict):
        for k in node.get("properties", {}):
            if "batch" in k:
                found.add(k)
        for v in node.values():
            _schema_batch_properties(v, found)
    elif isinstance(node, list):
        for v in node:
            _schema_batch_properties(v, found)
    return found


def _config_batch_keys(node, key, out):
    """Every batch key of the config (first item of a list of mappings only)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if "batch" in k:
                out.append(f"{key}.{k}")
            else:
                _config_batch_keys(v, f"{key}.{k}", out)
    elif isinstance(node, list) and node and isinstance(node[0], dict):
        _config_batch_keys(node[0], f"{key}[0]", out)
    return out


def _batch_override(cfg, key):
    """A YAML override making ``key``'s batch size BIG, and the key the error must name."""
    from hdsgd.config_validation import key_parts

    parts = key_parts(key)
    cut = next((i for i, p in enumerate(parts) if isinstance(p, int)), len(parts))
    node = cfg
    for p in parts[:cut]:
        node = node[p]
    value = copy.deepcopy(node)  # the list itself, or the batch value (overrides replace lists)
    inner = value
    for p in parts[cut:-1]:
        inner = inner[p]
    if cut < len(parts):
        inner[parts[-1]] = BIG
        expected = key
    elif isinstance(value, dict):
        value["stop"] = BIG
        expected = f"{key}.stop"
    elif isinstance(value, list):
        value = [BIG]
        expected = f"{key}[0]"
    else:
        value = BIG
        expected = key
    override = value
    for p in reversed(parts[:cut]):
        override = {p: override}
    return yaml.safe_dump(override), expected


def test_every_schema_batch_property_is_in_the_config():
    """The batch test below walks the config; a schema batch property it cannot see fails."""
    in_schemas = set()
    for path in SCHEMAS.glob("*.schema.yaml"):
        _schema_batch_properties(yaml.safe_load(path.read_text()), in_schemas)
    cfg = _config()
    in_config = {k.split(".")[-1] for s in cfg for k in _config_batch_keys(cfg[s], s, [])}
    assert in_schemas and in_schemas <= in_config


BATCH_KEYS = [k for s, v in _config().items() for k in _config_batch_keys(v, s, [])]


@pytest.mark.parametrize("key", BATCH_KEYS)
def test_batch_larger_than_the_data_stops_the_dry_run(work, key):
    text, expected = _batch_override(_config(), key)
    line = dry_run_error(work, text)
    assert f"config key '{expected}': batch size {BIG} exceeds the data size " in line, line
    assert line.startswith("error: bad.yaml: ")


def test_check_batch_names_the_item():
    check_batch("k", [1, 10], 10, "n")
    with pytest.raises(ConfigError, match=r"'k\[1\]': batch size 11 exceeds the data size n = 10"):
        check_batch("k", [1, 11], 10, "n")
    with pytest.raises(ConfigError, match=r"'k.stop'"):
        check_batch("k", {"start": 1, "stop": 11, "num": 3}, 10, "n")


# ---------------------------------------------------------------- data files

def test_data_file_checks_name_the_key(tmp_path):
    npz = tmp_path / "k.npz"
    np.savez(npz, K=np.eye(5), y=np.arange(5.0))
    assert check_data_file("p", npz, npz_arrays=[["y"], ["K", "X"]]) == 5
    with pytest.raises(ConfigError, match=r"'p': data file .*k.npz has no array X \(it has K, y"):
        check_data_file("p", npz, npz_arrays=[["X"], ["y"]])
    with pytest.raises(ConfigError, match=r"'p': data file .*k.npz has 5 rows, fewer than the 6 "
                                          r"samples requested by n"):
        check_data_file("p", npz, npz_arrays=[["y"]], min_rows=6, rows_key="n")
    csv = tmp_path / "hour.csv"
    csv.write_text("instant,cnt\n1,2\n")
    with pytest.raises(ConfigError, match=r"lacks the columns \['casual'\]"):
        check_data_file("p", csv, csv_columns=["instant", "casual"])
    with pytest.raises(ConfigError, match=r"'p': data file .*nope.csv does not exist"):
        check_data_file("p", tmp_path / "nope.csv", csv_columns=["a"])
    csv.chmod(0)
    if not os.access(csv, os.R_OK):  # (root reads anything)
        with pytest.raises(ConfigError, match="not a readable file|unreadable"):
            check_data_file("p", csv, csv_columns=["a"])


@pytest.mark.parametrize("bad, key, message", [
    ("gf_real:\n  problems:\n    mnist:\n      path: missing/mnist.npz\n",
     "gf_real.problems.mnist.path", "data file missing/mnist.npz does not exist"),
    ("gf_real:\n  problems:\n    cifar_standin:\n      dataset: cifar10_ntk\n"
     "      path: features.npz\n", "gf_real.problems.cifar_standin.path", "has no array K or X"),
    ("gf_real:\n  problems:\n    bike_standin:\n      dataset: bike_sharing\n"
     "      path: hour.csv\n", "gf_real.problems.bike_standin.path", "lacks the columns"),
    ("gf_real:\n  problems:\n    mnist:\n      n_samples: 6000\n",
     "gf_real.problems.mnist.n_samples", "the shipped mnist data has 5000 rows"),
])
def test_bad_data_path_stops_the_dry_run(work, bad, key, message):
    np.savez(work / "features.npz", F=np.ones((3, 2)), y=np.arange(3.0))
    (work / "hour.csv").write_text("instant,cnt\n1,2\n")
    line = dry_run_error(work, bad)
    assert f"config key '{key}'" in line and message in line, line


# ---------------------------------------------------------------- the config files themselves

@pytest.mark.parametrize("text, message", [
    ("alignment:\n  runs: [\n    gmm:\n", r"bad.yaml, line 4, column 1: YAML syntax error"),
    ("alignment:\n\truns: {}\n", r"bad.yaml, line 2, column 1: YAML syntax error .*'\\t'"),
    ("", r"bad.yaml: config file is empty"),
    ("# only a comment\n", r"bad.yaml: config file is empty"),
    ("- alignment\n", r"bad.yaml: config file must hold a mapping of sections, not a list"),
])
def test_broken_config_file_is_one_line_with_file_and_line(work, text, message):
    import re

    line = dry_run_error(work, text)
    assert re.search(message, line), line


def test_missing_config_file_is_one_line(work):
    line = dry_run_error(work, None, name="nope.yaml")
    assert line == "error: nope.yaml: config file not found"


def test_configfiles_from_argv():
    argv = ["snakemake", "all", "--configfile", "a.yaml", "b.yaml", "-n", "--configfile=c.yaml"]
    assert configfiles_from_argv(argv) == ["a.yaml", "b.yaml", "c.yaml"]


def test_config_source_follows_precedence(tmp_path):
    base, over = tmp_path / "base.yaml", tmp_path / "over.yaml"
    base.write_text("gf:\n  fig2:\n    panels: [{batch_size: 1}]\n  tau2: 1\n")
    over.write_text("gf:\n  fig2:\n    panels: [{batch_size: 2}]\n")
    assert config_source("gf.fig2.panels[0].batch_size", [base, over]) == str(over)
    assert config_source("gf.tau2", [base, over]) == str(base)
    assert config_source("gf.nope", [base, over]) is None
    with pytest.raises(ConfigError, match="empty"):
        (tmp_path / "e.yaml").write_text("")
        check_config_file(tmp_path / "e.yaml")


# ---------------------------------------------------------------- sizes, YAML 1.1, blame

def test_a_size_that_cannot_fit_stops_the_dry_run_naming_the_key_and_the_estimate(work):
    line = dry_run_error(work, "variant: huge\nalignment:\n  runs:\n    gmm:\n      d: 100000000\n",
                         target="figures/huge/fig2_1.pdf")
    assert line.startswith("error: bad.yaml: config key 'alignment.runs.gmm.d': 100000000 needs "
                           "about "), line
    assert "for alignment_gmm_data (test sample 5000000000 x 100000000" in line
    assert "more than this machine's " in line


def test_a_size_over_its_rules_mem_mb_says_how_to_raise_it(work):
    line = dry_run_error(work, "variant: wide\nalignment:\n  runs:\n    gmm:\n      d: 1500\n",
                         target="figures/wide/fig2_1.pdf")
    assert "config key 'alignment.runs.gmm.d': 1500 needs about 1.95 GB" in line, line
    assert "more than its declared mem_mb = 1000 (if the machine has it: --set-resources " \
           "alignment_gmm_data:mem_mb=" in line


def test_yaml_1_1_floats_are_read_as_numbers():
    """PyYAML reads `1e1` (no dot) as text; a key the schema wants as a number gets the number
    (an int where it wants an integer)."""
    cfg = _config()
    cfg["alignment"]["runs"]["gmm"].update(yaml.safe_load("lam: 1e1\nbeta: 1e-2\nd: 1e3\n"))
    assert cfg["alignment"]["runs"]["gmm"]["lam"] == "1e1"
    validate_section(cfg, "alignment", SCHEMAS / "alignment.schema.yaml")
    run = cfg["alignment"]["runs"]["gmm"]
    assert (run["lam"], run["beta"], run["d"]) == (10.0, 0.01, 1000)
    assert isinstance(run["d"], int) and isinstance(run["lam"], float)
    cfg["alignment"]["runs"]["gmm"]["k"] = "1.5e0"  # not an integer: the schema error stays
    with pytest.raises(ConfigError, match=r"'alignment.runs.gmm.k': '1.5e0' is not of type"):
        validate_section(cfg, "alignment", SCHEMAS / "alignment.schema.yaml")


def test_a_yaml_1_1_float_in_an_override_builds_like_its_1_2_spelling(work):
    (work / "e.yaml").write_text("variant: lam1e1\nalignment:\n  runs:\n    gmm:\n      lam: 1e1\n")
    proc = run_snakemake(work, "-n", "figures/lam1e1/fig2_1.pdf", "--configfile", "e.yaml")
    assert "alignment_gmm_data" in proc.stdout + proc.stderr


def test_a_dataset_without_its_file_blames_the_override_that_chose_it(work):
    line = dry_run_error(work, "gf_real:\n  problems:\n    cifar_standin:\n"
                               "      dataset: cifar10_ntk\n")
    assert line == ("error: bad.yaml: config key 'gf_real.problems.cifar_standin.dataset': "
                    "cifar10_ntk needs its data file: set gf_real.problems.cifar_standin.path")


def test_the_readme_example_error_is_what_the_workflow_prints(work):
    """README, "A bad input stops before any job": its override file, command and line."""
    import re
    import shlex

    readme = (REPO / "README.md").read_text()
    part = readme[readme.index("A bad input stops before any job"):]
    name, text = re.search(r"`([\w.]+\.yaml)`:?\s*```yaml\n(.*?)```", part, re.S).groups()
    command = re.search(r"```\n(snakemake [^\n]*)\n```", part).group(1)
    printed = re.search(r"prints\s*```\n(error: [^\n]*)\n```", part).group(1)
    (work / name).write_text(text)
    proc = run_snakemake(work, *shlex.split(command)[1:], check=False)
    out = [ln for ln in (proc.stdout + proc.stderr).splitlines()
           if ln.strip() and not ln.startswith(SNAKEMAKE_INFO)]
    assert proc.returncode == 1 and out == [printed], out


# ---------------------------------------------------------------- unwritable results

def test_an_unwritable_results_folder_is_named(tmp_path, monkeypatch):
    """(Simulated: root writes anywhere; os.access says what a user would be refused.)"""
    from hdsgd.integrity import unwritable

    (tmp_path / "results/quick/alignment/gmm").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert unwritable(["results/quick", "figures/quick", "logs/quick"], ["alignment"]) is None
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: real(p, mode) and not (
        mode & os.W_OK and str(p).endswith("gmm")))
    assert unwritable(["results/quick"], ["alignment"]) == "results/quick/alignment/gmm"
    monkeypatch.setattr(os, "access", lambda p, mode: real(p, mode) and not (
        mode & os.W_OK and str(p) == "."))
    assert unwritable(["figures/quick"], ["alignment"]) == "."


def test_a_read_only_results_folder_stops_the_build_with_one_line(work):
    """A read-only file system (refused even to root) under results/quick, outputs missing:
    one line before any job. Needs a private mount namespace (unshare); skipped without."""
    import shutil
    import subprocess
    import sys

    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("no private mount namespace here")
    ro = work / "results/quick"
    (ro / "alignment").mkdir(parents=True, exist_ok=True)
    script = (f"mount --bind {ro} {ro} && mount -o remount,ro,bind {ro} {ro} && "
              f"{sys.executable} -m snakemake figures/quick/fig2_1.pdf --cores 1 "
              "--configfile config/quick.yaml")
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=work, capture_output=True,
                          text=True)
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines()
             if ln.strip() and not ln.startswith(SNAKEMAKE_INFO)]
    assert proc.returncode == 1 and len(lines) == 1, proc.stdout + proc.stderr
    assert lines[0] == ("error: cannot write in results/quick (permission denied or a read-only "
                        "file system): make it writable, or build in a writable copy")
