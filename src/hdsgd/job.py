"""The workflow job a stage script runs in: its rule's params, recorded and checked.

Every stage script runs inside :func:`stage_job`::

    from hdsgd.job import stage_job

    with stage_job(snakemake):
        ...

which sends the script's output to its log (:func:`hdsgd.logs.log_to`) and makes the rule's
params (the config values Snakemake passes to the job, by name: ``run``, ``fig``, ...)

* the ``params`` recorded in the provenance of every stage file and table the job writes
  (:func:`hdsgd.stages.save_stage`, :func:`hdsgd.stages.write_table`), and
* the values every stage file and table it reads is checked against
  (:func:`check_provenance`): for each config value both the file's provenance and this job's
  rule give (same dotted key, e.g. ``run.seed``), the two must be equal. A file swapped in
  from another run, seed or variant stops the job with one line naming the file and the first
  key that differs::

      error: results/alignment/gmm/simulation.npz was made with seed 1, this run needs seed 0

Expected faults (a missing, corrupt, swapped or unwritable stage file) end the job with that
one line in its log and on the terminal, and exit status 1, never a Python traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

_current: Job | None = None


@dataclass(frozen=True)
class Job:
    """The running job: its rule's name and params (JSON-able, by name)."""

    rule: str
    params: dict


def current() -> Job | None:
    """The job this process runs inside :func:`stage_job`, or None (tests, notebooks)."""
    return _current


@contextlib.contextmanager
def stage_job(snakemake):
    """Run a stage script as the job ``snakemake`` (the object Snakemake gives a script):
    its log (:func:`hdsgd.logs.log_to`) and its rule's params for provenance."""
    from hdsgd.logs import log_to
    from hdsgd.stages import jsonable

    global _current
    previous = _current
    _current = Job(rule=str(snakemake.rule), params=jsonable(dict(snakemake.params.items())))
    try:
        with log_to(snakemake.log[0]):
            yield
    finally:
        _current = previous


def flat_params(params: Mapping, prefix: str = "") -> dict[str, object]:
    """``{"run": {"seed": 0}}`` -> ``{"run.seed": 0}`` (lists stay whole values)."""
    out: dict[str, object] = {}
    for k, v in params.items():
        if isinstance(v, Mapping):
            out.update(flat_params(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def describe(key: str, value) -> str:
    import json

    shown = json.dumps(value) if not isinstance(value, str) else value
    return f"seed {shown}" if key.rsplit(".", 1)[-1] == "seed" else f"{key} = {shown}"


def first_difference(made_with: Mapping, needs: Mapping) -> tuple[str, object, object] | None:
    """The first dotted key both params give with different values: ``(key, made, needed)``.

    Numbers compare by value (``10 == 10.0``); a key only one side gives is not compared."""
    made, need = flat_params(made_with), flat_params(needs)
    for key, value in made.items():
        if key in need and value != need[key]:
            return key, value, need[key]
    return None


def check_provenance(path, provenance: Mapping, needs: Mapping | None = None) -> None:
    """Raise :class:`hdsgd.stages.ProvenanceMismatchError` when the params recorded in
    ``provenance`` (of the file at ``path``) differ from ``needs`` (default: the running job's
    params) in a key both give."""
    from hdsgd.stages import REPAIR_HINT, ProvenanceMismatchError

    if needs is None:
        if _current is None:
            return
        needs = _current.params
    diff = first_difference(provenance.get("params") or {}, needs)
    if diff:
        key, made, need = diff
        raise ProvenanceMismatchError(
            f"{path} was made with {describe(key, made)}, this run needs {describe(key, need)}"
            f" (a file from another run, seed or config): {REPAIR_HINT}")
