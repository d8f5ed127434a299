"""Progress reports for long stages: done/total, elapsed time and ETA, at most every few s."""

from __future__ import annotations

import sys
import time


class Progress:
    """Print ``label: done/total (pct) elapsed ETA`` lines to ``stream`` (default stderr).

    A line is printed at most every ``every_s`` seconds, and always at completion.
    """

    def __init__(self, total: int, label: str, *, every_s: float = 5.0, stream=None):
        self.total = max(int(total), 1)
        self.label = label
        self.every_s = every_s
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self._t0 = time.monotonic()
        self._last = -float("inf")

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.done >= self.total or now - self._last >= self.every_s:
            self._last = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        elapsed = now - self._t0
        frac = min(self.done / self.total, 1.0)
        eta = elapsed * (1 - frac) / frac if frac > 0 else float("nan")
        return (f"{self.label}: {self.done}/{self.total} ({100 * frac:.0f}%) "
                f"elapsed {elapsed:.1f}s ETA {eta:.1f}s")
