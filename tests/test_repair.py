"""After a fault on disk, one command restores a complete, consistent results/.

Each fault (a truncated stage file, a stage file swapped in from a run of another seed or of
another size, a deleted intermediate, a stale downstream table) stops the next build before
any job with one line naming the file and the command to run; that command (`hdsgd repair`
with the same arguments) rebuilds exactly the inconsistent files and what is made from them,
byte-identical to a clean build, after which `hdsgd lineage` exits 0.

One small quick-variant chain (Fig 14: problem data, simulation per batch size, theory,
series, figure; a few CPU-seconds) is built once and repaired after each fault.
"""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_workflow, run_snakemake

TARGET = "figures/quick/gf_fig14.pdf"
SMALL = ("variant: quick\ngf:\n  critical:\n    batch_sizes: [10, 300]\n"
         "    betas: {start: -0.5, stop: 0.5, num: 3}\n    rounds: 1\n")
CONFIGS = ["--configfile", "config/quick.yaml", "small.yaml"]
BUILD = [TARGET, "--cores", "1", "--quiet", *CONFIGS]
DATA = "results/quick/gf/problem_noisy/data.npz"
THEORY = "results/quick/gf/gf_fig14/theory.npz"
SERIES = "results/quick/gf/gf_fig14/series.csv"
INFO = ("Using workflow specific profile", "Config file config/config.yaml is extended")

pytestmark = pytest.mark.workflow


def _snapshot(work: Path) -> dict[str, bytes]:
    """Every file of the quick variant (stage files, tables, sidecars, figures)."""
    return {str(p.relative_to(work)): p.read_bytes() for d in ("results/quick", "figures/quick")
            for p in sorted((work / d).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """The Fig 14 chain built once from nothing; its files as a clean build makes them."""
    work = copy_workflow(tmp_path_factory.mktemp("repair"))
    (work / "small.yaml").write_text(SMALL)
    run_snakemake(work, *BUILD)
    return work, _snapshot(work)


def _hdsgd(work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hdsgd", *args], cwd=work,
                          capture_output=True, text=True)


def _fault_line(work: Path) -> str:
    """The build after a fault: it stops before any job with one line; return that line."""
    proc = run_snakemake(work, *BUILD, check=False)
    out = proc.stdout + proc.stderr
    lines = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith(INFO)]
    assert proc.returncode == 1 and len(lines) == 1, out
    assert "Traceback" not in out and "rule " not in out and "Job stats" not in out, out
    return lines[0]


def _repair_and_check(work: Path, line: str, clean: dict[str, bytes]) -> None:
    """Run the command the line names; every file is back, byte for byte; lineage exits 0."""
    command = line.split("run: ", 1)[1]
    assert command == shlex.join(["hdsgd", "repair", *BUILD]), command
    repaired = _hdsgd(work, *shlex.split(command)[1:])
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    now = _snapshot(work)
    assert sorted(now) == sorted(clean)
    differ = [p for p in clean if now[p] != clean[p]]
    assert not differ, differ
    lineage = _hdsgd(work, "lineage", TARGET)
    assert lineage.returncode == 0, lineage.stdout + lineage.stderr
    assert "every file is intact" in lineage.stdout


def _other_variant_file(work: Path, name: str, override: str, path: str) -> bytes:
    """``path`` as built by a variant ``name`` that differs by ``override`` (YAML lines under
    ``gf:``): a file of another run, as a user might copy over."""
    (work / f"{name}.yaml").write_text(f"variant: {name}\ngf:\n{override}")
    other = path.replace("results/quick/", f"results/{name}/")
    run_snakemake(work, other, "--cores", "1", "--quiet", *CONFIGS, f"{name}.yaml")
    return (work / other).read_bytes()


def test_a_truncated_stage_file(chain):
    work, clean = chain
    sim = work / "results/quick/gf/gf_fig14/simulation_b10.npz"
    sim.write_bytes(clean[str(sim.relative_to(work))][:1000])
    line = _fault_line(work)
    assert line.startswith("error: results/quick/gf/gf_fig14/simulation_b10.npz is truncated "
                           "or corrupt (BadZipFile"), line
    assert "; to rebuild it and every file made from it run: hdsgd repair " in line
    _repair_and_check(work, line, clean)


@pytest.mark.parametrize("override, made, recorded", [
    ("  problems:\n    noisy: {seed: 1}\n", "seed 1", "seed 0"),
    ("  problems:\n    noisy: {n_data: 400}\n", "problem.n_data = 400", "problem.n_data = 300"),
], ids=["same-shape-other-seed", "other-size"])
def test_a_stage_file_swapped_in_from_another_run(chain, override, made, recorded):
    work, clean = chain
    (work / DATA).write_bytes(_other_variant_file(work, "other", override, DATA))
    line = _fault_line(work)
    assert line.startswith(f"error: {DATA} was made with {made}, but Snakemake's record of the "
                           f"job that wrote it has {recorded}"), line
    _repair_and_check(work, line, clean)


def test_a_deleted_intermediate(chain):
    work, clean = chain
    (work / THEORY).unlink()
    line = _fault_line(work)
    assert line.startswith(f"error: {THEORY} is missing, but files made from it remain "
                           f"(results/quick/gf/gf_fig14/"), line
    _repair_and_check(work, line, clean)


def test_a_stale_downstream_table(chain):
    """series.csv made from another theory.npz (SE tau changed, series params unchanged),
    copied back over a clean build: newer than its input, so Snakemake keeps it."""
    work, clean = chain
    (work / "tau.yaml").write_text("variant: quick\ngf:\n  tau: [1.0, 0.5]\n")
    run_snakemake(work, SERIES, "--cores", "1", "--quiet", *CONFIGS, "tau.yaml")
    stale = {p: (work / p).read_bytes() for p in (SERIES, SERIES + ".prov.json")}
    assert stale[SERIES] != clean[SERIES]
    run_snakemake(work, *BUILD)  # back to the clean build (the tau change reverted)
    assert _snapshot(work) == clean
    for p, data in stale.items():
        (work / p).write_bytes(data)
    line = _fault_line(work)
    assert line.startswith(f"error: {SERIES} is stale: it was made from another version of "
                           f"{THEORY} than the one on disk"), line
    _repair_and_check(work, line, clean)
