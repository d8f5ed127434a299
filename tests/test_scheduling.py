"""Critical path first: a job never has a lower priority than a job it feeds.

Snakemake orders ready jobs by priority only; `propagate_priorities()` (common.smk) lifts every
rule upstream of a prioritised one, so the data and SGD jobs of the long chains start first.
The check reads the priorities Snakemake assigns on a dry run and the rule graph.
"""

import re

from .conftest import copy_workflow, run_snakemake


def _priorities(dry_run: str) -> dict[str, float]:
    prio, rule = {}, None
    for line in dry_run.splitlines():
        m = re.match(r"^(?:local)?rule (\S+):", line)
        if m:
            rule = m.group(1)
            prio.setdefault(rule, 0.0)
        m = re.match(r"\s+priority: (\S+)", line)
        if m and rule:
            prio[rule] = max(prio[rule], float(m.group(1)))
    return prio


def test_priorities_reach_every_upstream_rule(tmp_path):
    work = copy_workflow(tmp_path)
    prio = _priorities(run_snakemake(work, "-n", "all").stdout)
    graph = run_snakemake(work, "--rulegraph", "dot", "all").stdout
    names = dict(re.findall(r"\t(\d+)\[label = \"([^\"]+)\"", graph))
    edges = [(names[a], names[b]) for a, b in re.findall(r"\t(\d+) -> (\d+)", graph)]
    assert edges and any(prio.values()), "no prioritised long stage left?"
    low = [(a, prio.get(a, 0), b, prio[b]) for a, b in edges if prio.get(a, 0) < prio.get(b, 0)]
    assert not low, f"upstream rules with a lower priority than what they feed: {low}"
