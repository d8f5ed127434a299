"""Shared fixtures: build workflow targets in a scratch copy of the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COPIED = ["Snakefile", "workflow", "config", "profiles", "src", "environment.yml"]
#: the lines Snakemake prints before a config check stops it (not ours)
SNAKEMAKE_INFO = ("Using workflow specific profile", "Config file config/config.yaml is extended")


def copy_workflow(dest: Path) -> Path:
    """Copy what Snakemake needs (rules, scripts, config, package sources) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def run_snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run Snakemake in ``workdir``; on failure show its output (and the failed job's log)."""
    cmd = [sys.executable, "-m", "snakemake", *args]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stdout[-4000:]}\n"
                             f"{proc.stderr[-6000:]}")
    return proc


def dry_run_error(work, text: str | None, *, name: str = "bad.yaml", target="all",
                  quick=False) -> str:
    """Dry-run with the override ``text``; assert it stops before any job with exactly one
    line of our own and no traceback; return that line."""
    if text is not None:
        (work / name).write_text(text)
    configs = (["config/quick.yaml"] if quick else []) + [name]
    proc = run_snakemake(work, "-n", target, "--configfile", *configs, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    lines = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith(SNAKEMAKE_INFO)]
    assert len(lines) == 1, out
    assert "Traceback" not in out and 'File "' not in out and "common.smk" not in out, out
    assert "Job stats" not in out and "rule " not in out, out
    assert lines[0].startswith("error: "), out
    return lines[0]


@pytest.fixture
def build_targets(tmp_path):
    """``build_targets(targets, extra_config=None)`` builds with config/quick.yaml in tmp_path.

    Returns the scratch working directory; the quick variant's files are under
    ``results/quick/`` and ``figures/quick/``. ``extra_config`` is a YAML string deep-merged
    last (in the quick variant, unless it names another).
    """

    def _build(targets, extra_config: str | None = None, cores: int = 2) -> Path:
        work = tmp_path / "work"
        if not work.exists():
            copy_workflow(work)
        configs = ["config/quick.yaml"]
        if extra_config:
            # an override names its variant: these scratch builds extend the quick one
            variant = "" if "variant:" in extra_config else "variant: quick\n"
            (work / "extra.yaml").write_text(variant + extra_config)
            configs.append("extra.yaml")
        run_snakemake(work, *targets, "--cores", str(cores), "--quiet", "--configfile", *configs)
        return work

    return _build


@pytest.fixture(scope="session")
def quick_all(tmp_path_factory) -> Path:
    """One quick-profile build of ``all`` (every figure + scorecard), shared by the session.

    Tests that only read stage files, tables or figures use this instead of building their
    targets again.
    """
    work = copy_workflow(tmp_path_factory.mktemp("quick_all"))
    run_snakemake(work, "all", "--cores", "2", "--quiet", "--configfile", "config/quick.yaml")
    return work
