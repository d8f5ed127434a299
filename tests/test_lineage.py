"""`hdsgd lineage` / `hdsgd inspect`: a figure's inputs with hashes, seeds and config; stale
inputs flagged."""

import io
import json
from base64 import urlsafe_b64encode

import numpy as np
import pandas as pd
import pytest

from hdsgd.__main__ import inspect, main
from hdsgd.lineage import HASH_CHARS, lineage
from hdsgd.plotting.style import new_figure, save_pdf
from hdsgd.stages import file_sha256, save_stage, write_table


def _record(work, output, rule, inputs, script=None, params=()):
    """A Snakemake metadata record as Snakemake writes it after a job."""
    meta = work / ".snakemake" / "metadata"
    meta.mkdir(parents=True, exist_ok=True)
    rec = {"rule": rule, "input": inputs, "params": list(params),
           "code": f'        "../scripts/{script}"\n' if script else None,
           "input_checksums": {i: "sha256:" + file_sha256(work / i) for i in inputs}}
    (meta / urlsafe_b64encode(output.encode()).decode()).write_text(json.dumps(rec))


@pytest.fixture
def built(tmp_path, monkeypatch):
    """data.npz -> sim.npz -> series.csv -> fig.pdf, with code files and Snakemake records."""
    w = tmp_path
    monkeypatch.chdir(w)
    (w / "src").mkdir()
    (w / "src/sim.py").write_text("# the simulation\n")
    (w / "workflow/scripts").mkdir(parents=True)
    (w / "workflow/scripts/fig.py").write_text("# the figure script\n")
    save_stage("results/data.npz", {"x": np.arange(5.0)}, params={"n": 5}, seed=3)
    save_stage("results/sim.npz", {"y": np.arange(5.0) ** 2}, params={"lam": 10.0,
               "grid": {"num": 5}}, seed=7, inputs=["results/data.npz"])
    _record(w, "results/sim.npz", "toy_sim_simulation", ["results/data.npz", "src/sim.py"])
    write_table(pd.DataFrame({"t": [0.0, 1.0], "curve": ["sgd", "sgd"]}), "results/series.csv",
                params={"lam": 10.0}, inputs=["results/sim.npz"])
    _record(w, "results/series.csv", "toy_sim_series", ["results/sim.npz"])
    fig, axes = new_figure()
    axes[0, 0].plot([0, 1], [0, 1])
    save_pdf(fig, "figures/fig.pdf")
    _record(w, "figures/fig.pdf", "toy_sim_figure", ["results/series.csv"], script="fig.py",
            params=["{'lam': 10.0}"])
    return w


def test_lineage_lists_every_file_with_hash_seed_and_config(built, capsys):
    nodes, workdir = lineage("figures/fig.pdf")
    paths = [n.path for n in nodes]
    assert paths == ["figures/fig.pdf", "results/series.csv", "results/sim.npz",
                     "results/data.npz", "src/sim.py"]
    by = {n.path: n for n in nodes}
    assert by["figures/fig.pdf"].rule == "toy_sim_figure"
    assert by["figures/fig.pdf"].script == "workflow/scripts/fig.py"
    assert by["figures/fig.pdf"].script_sha256 == file_sha256("workflow/scripts/fig.py")
    assert by["results/sim.npz"].seed == 7 and by["results/sim.npz"].params["lam"] == 10.0
    assert by["results/data.npz"].seed == 3 and not any(n.changed for n in nodes)
    assert main(["lineage", "figures/fig.pdf"]) == 0
    out = capsys.readouterr().out
    assert "every recorded input matches the files on disk" in out
    assert "[stage] results/sim.npz  sha256 " + file_sha256("results/sim.npz")[:HASH_CHARS] in out
    assert "seed 7" in out and "grid.num=5" in out and "lam=10.0" in out
    assert "rule toy_sim_figure, script workflow/scripts/fig.py" in out


def test_lineage_flags_a_stage_built_from_an_input_that_changed(built, capsys):
    old = file_sha256("results/sim.npz")
    save_stage("results/sim.npz", {"y": np.arange(5.0) ** 3}, params={"lam": 11.0}, seed=7,
               inputs=["results/data.npz"])
    nodes, _ = lineage("figures/fig.pdf")
    stale = {n.path: n.changed for n in nodes if n.changed}
    assert list(stale) == ["results/series.csv"]
    (path, was, now), = stale["results/series.csv"]
    assert path == "results/sim.npz" and was.endswith(old) and now != old
    assert main(["lineage", "figures/fig.pdf"]) == 1
    out = capsys.readouterr().out
    assert "1 built from inputs that have changed since" in out
    assert f"CHANGED: results/sim.npz was {old[:HASH_CHARS]} when this was built" in out
    # a changed code file is flagged too
    (built / "src/sim.py").write_text("# edited\n")
    assert any(p == "src/sim.py" for n in lineage("figures/fig.pdf")[0] for p, _, _ in n.changed)


