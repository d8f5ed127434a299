"""Integrity of a variant's results: find the files a rebuild must redo after a fault.

Snakemake decides what to rebuild from modification times, params and code. It cannot see a
stage file that was truncated or corrupted on disk, one copied over from another run (another
seed, another size, another variant), an intermediate deleted while the files made from it
remain ("Nothing to be done"), or a downstream file that is older in content than its inputs
although its modification time says it is current. :func:`scan` finds each of these from two
records written when the files were built:

* Snakemake's metadata of every output (``.snakemake/metadata``): the rule, its params and
  the sha256 of every small input (Snakemake keeps checksums of inputs under 1 MB) when the
  job ran, and the job's end time (the output's modification time then);
* the provenance every stage file and table carries (:mod:`hdsgd.stages`): the params of the
  job that wrote it, its array shapes, the sha256 of the table itself and of every input.

Checks, per recorded output of the variant (``results/<variant>/...``, ``figures/<variant>/``):

* **missing**: a file that is gone while a file made from it exists;
* **corrupt or truncated**: a stage file whose zip directory, provenance record or array headers
  cannot be read, or whose arrays do not have their recorded shapes; a table whose bytes do not
  have the sha256 its provenance records. A file modified after its job ended (or every file,
  with ``deep=True``) is also read in full, which checks every array's CRC;
* **swapped**: a stage file or table whose provenance disagrees with Snakemake's record of the
  job that wrote this path (params by value: another seed, another size), or that was made from
  the files of another variant;
* **stale**: a file made from an input whose content has changed since, while its modification
  time is newer than that input's (so Snakemake considers it current).

Each finding is a :class:`Fault`: the file whose job must rerun (then everything downstream of
it, Snakemake's ``--forcerun FILE``) and what is wrong, in one clause. The cheap checks read the
zip directories and provenance records only (well under a second for a paper-scale build);
``deep=True`` (``hdsgd repair``) reads every stage file in full and hashes every input.
"""

from __future__ import annotations

import ast
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hdsgd.lineage import recorded_outputs
from hdsgd.stages import PROVENANCE_KEY, file_sha256, jsonable


@dataclass(frozen=True)
class Fault:
    """A file to rebuild (with everything made from it) and why, in one clause."""

    path: str
    problem: str

    def line(self) -> str:
        return f"{self.path} {self.problem}"


def variant_roots(variant: str | None) -> tuple[str, str]:
    """``(results root, figures root)`` of a variant: ``results``, ``figures`` at paper scale,
    ``results/<variant>``, ``figures/<variant>`` for a variant (see the Snakefile's pathvars)."""
    return ("results", "figures") if not variant else (f"results/{variant}", f"figures/{variant}")


def in_results(path: str, results_root: str, sections) -> bool:
    """Whether ``path`` is a file of this variant's results, ``<results>/<section>/...`` (not
    one of another variant's, ``results/<variant>/...``, under the paper-scale root)."""
    if not path.startswith(results_root + "/"):
        return False
    rest = path[len(results_root) + 1:]
    return "/" in rest and rest.split("/", 1)[0] in sections


def in_variant(path: str, results_root: str, figures_root: str, sections) -> bool:
    """Whether ``path`` belongs to the variant with these roots: its results, or a file
    directly in ``<figures>`` (not in the folder of another variant under it)."""
    if path.startswith(figures_root + "/"):
        return "/" not in path[len(figures_root) + 1:]
    return in_results(path, results_root, sections)


# ---------------------------------------------------------------- one file


def _npz_headers(zf: zipfile.ZipFile) -> dict[str, tuple]:
    """Shape of every array of an ``.npz`` from its ``.npy`` headers (no array is read)."""
    shapes = {}
    for name in zf.namelist():
        if not name.endswith(".npy"):
            continue
        with zf.open(name) as fh:
            version = np.lib.format.read_magic(fh)
            read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                    else np.lib.format.read_array_header_2_0)
            shape, _, _ = read(fh)
        shapes[name[:-4]] = tuple(shape)
    return shapes


