"""Progress reports for long stages: done/total, elapsed time and ETA, at most every few s.

Lines go to the stage's log and, inside :func:`hdsgd.logs.log_to`, also to the terminal the
workflow runs in, tagged with the stage (``[alignment/sgd_gmm] sgd: 2048/40000 (5%) ...``).

The ETA extrapolates the rate measured so far, ``elapsed (1 - f) / f`` at fraction ``f`` done.
Early units are not representative (a cold start, imports, the first eigensolve from random
vectors), so no ETA is given (``ETA --``) before ``MIN_FRACTION`` of the work and
``MIN_SECONDS`` have passed: the k-GMM spectra stage's first line used to promise 200-340 s
for a stage that took 90-100 s.
"""

from __future__ import annotations

import sys
import time

MIN_FRACTION = 0.10  # no ETA before this fraction of the work is done ...
MIN_SECONDS = 3.0    # ... and this many seconds have passed


class Progress:
    """Print ``label: done/total (pct) elapsed ETA`` lines to ``stream`` (default stderr).

    A line is printed at most every ``every_s`` seconds, and always at completion. With the
    default stream inside :func:`hdsgd.logs.log_to`, each line also goes to the terminal.
    """

    def __init__(self, total: int, label: str, *, every_s: float = 5.0, stream=None,
                 clock=time.monotonic):
        from hdsgd.logs import terminal

        self.total = max(int(total), 1)
        self.label = label
        self.every_s = every_s
        self.stream = stream if stream is not None else sys.stderr
        term = terminal() if stream is None else None
        self.terminal = term if term is not None and term[0] is not self.stream else None
        self.done = 0
        self._clock = clock
        self._t0 = clock()
        self._last = -float("inf")

    def update(self, n: int = 1) -> None:
        self.done += n
        now = self._clock()
        if self.done >= self.total or now - self._last >= self.every_s:
            self._last = now
            line = self.line(now)
            self.stream.write(line + "\n")
            self.stream.flush()
            if self.terminal is not None:
                term, tag = self.terminal
                try:
                    term.write(f"[{tag}] {line}\n")
                    term.flush()
                except (OSError, ValueError):  # terminal gone (closed pipe): the log suffices
                    self.terminal = None

    def line(self, now: float | None = None) -> str:
        now = self._clock() if now is None else now
        elapsed = now - self._t0
        frac = min(self.done / self.total, 1.0)
        if frac >= 1.0:
            eta = "0.0s"
        elif frac >= MIN_FRACTION and elapsed >= MIN_SECONDS:
            eta = f"{elapsed * (1 - frac) / frac:.1f}s"
        else:
            eta = "--"
        return (f"{self.label}: {self.done}/{self.total} ({100 * frac:.0f}%) "
                f"elapsed {elapsed:.1f}s ETA {eta}")
