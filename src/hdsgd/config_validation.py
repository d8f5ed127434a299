"""Config checks that stop a run before any job starts, with one line naming the file and key.

* :func:`check_config_files`: every config file parses as YAML, is not empty and holds a
  mapping (Snakemake reads ``--configfile`` files before the Snakefile and reports a syntax
  error with neither file nor line; the default profile calls this first, see
  ``profiles/default/profile.yaml``).
* :func:`check_finite`: no NaN or infinity anywhere in a config section.
* :func:`validate_section`: a section against its JSON schema (draft 2020-12).
* :func:`check_batch`: a batch size (or a list of them) against the size of its data set.
* :func:`check_data_file`: a configured data file exists, is readable and holds the expected
  arrays (``.npz``) or columns (``.csv``).
* :func:`require`: any other cross-key condition a schema cannot express.

Each raises :class:`ConfigError`, whose ``key`` is the dotted key (``gf.fig2.panels[0].
batch_size``); :func:`config_source` finds the config file that set it, so the workflow can
print ``error: <file>: config key '<key>': <what is wrong>``.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

# the config sections, one per paper (the alignment paper has two: k-GMM and XOR); each is also
# the folder of its stage files under results/ (or results/<variant>/)
SECTIONS = ("alignment", "xor", "gf", "gf_real", "exact", "geometry")


class ConfigError(ValueError):
    """Bad configuration; the message names the offending key (``key`` holds it)."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


def _key(section: str, path) -> str:
    out = section
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def key_parts(key: str) -> list[str | int]:
    """``'gf.fig2.panels[0].batch_size'`` -> ``['gf', 'fig2', 'panels', 0, 'batch_size']``."""
    return [int(p[1:-1]) if p.startswith("[") else p
            for p in re.findall(r"\[\d+\]|[^.\[\]]+", key)]


def _error(key: str, message: str) -> ConfigError:
    return ConfigError(f"config key '{key}': {message}", key)


# ---------------------------------------------------------------- config files

