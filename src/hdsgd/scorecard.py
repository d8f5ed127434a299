"""Collect every figure's agreement rows into the reproduction scorecard (CSV + Markdown)."""

from __future__ import annotations

import pandas as pd

from hdsgd.agreement import COLUMNS
from hdsgd.stages import read_table


def collect(paths) -> pd.DataFrame:
    """Concatenate agreement tables, sorted by figure, keeping every row (failures included)."""
    frames = [read_table(p) for p in paths]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.concat(frames, ignore_index=True)[COLUMNS]
    return df.sort_values(["paper", "figure"], kind="stable").reset_index(drop=True)


def to_markdown(df: pd.DataFrame) -> str:
    """A readable table; failing rows are marked **FAIL**."""
    n_pass = int(df["pass"].astype(bool).sum()) if len(df) else 0
    lines = ["# Reproduction scorecard", "",
             f"{n_pass} of {len(df)} checks pass.", "",
             "| figure | paper | claim | measured | tolerance | pass |",
             "|---|---|---|---|---|---|"]
    for r in df.itertuples(index=False):
        verdict = "pass" if bool(r[6]) else "**FAIL**"
        lines.append(f"| {r.figure} | {r.paper} | {r.claim} | {r.measured:.4g} | "
                     f"{r.comparison} {r.tolerance:.4g} | {verdict} |")
    return "\n".join(lines) + "\n"
