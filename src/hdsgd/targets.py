"""``hdsgd targets``: every figure target with its paper figure, what it shows and its cost.

The list lives in ``workflow/targets.yaml`` (one entry per figure of ``rule all``; a test checks
that none is missing). Costs are CPU seconds of a target's whole chain built alone from an
empty ``results/`` (shared stages counted in full), measured from a build's own records by
:func:`measured_costs` (``hdsgd targets --measured`` prints them for the build in the current
folder): the CPU time each job wrote last in its log (:func:`hdsgd.logs.process_cpu_seconds`:
every thread, imports included), else the ``cpu_time`` of its benchmark file (Snakemake samples
it and misses CPU between samples: 79 s for a job that logged 123 s), else its wall time
(Snakemake's record).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TABLE = Path("workflow") / "targets.yaml"


def repository(start: Path | None = None) -> Path:
    """The repository the command runs in: the nearest folder (from ``start``, default the
    current one) holding ``workflow/targets.yaml``, else the one this package is in."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / TABLE).is_file():
            return folder
    return Path(__file__).resolve().parents[2]


def load_targets(root: Path | None = None) -> dict[str, dict]:
    """``{name: {paper, figure, shows, cpu_s: {paper, quick}}}`` in the table's order."""
    import yaml

    path = (root or repository()) / TABLE
    return yaml.safe_load(path.read_text(encoding="utf-8"))["targets"]


def _bench_cpu(log: str, workdir: Path) -> float | None:
    bench = workdir / (log[:-len(".log")] + ".bench.tsv") if log.endswith(".log") else None
    if bench is None or not bench.is_file():
        return None
    lines = bench.read_text().splitlines()
    head, row = lines[0].split("\t"), lines[-1].split("\t")
    return float(row[head.index("cpu_time")])


def _logged_cpu(log: str, workdir: Path) -> float | None:
    """The ``job cpu: X s`` line a stage writes last in its log (:mod:`hdsgd.logs`)."""
    try:
        lines = (workdir / log).read_text().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in reversed(lines[-3:]):
        if line.startswith("job cpu: ") and line.endswith(" s"):
            return float(line[len("job cpu: "):-2])
    return None


def measured_costs(workdir: Path, variant: str | None = None) -> dict[str, float]:
    """CPU seconds of every figure's chain in the build at ``workdir`` (see the module)."""
    from hdsgd.integrity import variant_roots
    from hdsgd.lineage import snakemake_record

    workdir = Path(workdir)
    figures = workdir / variant_roots(variant)[1]
    job_cost: dict[str, float] = {}

    def cost(record: dict, path: str) -> tuple[str, float]:
        logs = record.get("log") or []
        key = logs[0] if logs else path  # a job with several outputs counts once
        if key not in job_cost:
            cpu = _logged_cpu(logs[0], workdir) if logs else None
            if cpu is None and logs:
                cpu = _bench_cpu(logs[0], workdir)
            if cpu is None:
                cpu = float(record.get("endtime", 0)) - float(record.get("starttime", 0))
            job_cost[key] = cpu
        return key, job_cost[key]

    def chain(path: str, files: set[str], jobs: set[str]) -> float:
        if path in files:
            return 0.0
        files.add(path)
        record = snakemake_record(workdir, path)
        if record is None:
            return 0.0
        key, cpu = cost(record, path)
        total = 0.0 if key in jobs else cpu
        jobs.add(key)
        return total + sum(chain(os.path.normpath(i), files, jobs)
                           for i in record.get("input", []))

    return {pdf.stem: round(chain(os.path.relpath(pdf, workdir), set(), set()), 1)
            for pdf in sorted(figures.glob("*.pdf"))}


def _cost(seconds) -> str:
    if seconds is None:
        return "?"
    return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"


def print_targets(paper: str | None = None, measured: str | None = None, out=None) -> int:
    """Print the table (``paper``: one paper's rows; ``measured``: costs measured from this
    folder's build of that scale, ``paper`` or ``quick``, instead of the stored ones)."""
    out = sys.stdout if out is None else out
    root = repository()
    targets = load_targets(root)
    papers = sorted({t["paper"] for t in targets.values()})
    if paper is not None and paper not in papers:
        print(f"error: no paper {paper!r}; the papers are {', '.join(papers)}", file=sys.stderr)
        return 1
    live = None
    if measured is not None:
        live = measured_costs(Path.cwd(), None if measured == "paper" else measured)
    out.write("CPU: seconds of the target's whole chain built alone from an empty results/ "
              "(measured on 2 cores; times vary between machines)\n")
    current = None
    for name, t in targets.items():
        if paper is not None and t["paper"] != paper:
            continue
        if t["paper"] != current:
            current = t["paper"]
            out.write(f"\n{current} paper\n{'target':<30} {'paper figure':<24} "
                      f"{'paper scale':>11} {'quick':>7}  what it shows\n")
        cost = dict(t.get("cpu_s") or {})
        if live is not None:
            cost[measured] = live.get(name)
        out.write(f"{'figures/' + name + '.pdf':<30} {t['figure']:<24} "
                  f"{_cost(cost.get('paper')):>11} {_cost(cost.get('quick')):>7}  {t['shows']}\n")
    out.write("\nquick scale: figures/quick/<name>.pdf with --configfile config/quick.yaml\n")
    return 0
