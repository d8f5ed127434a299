"""One small end-to-end build in the default test run: a figure from an empty results/,
its agreement rows pass, its lineage is complete and current, its layout audit is logged.

(The whole quick `all`, its byte-for-byte rebuild and the full quick scorecard run in the
separate `pytest -m workflow` step of CI.)
"""

import io

from hdsgd.__main__ import check_scorecard
from hdsgd.lineage import lineage

# the synthetic Fig 14 chain (data, simulation, theory, series, figure): a few CPU-seconds
TARGET = "figures/quick/gf_fig14.pdf"
SMALL = ("gf:\n  critical:\n    batch_sizes: [10, 300]\n"
         "    betas: {start: -0.5, stop: 0.5, num: 3}\n    rounds: 1\n")


def test_one_figure_end_to_end(build_targets, monkeypatch):
    work = build_targets([TARGET], extra_config=SMALL)
    monkeypatch.chdir(work)
    nodes, root = lineage(TARGET)
    assert root.resolve() == work.resolve()
    kinds = {n.kind for n in nodes}
    assert {"figure", "stage", "table", "code"} <= kinds
    assert not [n for n in nodes if n.changed or n.sha256 is None]
    stages = [n for n in nodes if n.kind == "stage"]
    assert all(n.rule for n in nodes if n.kind != "code")
    assert any(n.seed is not None for n in stages)
    agreement = [n.path for n in nodes if n.path.endswith("agreement.csv")]
    assert len(agreement) == 1
    out = io.StringIO()
    assert check_scorecard(agreement[0], out=out) == 0, out.getvalue()
    logs = "".join(p.read_text() for p in work.glob("logs/quick/**/*.log"))
    assert "layout gf_fig14.pdf: width " in logs
