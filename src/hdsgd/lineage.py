"""Lineage of a figure or stage file: every file that fed it, with hashes, seeds and config.

Two records are read, both written when the files were built:

* Snakemake's own metadata (``.snakemake/metadata/<base64 of the path>``, JSON): for every
  output, the rule, its ``script:``, its params (the config values passed to the script) and
  the sha256 of every input when the job ran (``input_checksums``);
* the provenance each stage file carries (:mod:`hdsgd.stages`): params, seed, package
  versions and the sha256 of every upstream file when the stage wrote it.

Walking the inputs recursively gives every stage file, table and code file that feeds the
target. A file whose recorded hash (in either record) differs from the file on disk now is
flagged: that stage used a different version of it, so the target is not current.
"""

from __future__ import annotations

import ast
import json
import os
import re
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass, field
from pathlib import Path

from hdsgd.job import describe, first_difference
from hdsgd.stages import file_sha256

HASH_CHARS = 16  # hashes are shown with this many hex digits everywhere


def short(sha: str | None) -> str:
    """A sha256 (with or without the ``sha256:`` prefix) shortened to :data:`HASH_CHARS`."""
    if not sha:
        return "-" * HASH_CHARS
    return sha.split(":", 1)[-1][:HASH_CHARS]


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "figure"
    if suffix == ".npz":
        return "stage"
    if suffix in (".csv", ".tsv", ".md"):
        return "table"
    if suffix in (".py", ".smk", ".yaml", ".rst"):
        return "code"
    return "file"


def find_workdir(path: Path) -> Path:
    """The Snakemake working directory of ``path``: the nearest parent with ``.snakemake``."""
    for parent in [path.resolve().parent, *path.resolve().parents]:
        if (parent / ".snakemake" / "metadata").is_dir():
            return parent
    return Path.cwd()


def _metadata_file(workdir: Path, rel: str) -> Path:
    """Where Snakemake keeps the record of output ``rel``: the urlsafe base64 of the path,
    cut into folders ``@<254 characters>`` when longer than a file name may be."""
    b64 = urlsafe_b64encode(rel.encode()).decode()
    parts = [b64[i:i + 254] for i in range(0, len(b64), 254)]
    parts = ["@" + s for s in parts[:-1]] + parts[-1:]
    return workdir / ".snakemake" / "metadata" / Path(*parts)


def snakemake_record(workdir: Path, rel: str) -> dict | None:
    """Snakemake's metadata record of output ``rel`` (relative to ``workdir``), if any."""
    try:
        return json.loads(_metadata_file(workdir, rel).read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def recorded_outputs(workdir: Path, wanted=None) -> dict[str, dict]:
    """Every output Snakemake has a record of in ``workdir`` (path -> record); ``wanted(path)``
    selects paths before their records are read."""
    root = Path(workdir) / ".snakemake" / "metadata"
    out: dict[str, dict] = {}
    for folder, _, files in os.walk(root):
        prefix = "".join(p[1:] for p in Path(folder).relative_to(root).parts)
        for name in files:
            try:
                rel = urlsafe_b64decode(prefix + name).decode()
            except (ValueError, UnicodeDecodeError):
                continue
            if wanted is not None and not wanted(rel):
                continue
            record = snakemake_record(Path(workdir), rel)
            if record is not None:
                out[rel] = record
    return out


def _checked_provenance(path: Path, kind: str) -> tuple[dict | None, str | None]:
    """``(provenance, problem)`` of a stage file (read in full: every array's CRC and
    recorded shape) or of a table (its bytes against the sha256 its sidecar records)."""
    from hdsgd.integrity import stage_file_problem, table_problem

    if not path.is_file():
        return None, None
    if kind == "stage":
        problem, prov = stage_file_problem(path, deep=True)
    elif kind == "table":
        problem, prov = table_problem(path)
    else:
        return None, None
    return prov, problem


def _script_path(record: dict, workdir: Path) -> str | None:
    """The ``script:`` of a rule, relative to the working directory (rules live in
    ``workflow/rules``, scripts are given relative to it).

    A rule made in a loop names its script by a param (``{params.name}_figure.py``), which
    Snakemake formats when the job runs; Snakemake records the params by value only, so the
    path is resolved with each recorded text value and kept when exactly one names a file."""
    code = (record.get("code") or "").strip().strip('"').strip("'")
    if not code.endswith(".py"):
        return None
    path = os.path.normpath(os.path.join("workflow", "rules", code))
    fields = set(re.findall(r"\{params\.(\w+)\}", path))
    if len(fields) != 1:
        return path
    placeholder = "{params." + fields.pop() + "}"
    values = []
    for text in record.get("params") or []:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, str):
            values.append(value)
    found = {path.replace(placeholder, v) for v in values}
    found = sorted(f for f in found if "{" not in f and (workdir / f).is_file())
    return found[0] if len(found) == 1 else path


@dataclass
class Node:
    """One file of the lineage and what was recorded about it."""

    path: str
    kind: str
    sha256: str | None
    rule: str | None = None
    script: str | None = None
    script_sha256: str | None = None
    seed: object = None
    params: dict | None = None
    rule_params: list | None = None
    inputs: list = field(default_factory=list)   # (path, recorded sha256, by whom)
    changed: list = field(default_factory=list)  # (path, recorded sha256, current sha256)
    problems: list = field(default_factory=list)  # what is inconsistent, one line each


