"""Whole-pipeline reliability: determinism of the quick `all` and recovery from a killed job."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hdsgd.__main__ import check_scorecard
from hdsgd.stages import StageFileError, load_stage

from .conftest import copy_workflow, run_snakemake

QUICK = ["--configfile", "config/quick.yaml"]


def _files(root: Path, pattern: str):
    return sorted(p.relative_to(root) for p in root.glob(pattern))


def _all_files(root: Path) -> list[Path]:
    """Every file under results/ and figures/ (stage files, tables, provenance sidecars, PDFs,
    the scorecard), relative to ``root``."""
    return sorted(p.relative_to(root) for d in ("results", "figures")
                  for p in (root / d).rglob("*") if p.is_file())


@pytest.mark.workflow
def test_quick_all_is_deterministic(quick_all, tmp_path):
    """The quick `all` built twice in two directories: every file byte-identical."""
    a, b = quick_all, copy_workflow(tmp_path / "b")
    run_snakemake(b, "all", "--cores", "2", "--quiet", *QUICK)
    files = _all_files(a)
    assert files == _all_files(b)
    kinds = {p.suffix for p in files} | {"".join(p.suffixes[-2:]) for p in files}
    assert {".npz", ".csv", ".pdf", ".prov.json", ".md"} <= kinds, kinds
    differ = [str(rel) for rel in files if (a / rel).read_bytes() != (b / rel).read_bytes()]
    assert not differ, f"{len(differ)} of {len(files)} files differ: {differ[:10]}"


@pytest.mark.workflow
def test_quick_scorecard_passes_in_full(quick_all):
    """Every row of the quick scorecard passes or states why it differs from the paper."""
    out = io.StringIO()
    code = check_scorecard(str(quick_all / "figures/quick/scorecard.csv"), out=out)
    assert code == 0, out.getvalue()


def _report_results(page: str) -> dict:
    """The entries of a Snakemake HTML report (``var results = {...};``), keyed by path."""
    import json
    import re

    m = re.search(r"var results = (\{.*?\});\n", page, re.S)
    assert m, "no results in the report"
    return json.loads(m.group(1))


def _text(html: str) -> str:
    import html as html_lib
    import re

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.workflow
def test_report_is_self_contained_with_every_figure_and_caption(quick_all):
    """`snakemake --report`: every figure embedded with its rendered caption, the scorecard,
    nothing fetched from elsewhere."""
    import re

    proc = run_snakemake(quick_all, "all", "--report", "report.html", *QUICK)
    log = proc.stdout + proc.stderr
    assert "(WARNING/" not in log and "(ERROR/" not in log, log[-3000:]  # docutils
    page = (quick_all / "report.html").read_text()
    results = _report_results(page)
    captions = []
    for pdf in _files(quick_all, "figures/quick/*.pdf"):
        entry = results.get(str(pdf))
        assert entry, f"{pdf} not in the report"
        assert entry["data_uri"].startswith("data:application/pdf;"), pdf
        caption = _text(entry["caption"])
        assert len(caption.split()) >= 15 and "{{" not in caption and "{%" not in caption, pdf
        captions.append(caption)
    # every caption file is rendered (its opening words, before any template field, appear)
    for rst in (quick_all / "workflow/report").glob("*.rst"):
        if rst.name == "workflow.rst":
            continue
        opening = re.sub(r"[*`]", "", re.split(r"\{[{%]", rst.read_text())[0]).split()[:5]
        assert any(" ".join(opening) in c for c in captions + [
            _text(results["figures/quick/scorecard.csv"]["caption"])]), rst.name
    assert "figures/quick/scorecard.csv" in results
    assert results["figures/quick/scorecard.csv"]["caption"].strip()
    # each caption states the values of the build it embeds (quick: d = 200, not 1000)
    fig2_1 = _text(results["figures/quick/fig2_1.pdf"]["caption"])
    assert "in d = 200," in fig2_1 and "d = 1000" not in fig2_1, fig2_1
    # self-contained: no script, style sheet, image or frame fetched from elsewhere
    external = re.findall(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?//""",
                          page)
    assert not external, external[:3]


@pytest.mark.workflow
def test_report_refuses_a_figure_made_with_other_config_values(quick_all):
    """Its caption, rendered from this config's params, would describe another figure."""
    (quick_all / "d300.yaml").write_text(
        "variant: quick\nalignment:\n  runs:\n    gmm:\n      d: 300\n")
    proc = run_snakemake(quick_all, "all", "--report", "other.html", *QUICK, "d300.yaml",
                         check=False)
    out = [ln for ln in (proc.stdout + proc.stderr).splitlines()
           if ln.startswith("error: ")]
    assert proc.returncode == 1 and len(out) == 1, proc.stdout + proc.stderr
    assert out[0].startswith("error: figures/quick/fig2_1.pdf was made with run.d = 200, this "
                             "config gives run.d = 300: its caption would describe another "
                             "figure; rebuild it before writing the report: snakemake all "
                             "--configfile config/quick.yaml d300.yaml"), out[0]
    assert not (quick_all / "other.html").exists()


def _progress_log(work: Path) -> Path | None:
    """The log of the running job once it reports progress (``done/total (pct) elapsed``)."""
    for log in work.glob("logs/quick/**/*.log"):
        text = log.read_text()
        if "%) elapsed" in text:
            return log
    return None


def _start_and_interrupt(work: Path, target: str, sig: int) -> None:
    """Start building ``target`` (a long quick SGD stage) and send ``sig`` once SGD runs."""
    cmd = [sys.executable, "-m", "snakemake", target, "--cores", "1", "--quiet",
           "--configfile", "config/quick.yaml", "long.yaml"]
    # a shell that starts jobs in the background makes them ignore SIGINT; restore Ctrl-C
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (log := _progress_log(work)):
        assert proc.poll() is None, "SGD stage finished before it could be interrupted"
        assert time.monotonic() < deadline, "SGD stage never started"
        time.sleep(0.2)
    assert "(100%)" not in log.read_text(), "SGD stage finished before it could be interrupted"
    os.killpg(proc.pid, sig)
    proc.wait(timeout=60)


@pytest.mark.workflow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_interrupted_sgd_stage_leaves_nothing_complete_and_resumes(tmp_path, sig):
    """Ctrl-C, or a hard kill (then `snakemake --unlock`, as Snakemake asks), mid-SGD."""
    work = copy_workflow(tmp_path / "w")
    (work / "long.yaml").write_text(
        "variant: quick\nalignment:\n  runs:\n    gmm:\n      t_max: 2000.0\n")
    target = "results/quick/alignment/gmm/simulation.npz"
    _start_and_interrupt(work, target, sig)
    out = work / target
    assert not out.exists(), "an interrupted job left an output that looks complete"
    with pytest.raises(StageFileError, match="does not exist"):
        load_stage(out)
    args = (target, "--cores", "1", "--quiet", *QUICK, "long.yaml")
    if sig == signal.SIGKILL:
        run_snakemake(work, *args, "--unlock")
    run_snakemake(work, *args)
    st = load_stage(out)
    assert st["times"][-1] == pytest.approx(2000.0)
