"""Agreement rows for the reproduction scorecard.

Every figure declares what it checks: a claim (theory vs simulation, or the paper's stated
value vs ours), the measured number, a tolerance and the direction of the comparison. The
scorecard rule collects all rows into ``figures/scorecard.csv``.

A row whose check legitimately differs from the paper (stand-in data, a documented error in
the paper) carries the reason in ``difference``; it is still measured and still shows
``pass = False`` when it fails, but :func:`unexplained_failures` does not count it. Every
other failing row fails CI (``python -m hdsgd check-scorecard``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

COLUMNS = ["figure", "paper", "claim", "measured", "tolerance", "comparison", "pass",
           "difference"]


def agreement_row(figure: str, paper: str, claim: str, measured: float, tolerance: float,
                  comparison: str = "<=", difference: str = "") -> dict:
    """One row; ``pass`` is ``measured <= tolerance`` (or ``>=``); NaN never passes.

    ``difference``: empty, or the reason why this check is allowed to fail (a stated difference
    from the paper, explained in the paper's ``docs/`` page).
    """
    if comparison not in ("<=", ">="):
        raise ValueError(f"comparison must be '<=' or '>=', got {comparison!r}")
    measured = float(measured)
    ok = (not math.isnan(measured)) and (
        measured <= tolerance if comparison == "<=" else measured >= tolerance)
    return {"figure": figure, "paper": paper, "claim": claim, "measured": measured,
            "tolerance": float(tolerance), "comparison": comparison, "pass": bool(ok),
            "difference": str(difference)}


def unexplained_failures(rows) -> list[dict]:
    """Rows (dicts or a DataFrame) that fail without a stated difference."""
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    return [r for r in rows if not bool(r["pass"]) and not _stated(r.get("difference"))]


def _stated(difference) -> bool:
    """A difference is stated when it is a non-empty string (a missing CSV cell is NaN)."""
    return isinstance(difference, str) and bool(difference.strip())


def write_agreement(path, rows: Iterable[Mapping], **provenance) -> None:
    """Write agreement rows (dicts from :func:`agreement_row`) as a tidy CSV with provenance."""
    import pandas as pd

    from hdsgd.stages import write_table

    df = pd.DataFrame(list(rows), columns=COLUMNS)
    write_table(df, path, **provenance)
