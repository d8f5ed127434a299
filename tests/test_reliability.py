"""Whole-pipeline reliability: determinism of the quick `all` and recovery from a killed job."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from hdsgd.stages import StageFileError, load_stage

from .conftest import copy_workflow, run_snakemake

QUICK = ["--configfile", "config/quick.yaml"]


def _files(root: Path, pattern: str):
    return sorted(p.relative_to(root) for p in root.glob(pattern))


@pytest.mark.workflow
def test_quick_all_is_deterministic(quick_all, tmp_path):
    """The quick `all` built twice in two directories: same arrays, byte-identical PDFs."""
    a, b = quick_all, copy_workflow(tmp_path / "b")
    run_snakemake(b, "all", "--cores", "2", "--quiet", *QUICK)
    pdfs = _files(a, "figures/*.pdf")
    assert pdfs and pdfs == _files(b, "figures/*.pdf")
    for rel in pdfs:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    stages = _files(a, "results/**/*.npz")
    assert stages and stages == _files(b, "results/**/*.npz")
    for rel in stages:
        sa, sb = load_stage(a / rel), load_stage(b / rel)
        assert sorted(sa) == sorted(sb), rel
        for key in sa:
            np.testing.assert_array_equal(sa[key], sb[key], err_msg=f"{rel}:{key}")
    assert (a / "figures/scorecard.csv").read_bytes() == (b / "figures/scorecard.csv").read_bytes()

    # the HTML report holds every figure and the scorecard
    run_snakemake(b, "all", "--report", "report.html", *QUICK)
    html = (b / "report.html").read_text(errors="replace")
    for rel in pdfs:
        assert rel.name in html, rel
    assert "scorecard.csv" in html


def _start_and_interrupt(work: Path, target: str, sig: int) -> None:
    """Start building ``target`` (a long quick SGD stage) and send ``sig`` once SGD runs."""
    cmd = [sys.executable, "-m", "snakemake", target, "--cores", "1", "--quiet",
           "--configfile", "config/quick.yaml", "long.yaml"]
    # a shell that starts jobs in the background makes them ignore SIGINT; restore Ctrl-C
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    log = work / "logs/alignment/sgd_gmm.log"
    deadline = time.monotonic() + 120
    while not (log.exists() and "sgd:" in log.read_text()):
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
    (work / "long.yaml").write_text("alignment:\n  runs:\n    gmm:\n      t_max: 2000.0\n")
    target = "results/alignment/gmm/sgd.npz"
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
