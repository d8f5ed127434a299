"""Agreement rows for the reproduction scorecard.

Every figure declares what it checks: a claim (theory vs simulation, or the paper's stated
value vs ours), the measured number, a tolerance and the direction of the comparison. The
scorecard rule collects all rows into ``figures/scorecard.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

COLUMNS = ["figure", "paper", "claim", "measured", "tolerance", "comparison", "pass"]


def agreement_row(figure: str, paper: str, claim: str, measured: float, tolerance: float,
                  comparison: str = "<=") -> dict:
    """One row; ``pass`` is ``measured <= tolerance`` (or ``>=``); NaN never passes."""
    if comparison not in ("<=", ">="):
        raise ValueError(f"comparison must be '<=' or '>=', got {comparison!r}")
    measured = float(measured)
    ok = (not math.isnan(measured)) and (
        measured <= tolerance if comparison == "<=" else measured >= tolerance)
    return {"figure": figure, "paper": paper, "claim": claim, "measured": measured,
            "tolerance": float(tolerance), "comparison": comparison, "pass": bool(ok)}


def write_agreement(path, rows: Iterable[Mapping], **provenance) -> None:
    """Write agreement rows (dicts from :func:`agreement_row`) as a tidy CSV with provenance."""
    import pandas as pd

    from hdsgd.stages import write_table

    df = pd.DataFrame(list(rows), columns=COLUMNS)
    write_table(df, path, **provenance)
