"""`hdsgd targets`: every figure of `rule all` is listed, with its paper figure, what it shows
and its cost; costs are measured from a build's records (chains counted job by job)."""

import io
import json
import re
import subprocess
import sys
from base64 import urlsafe_b64encode

from hdsgd.targets import load_targets, measured_costs, print_targets

from .conftest import REPO, copy_workflow, run_snakemake


def test_every_target_of_rule_all_is_listed_with_its_paper_figure_and_costs(tmp_path):
    work = copy_workflow(tmp_path / "w")
    summary = run_snakemake(work, "all", "--summary").stdout
    in_all = {m for m in re.findall(r"^figures/(\w+)\.pdf\s", summary, re.M)}
    targets = load_targets(REPO)
    assert in_all and set(targets) == in_all, (in_all - set(targets), set(targets) - in_all)
    for name, t in targets.items():
        assert t["paper"] in {"alignment", "generating_functions", "exact_dynamics",
                              "local_geometry"}, name
        assert t["figure"] and 15 < len(t["shows"]) <= 120, name
        assert t["cpu_s"]["paper"] > 0 and t["cpu_s"]["quick"] > 0, name


def test_the_listing_shows_every_target_once(monkeypatch):
    monkeypatch.chdir(REPO)
    out = io.StringIO()
    assert print_targets(out=out) == 0
    text = out.getvalue()
    for name in load_targets(REPO):
        assert text.count(f"figures/{name}.pdf ") == 1, name
    out = io.StringIO()
    assert print_targets(paper="exact_dynamics", out=out) == 0
    assert "figures/exact_fig1.pdf" in out.getvalue() and "fig2_1" not in out.getvalue()


def _job(work, output, inputs, log, start, end, cpu=None, logged=None):
    meta = work / ".snakemake" / "metadata"
    meta.mkdir(parents=True, exist_ok=True)
    rec = {"rule": "r", "input": inputs, "log": [log], "starttime": start, "endtime": end}
    (meta / urlsafe_b64encode(output.encode()).decode()).write_text(json.dumps(rec))
    if logged is not None:
        (work / log).parent.mkdir(parents=True, exist_ok=True)
        (work / log).write_text(f"progress\njob cpu: {logged:.2f} s\n")
    if cpu is not None:
        bench = work / log.replace(".log", ".bench.tsv")
        bench.parent.mkdir(parents=True, exist_ok=True)
        bench.write_text(f"s\tmax_rss\tcpu_time\n1.0\t100\t{cpu}\n")


def test_a_chain_costs_each_of_its_jobs_once(tmp_path):
    """data (its log: 2.5 CPU-s) -> sim (benchmarked, 40 CPU-s) -> series (two outputs, 2 s
    wall, no CPU logged) -> two figures (1.5 s wall each)."""
    w = tmp_path
    (w / "figures").mkdir()
    _job(w, "results/s/data.npz", [], "logs/s/data.log", 0.0, 3.0, logged=2.5)
    _job(w, "results/s/sim.npz", ["results/s/data.npz"], "logs/s/sim.log", 3.0, 30.0, cpu=40.0)
    for out in ("results/s/series.csv", "results/s/agreement.csv"):
        _job(w, out, ["results/s/sim.npz", "src/x.py"], "logs/s/series.log", 30.0, 32.0)
    for fig in ("a", "b"):
        (w / f"figures/{fig}.pdf").write_bytes(b"%PDF")
        _job(w, f"figures/{fig}.pdf", ["results/s/series.csv", "results/s/agreement.csv"],
             f"logs/s/{fig}.log", 32.0, 33.5)
    assert measured_costs(w) == {"a": 2.5 + 40.0 + 2.0 + 1.5, "b": 46.0}


def test_hdsgd_help_is_plain_text():
    proc = subprocess.run([sys.executable, "-m", "hdsgd", "--help"], capture_output=True,
                          text=True, cwd=REPO)
    assert proc.returncode == 0
    assert "``" not in proc.stdout and ":func:" not in proc.stdout
    for command in ("targets", "lineage", "inspect", "repair", "check-scorecard"):
        assert f"hdsgd {command}" in proc.stdout, command