def stage_file_problem(path, deep: bool = False) -> tuple[str | None, dict | None]:
    """``(problem, provenance)`` of a stage file; ``problem`` is None when its zip directory
    and provenance record are readable and it has every array its provenance records.

    ``deep``: also every array's bytes against their CRC and its shape against the recorded
    one (this reads the whole file; the default reads the zip directory and provenance only)."""
    try:
        with zipfile.ZipFile(path) as zf:
            with zf.open(PROVENANCE_KEY + ".npy") as fh:
                prov = json.loads(str(np.lib.format.read_array(fh, allow_pickle=False)))
            names = {n[:-4] for n in zf.namelist() if n.endswith(".npy")}
            bad = zf.testzip() if deep else None
            shapes = _npz_headers(zf) if deep else {}
    except KeyError:
        return "has no provenance record (not a stage file)", None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, json.JSONDecodeError) as exc:
        return f"is truncated or corrupt ({type(exc).__name__}: {exc})", None
    if bad is not None:
        return f"is corrupt (array {bad[:-4]!r} fails its CRC check)", prov
    for name, shape in (prov.get("shapes") or {}).items():
        if name not in names:
            return f"is corrupt (it has no array {name!r}, which its provenance records)", prov
        if deep and tuple(shape) != shapes[name]:
            return (f"is corrupt (array {name!r} was recorded with shape {tuple(shape)}, "
                    f"the file has shape {shapes[name]})"), prov
    return None, prov