def test_lineage_json(built, capsys):
    assert main(["lineage", "--json", "figures/fig.pdf"]) == 0
    nodes = json.loads(capsys.readouterr().out)
    assert nodes[0]["kind"] == "figure" and nodes[2]["seed"] == 7


def test_inspect_a_figure_shows_its_lineage(built):
    out = io.StringIO()
    assert inspect("figures/fig.pdf", out=out) == 0
    text = out.getvalue()
    assert text.startswith("figure figures/fig.pdf (PDF, sha256 ")
    assert "[table] results/series.csv" in text and "corrupt" not in text


def test_inspect_a_table_summarises_its_columns(built):
    out = io.StringIO()
    inspect("results/series.csv", out=out)
    text = out.getvalue()
    assert "table results/series.csv: 2 rows, 2 columns" in text
    assert "t " in text and "min 0 max 1" in text
    assert "1 distinct: sgd" in text
    assert "params:" in text and "results/sim.npz  sha256 " in text


def test_hashes_have_one_length_everywhere(built):
    import re

    out = io.StringIO()
    inspect("results/sim.npz", out=out)
    inspect("figures/fig.pdf", out=out)
    hashes = re.findall(r"sha256 ([0-9a-f-]+)", out.getvalue())
    assert hashes and {len(h) for h in hashes} == {HASH_CHARS}


def test_missing_file_is_one_line(tmp_path, capsys):
    assert main(["lineage", str(tmp_path / "nope.pdf")]) == 1
    assert "does not exist" in capsys.readouterr().err


# ---------------------------------------------------------------- consistency (exit 1)

def _inconsistent(capsys, target="figures/fig.pdf") -> list[str]:
    assert main(["lineage", target]) == 1
    out = capsys.readouterr().out
    assert "inconsistencies" in out.splitlines()[0]
    return [ln for ln in out.splitlines() if ln.startswith("INCONSISTENT: ")]


def test_lineage_flags_a_stage_made_from_an_input_of_another_seed(built, capsys):
    """data.npz rewritten by a seed-1 run (same shape), sim.npz made from the seed-0 one."""
    save_stage("results/data.npz", {"x": np.arange(5.0)}, params={"run": {"seed": 1}}, seed=1)
    save_stage("results/sim.npz", {"y": np.arange(5.0) ** 2}, params={"run": {"seed": 0}},
               seed=0, inputs=["results/data.npz"])
    lines = _inconsistent(capsys)
    assert ("INCONSISTENT: results/data.npz was made with seed 1, but results/sim.npz (made "
            "from it) with seed 0") in lines


def test_lineage_flags_a_truncated_stage_file_and_a_wrong_shape(built, capsys):
    data = open("results/data.npz", "rb").read()
    open("results/data.npz", "wb").write(data[:200])
    (line,) = _inconsistent(capsys)
    assert line.startswith("INCONSISTENT: results/data.npz is truncated or corrupt (BadZipFile")
    save_stage("results/data.npz", {"x": np.arange(5.0)}, params={"n": 5}, seed=3)
    with np.load("results/data.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["x"] = np.arange(6.0)
    np.savez("results/data.npz", **arrays)
    lines = _inconsistent(capsys)
    assert ("INCONSISTENT: results/data.npz is corrupt (array 'x' was recorded with shape (5,), "
            "the file has shape (6,))") in lines


def test_lineage_flags_a_file_whose_provenance_disagrees_with_snakemakes_record(built, capsys):
    """sim.npz from a run with lam = 5 copied over the one Snakemake made with lam = 10."""
    _record(built, "results/sim.npz", "toy_sim_simulation", ["results/data.npz", "src/sim.py"],
            params=[repr({"lam": 10.0, "grid": {"num": 5}})])
    save_stage("results/sim.npz", {"y": np.arange(5.0) ** 2},
               params={"run": {"lam": 5.0, "grid": {"num": 5}}}, seed=7,
               inputs=["results/data.npz"])
    lines = _inconsistent(capsys)
    assert any(ln.startswith("INCONSISTENT: results/sim.npz was made with run.lam = 5.0, but "
                             "Snakemake's record of the job that wrote it has run.lam = 10.0")
               for ln in lines), lines


def test_a_script_named_by_a_param_is_resolved_with_its_hash(built):
    """Rules made in a loop name their script through a param (formatted when the job runs)."""
    _record(built, "figures/fig.pdf", "toy_fig_figure", ["results/series.csv"],
            script="{params.name}.py", params=["'fig'", "{'lam': 10.0}", "'other'"])
    node = lineage("figures/fig.pdf")[0][0]
    assert node.script == "workflow/scripts/fig.py"
    assert node.script_sha256 == file_sha256("workflow/scripts/fig.py")
