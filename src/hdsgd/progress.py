"""Progress reports for long stages: done/total, elapsed time and ETA, at most every few s.

Lines go to the stage's log and, inside :func:`hdsgd.logs.log_to`, also to the terminal the
workflow runs in, tagged with the stage (``[alignment/sgd_gmm] sgd: 2048/40000 (5%) ...``).
"""

from __future__ import annotations

import sys
import time


class Progress:
    """Print ``label: done/total (pct) elapsed ETA`` lines to ``stream`` (default stderr).

    A line is printed at most every ``every_s`` seconds, and always at completion. With the
    default stream inside :func:`hdsgd.logs.log_to`, each line also goes to the terminal.
    """

    def __init__(self, total: int, label: str, *, every_s: float = 5.0, stream=None):
        from hdsgd.logs import terminal

        self.total = max(int(total), 1)
        self.label = label
        self.every_s = every_s
        self.stream = stream if stream is not None else sys.stderr
        term = terminal() if stream is None else None
        self.terminal = term if term is not None and term[0] is not self.stream else None
        self.done = 0
        self._t0 = time.monotonic()
        self._last = -float("inf")

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
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
        now = time.monotonic() if now is None else now
        elapsed = now - self._t0
        frac = min(self.done / self.total, 1.0)
        eta = elapsed * (1 - frac) / frac if frac > 0 else float("nan")
        return (f"{self.label}: {self.done}/{self.total} ({100 * frac:.0f}%) "
                f"elapsed {elapsed:.1f}s ETA {eta:.1f}s")
