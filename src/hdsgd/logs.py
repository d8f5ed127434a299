"""Send a stage's stdout/stderr (progress lines, warnings, tracebacks) to its log file.

Inside :func:`log_to`, :class:`hdsgd.progress.Progress` also writes its lines to the terminal
the stage was started from (tagged with the stage's log name), so a long stage is not silent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from pathlib import Path

_terminal: tuple | None = None  # (stream, tag) of the stage running inside log_to


def terminal():
    """``(stream, tag)``: where a stage inside :func:`log_to` reports progress besides its
    log (the stderr it was started with) and its tag (the log path without ``logs/`` and
    ``.log``); ``None`` outside :func:`log_to`."""
    return _terminal


def _tag(path: Path) -> str:
    """``logs/alignment/sgd_gmm.log`` -> ``alignment/sgd_gmm`` (the part after ``logs/``)."""
    parts = path.with_suffix("").parts
    if "logs" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("logs"):])
    return path.stem


def process_cpu_seconds() -> float:
    """CPU seconds (user + system, every thread) this process has used so far: a stage's
    cost, written as the last line of its log (``job cpu: 1.23 s``; ``hdsgd targets
    --measured`` adds them up for stages without a benchmark file)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _open_log(path: Path):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "w", buffering=1)
    except PermissionError as exc:
        print(f"error: cannot write the log {path}: permission denied on "
              f"{exc.filename or path.parent} (make the results and logs directories "
              "writable, or build in a writable copy)", file=sys.stderr)
        raise SystemExit(1) from None


@contextlib.contextmanager
def log_to(path):
    """Redirect stdout and stderr into ``path`` for the duration of the block.

    A stage that ends normally writes its CPU time as the log's last line (``job cpu: ...``).
    An unexpected exception is written to the log with its traceback (and re-raised) so the
    Snakemake log explains a failure. An expected fault, a stage file that is missing, corrupt,
    made with other config values or cannot be written (:class:`hdsgd.stages.StageFileError`),
    or a stage that would write NaN (:class:`hdsgd.stages.NonFiniteStageError`), ends the
    process with exit status 1 and one line, ``error: ...``, in the log and on the terminal,
    without a traceback. Ctrl-C writes one line to the log and ends the process by SIGINT
    without a traceback (the stage writes atomically, so nothing complete is left behind).
    """
    from hdsgd.stages import NonFiniteStageError, StageFileError

    global _terminal
    path = Path(path)
    with _open_log(path) as fh:
        old_out, old_err, old_terminal = sys.stdout, sys.stderr, _terminal
        sys.stdout = sys.stderr = fh
        _terminal = (old_err, _tag(path))
        interrupted = failed = False
        try:
            yield fh
            fh.write(f"job cpu: {process_cpu_seconds():.2f} s\n")
        except KeyboardInterrupt:
            fh.write("interrupted (Ctrl-C): nothing was written\n")
            interrupted = True
        except (StageFileError, NonFiniteStageError) as exc:
            failed = f"error: {exc}"
            fh.write(failed + "\n")
        except BaseException:
            traceback.print_exc(file=fh)
            raise
        finally:
            sys.stdout, sys.stderr, _terminal = old_out, old_err, old_terminal
    if interrupted:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    if failed:
        print(f"[{_tag(path)}] {failed}", file=sys.stderr)
        raise SystemExit(1)
