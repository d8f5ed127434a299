"""Collect every figure's agreement rows into the reproduction scorecard (CSV + Markdown)."""

from __future__ import annotations

import pandas as pd

from hdsgd.agreement import COLUMNS, unexplained_failures
from hdsgd.stages import read_table


def collect(paths) -> pd.DataFrame:
    """Concatenate agreement tables, sorted by figure, keeping every row (failures included)."""
    frames = [read_table(p) for p in paths]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    if "difference" not in df:
        df["difference"] = ""
    df["difference"] = df["difference"].astype(object).fillna("").astype(str)
    df = df[COLUMNS]
    return df.sort_values(["paper", "figure"], kind="stable").reset_index(drop=True)


def verdict(row) -> str:
    """``pass``, ``**FAIL**``, or ``differs (stated): reason`` for a failing row with a reason."""
    if bool(row["pass"]):
        return "pass"
    return f"differs (stated): {row['difference']}" if row["difference"] else "**FAIL**"


def to_markdown(df: pd.DataFrame) -> str:
    """A readable table; failing rows are marked **FAIL** unless their difference is stated."""
    n_pass = int(df["pass"].astype(bool).sum()) if len(df) else 0
    n_stated = len(df) - n_pass - len(unexplained_failures(df)) if len(df) else 0
    lines = ["# Reproduction scorecard", "",
             f"{n_pass} of {len(df)} checks pass; {n_stated} differ from the paper for a "
             "stated reason.", "",
             "| figure | paper | claim | measured | tolerance | verdict |",
             "|---|---|---|---|---|---|"]
    for r in df.to_dict("records"):
        lines.append(f"| {r['figure']} | {r['paper']} | {r['claim']} | {r['measured']:.4g} | "
                     f"{r['comparison']} {r['tolerance']:.4g} | {verdict(r)} |")
    return "\n".join(lines) + "\n"
