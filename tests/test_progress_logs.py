"""Stage logs and progress: lines in the log and on the terminal; Ctrl-C without traceback."""

import io
import signal
import subprocess
import sys

from hdsgd.logs import log_to
from hdsgd.progress import Progress


def test_progress_goes_to_the_log_and_to_the_terminal(tmp_path, monkeypatch):
    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    log = tmp_path / "logs" / "alignment" / "sgd_gmm.log"
    with log_to(log):
        bar = Progress(4, "sgd", every_s=0)
        for _ in range(4):
            bar.update(1)
        print("a plain print stays in the log")
    lines = log.read_text().splitlines()
    assert [ln.split(" elapsed")[0] for ln in lines[:4]] == [
        "sgd: 1/4 (25%)", "sgd: 2/4 (50%)", "sgd: 3/4 (75%)", "sgd: 4/4 (100%)"]
    assert lines[4] == "a plain print stays in the log"
    shown = terminal.getvalue().splitlines()
    assert len(shown) == 4 and shown[-1].startswith("[alignment/sgd_gmm] sgd: 4/4 (100%)")


def test_progress_outside_a_stage_writes_once(capsys):
    Progress(1, "x").update(1)
    assert capsys.readouterr().err.startswith("x: 1/1 (100%)")


def test_ctrl_c_in_a_stage_ends_by_sigint_without_a_traceback(tmp_path):
    log = tmp_path / "stage.log"
    code = ("from hdsgd.logs import log_to\n"
            f"with log_to({str(log)!r}):\n"
            "    print('working')\n"
            "    raise KeyboardInterrupt\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGINT
    assert "Traceback" not in proc.stderr + log.read_text()
    assert log.read_text() == "working\ninterrupted (Ctrl-C): nothing was written\n"


def test_a_failure_is_in_the_log_and_raised(tmp_path):
    log = tmp_path / "stage.log"
    try:
        with log_to(log):
            raise ValueError("bad value")
    except ValueError:
        pass
    else:
        raise AssertionError("not re-raised")
    assert "ValueError: bad value" in log.read_text()


def test_no_eta_before_it_has_measured_ten_percent_and_three_seconds():
    """Replay of the k-GMM spectra stage at paper scale (26 checkpoints; its log's elapsed
    times): the cold-started first checkpoint made the first ETA 200 s for 83 s left. Now the
    first ETA comes at 3/26 and is within 15 % of the time actually left."""
    elapsed = [8.0, 9.7, 11.6, 13.7, 16.0, 18.9, 22.0, 25.8, 29.6, 33.4, 37.3, 40.8, 44.2, 47.8,
               51.4, 55.3, 59.2, 63.1, 67.0, 70.8, 74.4, 78.1, 81.3, 84.6, 87.6, 90.7]
    clock = iter([0.0, *elapsed])
    out = io.StringIO()
    bar = Progress(len(elapsed), "spectra (checkpoints)", every_s=0.0, stream=out,
                   clock=lambda: next(clock))
    for _ in elapsed:
        bar.update(1)
    lines = out.getvalue().splitlines()
    assert lines[0] == "spectra (checkpoints): 1/26 (4%) elapsed 8.0s ETA --"
    assert lines[1].endswith("ETA --")
    first = lines[2]
    assert first.startswith("spectra (checkpoints): 3/26 (12%) elapsed 11.6s ETA ")
    eta = float(first.rsplit("ETA ", 1)[1].rstrip("s"))
    assert abs(eta - (elapsed[-1] - elapsed[2])) < 0.15 * (elapsed[-1] - elapsed[2])
    assert lines[-1].endswith("(100%) elapsed 90.7s ETA 0.0s")