def table_problem(path) -> tuple[str | None, dict | None]:
    """``(problem, provenance)`` of a table with a provenance sidecar: its bytes must have the
    sha256 the sidecar records (tables without a sidecar are not checked)."""
    side = Path(str(path) + ".prov.json")
    if not side.is_file():
        return None, None
    try:
        prov = json.loads(side.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"has a corrupt provenance sidecar {side.name} ({exc})", None
    recorded = prov.get("sha256")
    if recorded and file_sha256(path) != recorded:
        return "is truncated or corrupt (its sha256 is not the one its provenance records)", prov
    return None, prov


def by_rule_params(prov: dict) -> bool:
    """Whether a provenance record holds its job's params by rule-param name (stage files
    that record their array shapes, tables that record their own sha256); files written by
    earlier versions are checked for their structure only."""
    return "shapes" in prov or "sha256" in prov


def _canonical(value) -> str:
    return json.dumps(jsonable(value), sort_keys=True)


def params_difference(recorded: list[str], named: dict):
    """How params by name (``named``: a provenance's, or a job's) differ from the params
    Snakemake recorded for a job (``recorded``: the text of each value; Snakemake keeps no
    names): None if every recorded value is one of ``named``'s values (or a recorded value is
    not comparable text), else ``(dotted key, value in named, recorded value)`` for the first
    recorded value that is not, compared with the param of the same structure (``key`` is
    None when no param has that structure)."""
    from hdsgd.job import first_difference

    try:
        values = [jsonable(ast.literal_eval(r)) for r in recorded]
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None  # a value Snakemake could only record as text: not comparable
    mine = {_canonical(v) for v in named.values()}
    for value in values:
        if _canonical(value) in mine:
            continue
        best = None
        for name, have in named.items():
            diff = first_difference({name: have}, {name: value})
            if diff is None:
                continue
            same_keys = isinstance(have, dict) and isinstance(value, dict) and set(have) == set(
                value)
            if best is None or (same_keys and not best[0]):
                best = (same_keys, diff)
        return (None, None, None) if best is None else best[1]
    return None


def record_disagreement(record: dict, prov: dict) -> str | None:
    """How the provenance params of a file differ from the params Snakemake recorded for the
    job that wrote its path (see :func:`params_difference`), or None if they agree."""
    from hdsgd.job import describe

    made = prov.get("params")
    if not isinstance(made, dict) or not record.get("params") or not by_rule_params(prov):
        return None
    diff = params_difference(record["params"], made)
    if diff is None:
        return None
    key, was, needs = diff
    if key is None:
        return "was made with other config values than the job Snakemake recorded for it"
    return (f"was made with {describe(key, was)}, but Snakemake's record of the job that "
            f"wrote it has {describe(key, needs)} (a file copied from another run?)")


def foreign_inputs(prov: dict, results_root: str, sections) -> str | None:
    """The first input of a stage file that lies in another variant's results, if any."""
    for inp in prov.get("inputs") or []:
        p = os.path.normpath(str(inp.get("path", "")))
        if p.startswith("results/") and not in_results(p, results_root, sections):
            return p
    return None


# ---------------------------------------------------------------- the scan


def scan(workdir, variant: str | None, sections, *, deep: bool = False,
         producible=None) -> list[Fault]:
    """Every fault among the recorded outputs of ``variant`` in ``workdir`` (see the module
    docstring), one per file to rebuild, in path order.

    ``producible(path, rule)``: whether the workflow can still make ``path`` with ``rule``
    (records of files no rule makes any more are skipped)."""
    workdir = Path(workdir)
    results_root, figures_root = variant_roots(variant)
    records = {p: r for p, r in recorded_outputs(
                   workdir, lambda p: in_variant(p, results_root, figures_root, sections)).items()
               if producible is None or producible(p, r.get("rule"))}
    exists = {p: (workdir / p).is_file() for p in records}
    mtimes: dict[str, float | None] = {}
    hashes: dict[str, str | None] = {}

    def mtime(p):
        if p not in mtimes:
            try:
                mtimes[p] = (workdir / p).stat().st_mtime
            except OSError:
                mtimes[p] = None
        return mtimes[p]

    def sha(p):
        if p not in hashes:
            try:
                hashes[p] = file_sha256(workdir / p)
            except OSError:
                hashes[p] = None
        return hashes[p]

    faults: dict[str, str] = {}
    provenance: dict[str, dict] = {}
    modified: set[str] = set()
    consumers: dict[str, list[str]] = {}
    for p, rec in records.items():
        for inp in rec.get("input") or []:
            consumers.setdefault(os.path.normpath(inp), []).append(p)

    for p, rec in sorted(records.items()):
        if not exists[p]:
            made_from = sorted(c for c in consumers.get(p, []) if exists.get(c))
            if made_from:
                faults[p] = f"is missing, but files made from it remain ({made_from[0]})"
            continue
        if rec.get("endtime") is not None and mtime(p) > float(rec["endtime"]) + 1e-3:
            modified.add(p)  # written after its job ended: read it in full
        if p.endswith(".npz"):
            problem, prov = stage_file_problem(workdir / p, deep=deep or p in modified)
        elif p.endswith(".csv"):
            problem, prov = table_problem(workdir / p)
        else:
            problem, prov = None, None
        if prov is not None and not by_rule_params(prov):
            prov = None  # written by an earlier version: its structure is checked only
        if problem is None and prov is not None:
            problem = record_disagreement(rec, prov)
            foreign = foreign_inputs(prov, results_root, sections)
            if problem is None and foreign:
                problem = f"was made from {foreign}, a file of another variant"
        if problem:
            faults[p] = problem
        elif prov is not None:
            provenance[p] = prov

    # stale: made from another version of an input than the one on disk, yet newer than it
    for p, rec in sorted(records.items()):
        if p in faults or not exists[p]:
            continue
        checks = rec.get("input_checksums") or {}
        made_with = {os.path.normpath(i["path"]): i.get("sha256")
                     for i in (provenance.get(p) or {}).get("inputs") or []}
        copied = p in modified  # changed (or copied in) after its job wrote it
        for inp in rec.get("input") or []:
            inp = os.path.normpath(inp)
            if inp not in records or inp in faults or not exists.get(inp):
                continue
            if mtime(inp) > mtime(p):
                continue  # Snakemake reruns p itself (its input is newer)
            # what Snakemake's job read (inputs under 1 MB), and what the file's own
            # provenance says it was made from (hashing a large input only when needed)
            used = [checks.get(inp)]
            if deep or copied or mtime(inp) > float(rec.get("starttime") or 0):
                used.append(made_with.get(inp))
            if any(u and u.split(":", 1)[-1] != sha(inp) for u in used):
                faults[p] = (f"is stale: it was made from another version of {inp} than the "
                             "one on disk (which is older than it, so Snakemake keeps it)")
                break
    return [Fault(p, faults[p]) for p in sorted(faults)]


# ---------------------------------------------------------------- before any job, and repair

# Snakemake options that do not build (inspection, bookkeeping, a cluster job building one
# target for its parent run): the scan before any job is skipped for them. --forceall rebuilds
# everything anyway.
NOT_BUILDING = frozenset({
    "--unlock", "--lint", "--report", "--touch", "-t", "--list-rules", "--list", "-l",
    "--list-target-rules", "--lt", "--summary", "-S", "--detailed-summary", "-D", "--dag",
    "--rulegraph", "--filegraph", "--d3dag", "--list-changes", "--lc", "--list-code-changes",
    "--list-input-changes", "--list-params-changes", "--li", "--lp", "--cleanup-metadata",
    "--cm", "--delete-all-output", "--delete-temp-output", "--target-jobs", "--containerize",
    "--print-compilation", "--archive", "--generate-unit-tests", "--version", "-v", "--help",
    "-h", "--forceall", "-F", "--conda-create-envs-only", "--cleanup-shadow",
})


def builds(argv) -> bool:
    """Whether a Snakemake command line builds (or dry-runs a build) in this process."""
    return not any(a.split("=", 1)[0] in NOT_BUILDING for a in argv[1:])


def reports(argv) -> bool:
    """Whether a Snakemake command line writes the HTML report (``--report``)."""
    return any(a.split("=", 1)[0] == "--report" for a in argv[1:])


def without_option(argv, option: str) -> list[str]:
    """``argv`` without ``option`` and the value(s) given to it."""
    out, skipping = [], False
    for arg in argv:
        if arg == option or arg.startswith(option + "="):
            skipping = arg == option
            continue
        if skipping and not arg.startswith("-"):
            skipping = False  # --report takes one value
            continue
        skipping = False
        out.append(arg)
    return out


def forced(argv) -> set[str]:
    """Files and rules given to ``--forcerun``/``-R`` on a Snakemake command line."""
    from hdsgd.config_validation import option_values

    return {os.path.normpath(v) for v in option_values(argv, ("--forcerun", "-R"))}


def repair_command(argv) -> str:
    """The ``hdsgd repair`` line that reruns a Snakemake command line with repair."""
    import shlex

    return shlex.join(["hdsgd", "repair", *argv[1:]])


def repair(args, *, out=None) -> int:
    """``hdsgd repair [targets] [snakemake options]``: scan the variant these options select
    in full (:func:`scan` with ``deep=True``), print one line per file to rebuild, then run
    Snakemake with those options plus ``--forcerun`` of those files, which reruns each one's
    job and every job downstream of it; returns Snakemake's exit status."""
    import subprocess
    import sys

    from hdsgd.config_validation import SECTIONS, ConfigError, variant_of_command_line

    out = sys.stderr if out is None else out
    argv = ["snakemake", *args]
    try:
        variant = variant_of_command_line(argv)
    except ConfigError as exc:
        print(f"error: {exc}", file=out)
        return 1
    faults = [f for f in scan(Path.cwd(), variant, SECTIONS, deep=True)
              if f.path not in forced(argv)]
    for f in faults:
        print(f"repair: {f.line()}: rebuilding it and every file made from it", file=out)
    if not faults:
        print(f"repair: every recorded file of {variant_roots(variant)[0]}/ is intact and "
              "consistent; running Snakemake as asked", file=out)
    extra = ["--forcerun", *(f.path for f in faults)] if faults else []
    return subprocess.call([sys.executable, "-m", "snakemake", *args, *extra])


def unwritable(folders, sections) -> str | None:
    """The first folder a build of these roots (``<results>``, ``<figures>``, ``<logs>``)
    could not write in: an existing folder of the variant without write permission (or on a
    read-only file system), or, for a root not made yet, its nearest existing parent."""
    for root in folders:
        root = Path(root)
        if not root.exists():
            parent = next(p for p in root.parents if p.exists() or p == Path("."))
            if not os.access(parent, os.W_OK):
                return str(parent)
            continue
        if not os.access(root, os.W_OK):
            return str(root)
        for section in sections:
            for folder, _, _ in os.walk(root / section):
                if not os.access(folder, os.W_OK):
                    return folder
    return None