def check_config_file(path) -> dict:
    """Load one config file; a syntax error, an empty file or a non-mapping stops here.

    The message is one line: ``<file>, line L, column C: <what YAML found>``.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        what = f"{context}: {problem}" if context else problem
        raise ConfigError(f"{path}{where}: YAML syntax error ({what})") from None
    if data is None:
        raise ConfigError(f"{path}: config file is empty (an override file needs at least one "
                          "section, e.g. 'alignment:')")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: config file must hold a mapping of sections, "
                          f"not a {type(data).__name__}")
    return data


def option_values(argv: Sequence[str], flags: Sequence[str]) -> list[str]:
    """The values given to a multi-valued option (any of ``flags``) on a command line."""
    values, taking = [], False
    for arg in argv[1:]:
        if arg in flags:
            taking = True
            continue
        if arg.startswith(tuple(f"{f}=" for f in flags if f.startswith("--"))):
            values.append(arg.split("=", 1)[1])
            taking = True
            continue
        if arg.startswith("-"):
            taking = False
        elif taking:
            values.append(arg)
    return values


def configfiles_from_argv(argv: Sequence[str]) -> list[str]:
    """The files given to ``--configfile``/``--configfiles`` on a Snakemake command line."""
    return option_values(argv, ("--configfile", "--configfiles"))


def check_config_args(argv: Sequence[str]) -> None:
    """``--config`` may set ``variant`` only (see :func:`check_variant`); Snakemake itself
    stops a dotted key such as ``alignment.runs.gmm.lam=5`` with a traceback."""
    for arg in option_values(argv, ("--config", "-C")):
        key = arg.split("=", 1)[0]
        if key != VARIANT_KEY:
            raise ConfigError(
                f"--config {arg}: --config sets only '{VARIANT_KEY}'; write other values in an "
                f"override file, e.g. 'variant: mine' plus the keys to change, and pass it "
                f"with --configfile (README: Variants)")


def variant_of_command_line(argv: Sequence[str], default: str = "config/config.yaml") -> str | None:
    """The variant a Snakemake command line builds: the last ``variant`` of the default config
    and its ``--configfile`` files, or ``--config variant=NAME`` (None: paper scale)."""
    variant = None
    files = ([default] if Path(default).is_file() else []) + configfiles_from_argv(argv)
    for f in files:
        variant = check_config_file(f).get(VARIANT_KEY, variant)
    for arg in option_values(argv, ("--config", "-C")):
        key, _, value = arg.partition("=")
        if key == VARIANT_KEY:
            variant = yaml.safe_load(value)
    return check_variant({} if variant is None else {VARIANT_KEY: variant}, SECTIONS)


def check_config_files(files) -> None:
    """:func:`check_config_file` on each file."""
    for f in files:
        check_config_file(f)


def _sets(node, parts) -> bool:
    """Whether a loaded config file sets the key ``parts`` (an override replaces a list
    wholesale, so a file that sets the list sets every item of it)."""
    for p in parts:
        if isinstance(p, int):
            return isinstance(node, list)
        if not (isinstance(node, dict) and p in node):
            return False
        node = node[p]
    return True


def check_command_line(argv: Sequence[str] | None = None,
                       default: str = "config/config.yaml") -> None:
    """Check the default config file and every ``--configfile`` of a Snakemake command line;
    on a problem print ``error: <file>, line L, column C: ...`` and exit with status 1."""
    import sys

    argv = sys.argv if argv is None else argv
    files = ([default] if Path(default).is_file() else []) + configfiles_from_argv(argv)
    try:
        check_config_args(argv)
        check_config_files(files)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def config_source(key: str, files: Sequence[str | os.PathLike]) -> str | None:
    """The last of ``files`` (lowest precedence first) that sets ``key``, or None."""
    parts = key_parts(key)
    found = None
    for f in files:
        try:
            node = yaml.safe_load(Path(f).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if _sets(node, parts):
            found = f
    return None if found is None else str(found)


# ---------------------------------------------------------------- values

def check_finite(value, key: str) -> None:
    """Raise :class:`ConfigError` naming the first NaN or infinite number under ``key``."""
    if isinstance(value, float) and not math.isfinite(value):
        raise _error(key, f"{value} is not a finite number")
    if isinstance(value, Mapping):
        for k, v in value.items():
            check_finite(v, f"{key}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            check_finite(v, f"{key}[{i}]")


# a number as YAML 1.2 writes it; PyYAML (YAML 1.1) reads ``1e1`` or ``5e-3`` (no dot) as text
_YAML12_NUMBER = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _yaml12_numbers(node, errors) -> bool:
    """Turn, in place, every text value a schema wants as a number (``type: number`` or
    ``integer``, possibly inside ``anyOf``/``oneOf``) and that YAML 1.2 reads as one
    (``1e1``) into that number (an int for an integer key). Returns whether one changed."""
    changed = False
    stack = list(errors)
    while stack:
        err = stack.pop()
        stack.extend(err.context or ())
        if err.validator != "type" or not isinstance(err.instance, str):
            continue
        wanted = err.validator_value if isinstance(err.validator_value, list) else [
            err.validator_value]
        text = err.instance.strip()
        if not ({"number", "integer"} & set(wanted)) or not _YAML12_NUMBER.match(text):
            continue
        value = float(text)
        if "number" not in wanted:
            if not value.is_integer():
                continue
            value = int(value)
        parent = node
        *head, last = list(err.absolute_path)
        try:
            for p in head:
                parent = parent[p]
            if parent[last] == err.instance:
                parent[last] = value
                changed = True
        except (KeyError, IndexError, TypeError):
            continue
    return changed


def validate_section(config: dict, section: str, schema_path) -> None:
    """Check ``config[section]`` for non-finite numbers, then against its schema.

    A number written as YAML 1.1 reads it as text (``lam: 1e1``: PyYAML wants ``1.0e1``) is
    taken as the number the schema wants, in place. Raises :class:`ConfigError` with a
    one-line message such as
    ``config key 'alignment.runs.gmm.d': -5 is less than the minimum of 2``.
    """
    from jsonschema import Draft202012Validator

    if section not in config:
        raise ConfigError(f"config section '{section}' is missing", section)
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = Draft202012Validator(schema)
    while _yaml12_numbers(config[section], validator.iter_errors(config[section])):
        pass
    check_finite(config[section], section)
    errors = sorted(validator.iter_errors(config[section]), key=lambda e: list(e.path))
    if not errors:
        return
    err = errors[0]
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        key = _key(section, [*err.path, extra[0]])
        raise ConfigError(f"unknown config key '{key}'"
                          f" (allowed: {', '.join(sorted(err.schema.get('properties', {})))})",
                          key)
    raise _error(_key(section, err.path), err.message)


def validate_top_level(config: dict, sections) -> None:
    """Only known sections (and ``variant``) may appear at the top level of the config."""
    unknown = sorted(set(config) - set(sections) - {VARIANT_KEY})
    if unknown:
        raise ConfigError(f"unknown config key '{unknown[0]}' "
                          f"(allowed: {VARIANT_KEY}, {', '.join(sorted(sections))})", unknown[0])


# ---------------------------------------------------------------- variants

VARIANT_KEY = "variant"
_VARIANT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_variant(config: dict, sections, cli_config: Mapping | None = None) -> str | None:
    """The variant a build writes to, or None for the paper-scale default.

    A variant named ``v`` writes its stage files to ``results/v/``, its figures to
    ``figures/v/`` and its logs to ``logs/v/``, so that no override ever replaces the
    paper-scale files (or another variant's). ``variant`` is a plain name (letters, digits,
    ``_ . -``), not a config section (those are folders of ``results/``). ``--config`` sets
    ``variant`` only (:func:`check_config_args`).
    """
    for key, value in dict(cli_config or {}).items():
        if key != VARIANT_KEY:
            check_config_args(["snakemake", "--config", f"{key}={value}"])
    variant = config.get(VARIANT_KEY)
    if variant is None:
        return None
    if not isinstance(variant, str) or not _VARIANT_RE.match(variant):
        raise _error(VARIANT_KEY, f"{variant!r} is not a variant name (letters, digits, "
                                  "'_', '.', '-'; at most 64 characters)")
    if variant in set(sections) | {"scorecard"}:
        raise _error(VARIANT_KEY, f"{variant!r} is the name of a results folder; choose another")
    return variant


def check_overrides_name_a_variant(cli_files: Sequence[str | os.PathLike],
                                   cli_config: Mapping | None = None) -> None:
    """An override file (``--configfile``) that sets any value must name the variant, or a
    later override file (or ``--config variant=NAME``) must: the variant is set after the last
    change, so that an override never writes into the paper-scale ``results/`` (or into the
    folder of a variant that did not ask for its values)."""
    last_change = last_variant = None
    for i, f in enumerate(cli_files):
        try:
            data = yaml.safe_load(Path(f).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        if set(data) - {VARIANT_KEY}:
            last_change = i
        if VARIANT_KEY in data:
            last_variant = i
    if last_change is None or VARIANT_KEY in dict(cli_config or {}):
        return
    if last_variant is None or last_variant < last_change:
        raise ConfigError(
            f"{os.path.relpath(cli_files[last_change])}: an override file must name its "
            f"variant (add a line 'variant: <name>'), so that its results go to "
            f"results/<name>/ and figures/<name>/ and never replace the paper-scale ones")


def require(condition: bool, key: str, message: str) -> None:
    """Raise :class:`ConfigError` for ``key`` unless ``condition`` holds."""
    if not condition:
        raise _error(key, message)


def check_batch(key: str, value, n: int, n_key: str) -> None:
    """A batch size, a list of batch sizes or a ``{start, stop, num}`` span of them must not
    exceed the data size ``n`` (config key ``n_key``): mini-batches are drawn without
    replacement from the ``n`` samples."""
    if isinstance(value, Mapping):
        for part in ("start", "stop"):
            if part in value:
                check_batch(f"{key}.{part}", value[part], n, n_key)
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            check_batch(f"{key}[{i}]", v, n, n_key)
        return
    if value > n:
        raise _error(key, f"batch size {value} exceeds the data size {n_key} = {n}")


# ---------------------------------------------------------------- data files

def _npz_arrays(path: Path) -> dict[str, tuple]:
    """Array names and shapes of an ``.npz`` without loading the arrays."""
    import numpy as np

    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith(".npy"):
                continue
            with zf.open(name) as fh:
                version = np.lib.format.read_magic(fh)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, _, _ = read_header(fh)
            out[name[:-4]] = shape
    return out


def _csv_header_and_rows(path: Path) -> tuple[list[str], int]:
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        rows = sum(1 for _ in reader)
    return header, rows


def check_data_file(key: str, path, *, npz_arrays: Sequence[Sequence[str]] = (),
                    csv_columns: Sequence[str] = (), csv_label_first: bool = False,
                    min_rows: int | None = None, rows_key: str | None = None) -> int:
    """Check a configured data file before any job and return its number of rows.

    ``npz_arrays``: groups of alternatives, each group must have one array present
    (``[["y"], ["K", "X"]]``: ``y`` and one of ``K``, ``X``); the first array of the first
    group gives the row count. ``csv_columns``: header names that must be present.
    ``csv_label_first``: a numeric CSV (optional header) with the label in column 0.
    ``min_rows``: the file must have at least this many rows (the configured sample size,
    config key ``rows_key``).
    """
    p = Path(path)
    if not p.exists():
        raise _error(key, f"data file {path} does not exist")
    if not p.is_file() or not os.access(p, os.R_OK):
        raise _error(key, f"data file {path} is not a readable file")
    suffix = p.suffix.lower()
    try:
        if npz_arrays:
            if suffix != ".npz":
                raise _error(key, f"data file {path} must be an .npz")
            arrays = _npz_arrays(p)
            for group in npz_arrays:
                if not any(a in arrays for a in group):
                    need = " or ".join(group)
                    raise _error(key, f"data file {path} has no array {need} "
                                      f"(it has {', '.join(sorted(arrays)) or 'none'})")
            first = npz_arrays[0][0]
            rows = int(arrays[first][0]) if arrays[first] else 0
        elif csv_columns or csv_label_first:
            if suffix != ".csv":
                raise _error(key, f"data file {path} must be a .csv")
            header, rows = _csv_header_and_rows(p)
            missing = [c for c in csv_columns if c not in header]
            if missing:
                raise _error(key, f"data file {path} lacks the columns {missing}")
            if csv_label_first:
                try:
                    [float(v) for v in header]
                    rows += 1  # no header line
                except ValueError:
                    pass
        else:
            rows = 0
    except ConfigError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise _error(key, f"data file {path} is unreadable ({exc})") from None
    if min_rows is not None and rows < min_rows:
        raise _error(key, f"data file {path} has {rows} rows, fewer than the {min_rows} samples "
                          f"requested by {rows_key or 'the config'}")
    return rows