def lineage(target) -> tuple[list[Node], Path]:
    """Every file feeding ``target`` (the target first, then depth-first upstream)."""
    target = Path(target)
    workdir = find_workdir(target)
    hashes: dict[str, str | None] = {}

    def current(rel: str) -> str | None:
        if rel not in hashes:
            p = workdir / rel
            hashes[rel] = file_sha256(p) if p.is_file() else None
        return hashes[rel]

    nodes: dict[str, Node] = {}
    order: list[str] = []

    def visit(rel: str) -> None:
        if rel in nodes:
            return
        p = workdir / rel
        node = Node(rel, file_kind(p), current(rel))
        nodes[rel] = node
        order.append(rel)
        record = snakemake_record(workdir, rel)
        recorded: dict[str, tuple[str | None, str]] = {}
        if record:
            node.rule = record.get("rule")
            node.script = _script_path(record, workdir)
            if node.script and "{" not in node.script:
                node.script_sha256 = current(node.script)
            node.rule_params = record.get("params")
            checks = record.get("input_checksums") or {}
            for inp in record.get("input", []):
                recorded[inp] = (checks.get(inp), "snakemake")
        prov, problem = _checked_provenance(p, node.kind)
        if problem:
            node.problems.append(f"{rel} {problem}")
        if prov and record:
            from hdsgd.integrity import record_disagreement

            disagree = record_disagreement(record, prov)
            if disagree:
                node.problems.append(f"{rel} {disagree}")
        if prov:
            node.seed = prov.get("seed")
            node.params = prov.get("params")
            for inp in prov.get("inputs", []):
                rel_inp = os.path.normpath(inp["path"])
                if rel_inp not in recorded or recorded[rel_inp][0] is None:
                    recorded[rel_inp] = (inp.get("sha256"), "stage provenance")
                elif inp.get("sha256") and short(inp["sha256"]) != short(recorded[rel_inp][0]):
                    # the two records disagree: keep both
                    node.changed.append((rel_inp, inp["sha256"], recorded[rel_inp][0]))
        for inp, (sha, by) in recorded.items():
            node.inputs.append((inp, sha, by))
            now = current(inp)
            if sha is not None and (now is None or short(sha) != short(now)):
                node.changed.append((inp, sha, now))
        for inp, _, _ in node.inputs:
            visit(inp)

    rel_target = os.path.relpath(target.resolve(), workdir)
    visit(rel_target)
    for node in nodes.values():
        for inp, _, _ in node.inputs:
            upstream = nodes.get(inp)
            if node.params and upstream is not None and upstream.params:
                diff = first_difference(upstream.params, node.params)
                if diff:
                    key, made, needs = diff
                    node.problems.append(f"{inp} was made with {describe(key, made)}, but "
                                         f"{node.path} (made from it) with {describe(key, needs)}")
    return [nodes[r] for r in order], workdir


def _flat(params, prefix="") -> list[str]:
    out = []
    if isinstance(params, dict):
        for k, v in params.items():
            out += _flat(v, f"{prefix}{k}.")
    else:
        out.append(f"{prefix[:-1]}={json.dumps(params)}")
    return out


def _wrapped(items: list[str], indent: str, width: int = 100) -> list[str]:
    lines, line = [], indent
    for it in items:
        if len(line) + len(it) + 2 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += it + "  "
    if line.strip():
        lines.append(line.rstrip())
    return lines


def is_current(nodes: list[Node]) -> bool:
    """Whether every file of a lineage is intact, consistent with its inputs and current."""
    return not any(n.changed or n.problems for n in nodes)


def format_lineage(nodes: list[Node]) -> str:
    """A readable report: one block per file, inputs with their recorded hashes."""
    n_changed = sum(bool(n.changed) for n in nodes)
    problems = [p for n in nodes for p in n.problems]
    missing = [n.path for n in nodes if n.sha256 is None]
    head = nodes[0]
    verdicts = []
    if n_changed:
        verdicts.append(f"{n_changed} built from inputs that have changed since")
    if problems:
        verdicts.append(f"{len(problems)} inconsistencies")
    lines = [f"lineage of {head.path}: {len(nodes)} files "
             f"({sum(n.kind == 'stage' for n in nodes)} stage files, "
             f"{sum(n.kind == 'table' for n in nodes)} tables, "
             f"{sum(n.kind == 'code' for n in nodes)} code files); "
             + ("; ".join(verdicts) if verdicts else
                "every file is intact, every recorded input matches the files on disk and "
                "every file's config values agree with its inputs'")]
    if missing:
        lines.append(f"missing on disk: {', '.join(missing)}")
    lines += [f"INCONSISTENT: {p}" for p in problems]
    if problems or n_changed:
        lines.append("to rebuild what is inconsistent: hdsgd repair <target> "
                     "[--configfile <the variant's files>]")
    for n in nodes:
        lines.append("")
        lines.append(f"[{n.kind}] {n.path}  sha256 {short(n.sha256)}")
        if n.rule:
            if n.script and "{" in n.script:
                script = f", script {n.script} (not resolved from the record)"
            elif n.script:
                script = f", script {n.script} (sha256 {short(n.script_sha256)})"
            else:
                script = ""
            lines.append(f"    rule {n.rule}{script}")
        elif n.kind in ("figure", "stage", "table"):
            lines.append("    no Snakemake record (built elsewhere, or .snakemake was removed)")
        if n.seed is not None:
            lines.append(f"    seed {json.dumps(n.seed)}")
        if n.params:
            lines.append("    config values used:")
            lines += _wrapped(_flat(n.params), "      ")
        elif n.rule_params:
            lines.append("    rule params: " + "; ".join(str(p) for p in n.rule_params)[:600])
        for inp, sha, by in n.inputs:
            lines.append(f"    <- {inp}  sha256 {short(sha)} (recorded by {by})")
        for inp, was, now in n.changed:
            lines.append(f"    CHANGED: {inp} was {short(was)} when this was built, "
                         f"is {short(now) if now else 'missing'} now")
        for p in n.problems:
            lines.append(f"    INCONSISTENT: {p}")
    return "\n".join(lines) + "\n"


def is_pdf(path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False

