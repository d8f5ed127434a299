"""Scorecard: every agreement row is kept, failures are visible."""

import io
import math

import pytest

from hdsgd.agreement import agreement_row, write_agreement
from hdsgd.scorecard import collect, to_markdown


def test_rows_pass_and_fail_by_direction():
    assert agreement_row("f", "p", "c", 0.05, 0.1, "<=")["pass"]
    assert not agreement_row("f", "p", "c", 0.2, 0.1, "<=")["pass"]
    assert agreement_row("f", "p", "c", 0.9, 0.8, ">=")["pass"]
    assert not agreement_row("f", "p", "c", math.nan, 0.8, ">=")["pass"]
    with pytest.raises(ValueError):
        agreement_row("f", "p", "c", 1.0, 1.0, "<")


def test_collect_keeps_failures_visible(tmp_path):
    ok = agreement_row("fig2_1", "alignment", "ok", 0.9, 0.8, ">=")
    write_agreement(tmp_path / "a.csv", [ok])
    write_agreement(tmp_path / "b.csv", [agreement_row("gf_fig2", "gf", "gap", 0.3, 0.05)])
    df = collect([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert list(df["figure"]) == ["fig2_1", "gf_fig2"]
    assert list(df["pass"]) == [True, False]
    md = to_markdown(df)
    assert "1 of 2 checks pass" in md
    assert "| gf_fig2 | gf | gap | 0.3 | <= 0.05 | **FAIL** |" in md


def test_stated_difference_is_shown_and_only_unexplained_failures_fail_the_check(tmp_path):
    from hdsgd.__main__ import check_scorecard
    from hdsgd.agreement import unexplained_failures

    rows = [agreement_row("f", "p", "ok", 0.1, 0.2),
            agreement_row("f", "p", "stand-in data", 0.5, 0.2, difference="other data set")]
    assert unexplained_failures(rows) == []
    write_agreement(tmp_path / "a.csv", rows)
    df = collect([tmp_path / "a.csv"])
    md = to_markdown(df)
    assert "differs (stated): other data set" in md and "1 differ" in md
    assert check_scorecard(str(tmp_path / "a.csv"), out=io.StringIO()) == 0
    write_agreement(tmp_path / "b.csv", [*rows, agreement_row("f", "p", "bad", 0.5, 0.2)])
    assert check_scorecard(str(tmp_path / "b.csv"), out=io.StringIO()) == 1
