"""Stage files: numeric arrays with provenance, written atomically.

A stage file is an ``.npz`` archive holding the stage's arrays plus one extra entry,
``__provenance__``, a JSON string with the stage's parameters (inside a workflow job: its
rule's params, by name, see :mod:`hdsgd.job`), its seed, the shape of every array, the
versions of the packages that computed it and the sha256 of every upstream file. Nothing
time-dependent goes in, so the same inputs and seed give a byte-identical file.

Reading checks what was recorded: every array has its recorded shape, and inside a workflow
job the recorded params agree with the job's own wherever both give a value
(:func:`hdsgd.job.check_provenance`), so a file swapped in from another run stops the job.

Tidy tables are CSV files with a sidecar ``<name>.prov.json`` carrying the same provenance and
the table's own sha256.
Every write goes to a temporary file in the target folder and is moved into place with
``os.replace``: a job killed mid-write never leaves a file that looks complete.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

PROVENANCE_KEY = "__provenance__"
REPAIR_HINT = "run `hdsgd repair` with this build's arguments to rebuild it"


class StageFileError(RuntimeError):
    """A stage file is missing, truncated, not a stage file, or cannot be written."""


class ProvenanceMismatchError(StageFileError):
    """A stage file was made with other config values (or another seed) than the job needs,
    or its arrays do not have their recorded shapes."""


class NonFiniteStageError(ValueError):
    """A stage would write NaN or infinite values that it does not declare as legitimate."""


def package_versions() -> dict[str, str]:
    """Versions of the packages whose arithmetic enters a stage file (read from the installed
    distributions: a stage that never imports matplotlib does not pay for importing it)."""
    from importlib.metadata import PackageNotFoundError, version

    from hdsgd import __version__

    out = {"hdsgd": __version__, "python": platform.python_version()}
    for name in ("numpy", "scipy", "pandas", "matplotlib"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def jsonable(value):
    """``value`` with mappings, tuples, numpy scalars/arrays and paths made JSON types."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    return value


def _recorded_params(path, params: Mapping | None) -> dict:
    """The params a stage records: inside a workflow job its rule's params (so that a reader
    can compare them with its own, :func:`hdsgd.job.check_provenance`), else ``params``."""
    from hdsgd.job import current

    job = current()
    if job is None:
        return jsonable(dict(params or {}))
    if params is not None:
        raise ValueError(f"stage {path}: inside a workflow job the rule's params are recorded; "
                         "do not pass params=")
    return job.params


def make_provenance(params: Mapping | None = None, seed=None,
                    inputs: Iterable[str | os.PathLike] = (), shapes: Mapping | None = None,
                    path=None) -> dict:
    """Provenance record: stage parameters, seed, array shapes, package versions, upstream
    file hashes."""
    upstream = []
    for p in inputs:
        p = Path(p)
        upstream.append({"path": str(p), "sha256": file_sha256(p) if p.is_file() else None})
    prov = {
        "params": _recorded_params(path, params),
        "seed": jsonable(seed),
        "versions": package_versions(),
        "inputs": upstream,
    }
    if shapes is not None:
        prov["shapes"] = {k: list(v) for k, v in shapes.items()}
    return prov


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The file gets the mode an ordinary ``open()`` would give (0666 less the umask, so 0644
    under the usual 022), not ``mkstemp``'s private 0600: a group can audit a shared build.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except PermissionError as exc:
        where = exc.filename or path.parent
        raise StageFileError(f"cannot write {path}: permission denied on {where} (make the "
                             "results directory writable, or build in a writable copy)") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _flat_params(params: Mapping, prefix: str = "") -> list[tuple[str, object]]:
    out = []
    for k, v in params.items():
        if isinstance(v, Mapping):
            out += _flat_params(v, f"{prefix}{k}.")
        else:
            out.append((f"{prefix}{k}", v))
    return out


def check_finite_arrays(path, arrays: Mapping[str, np.ndarray], params: Mapping | None,
                        allow_nonfinite: Iterable[str] = ()) -> None:
    """Raise :class:`NonFiniteStageError` if a float array not in ``allow_nonfinite`` has a NaN
    or an infinity; the message names the stage file, the array and the config values it used.
    """
    allowed = set(allow_nonfinite)
    unknown = allowed - set(arrays)
    if unknown:
        raise ValueError(f"stage {path}: allow_nonfinite names no array {sorted(unknown)}")
    for name, arr in arrays.items():
        if name in allowed or arr.dtype.kind not in "fc" or arr.size == 0:
            continue
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        if bad:
            values = ", ".join(f"{k}={v}" for k, v in _flat_params(params or {})
                               if isinstance(v, (int, float)) and not isinstance(v, bool))
            if len(values) > 300:
                values = values[:297] + "..."
            from hdsgd.config_validation import SECTIONS

            folders = [p for p in Path(path).parts[:-1] if p in SECTIONS]
            section = f" of config section '{folders[0]}'" if folders else ""
            raise NonFiniteStageError(
                f"stage {path}: array {name!r} has {bad} non-finite values (of {arr.size}); "
                f"nothing was written. Likely cause: a config value{section} this stage used "
                f"({values or 'no numeric parameters'}), e.g. a step size beyond the "
                "stability limit. An array that records divergence on purpose is declared "
                "with save_stage(..., allow_nonfinite=[name]).")


def save_stage(path, arrays: Mapping[str, np.ndarray], *, params: Mapping | None = None,
               seed=None, inputs: Iterable[str | os.PathLike] = (),
               allow_nonfinite: Iterable[str] = ()) -> None:
    """Write ``arrays`` and their provenance to ``path`` (an ``.npz``), atomically.

    Float arrays must be finite, except those named in ``allow_nonfinite`` (arrays that record
    divergence a figure is about, e.g. SGD losses beyond the stability edge): a NaN elsewhere
    raises :class:`NonFiniteStageError` and nothing is written.
    """
    if PROVENANCE_KEY in arrays:
        raise ValueError(f"array name {PROVENANCE_KEY!r} is reserved")
    payload = {k: np.asarray(v) for k, v in arrays.items()}
    check_finite_arrays(path, payload, _recorded_params(path, params), allow_nonfinite)
    prov = make_provenance(params, seed, inputs, {k: v.shape for k, v in payload.items()},
                           path=path)
    payload[PROVENANCE_KEY] = np.array(json.dumps(prov, sort_keys=True))
    buf = io.BytesIO()
    np.savez(buf, **payload)
    _atomic_write_bytes(Path(path), buf.getvalue())


class Stage(Mapping):
    """A loaded stage file: a read-only mapping of arrays with ``.provenance``."""

    def __init__(self, path, arrays: dict[str, np.ndarray], provenance: dict):
        self.path = Path(path)
        self._arrays = arrays
        self.provenance = provenance

    @property
    def params(self) -> dict:
        return self.provenance.get("params", {})

    def __getitem__(self, key):
        try:
            return self._arrays[key]
        except KeyError:
            raise KeyError(f"stage file {self.path} has no array {key!r}; "
                           f"it has {sorted(self._arrays)}") from None

    def __iter__(self):
        return iter(self._arrays)

    def __len__(self):
        return len(self._arrays)


def load_stage(path) -> Stage:
    """Load a stage file; raise :class:`StageFileError` naming the file if it is unusable:
    missing, truncated, without provenance, an array not of its recorded shape, or (inside a
    workflow job) made with other config values than the job's (:mod:`hdsgd.job`)."""
    path = Path(path)
    if not path.is_file():
        raise StageFileError(f"stage file {path} does not exist")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise StageFileError(f"stage file {path} is corrupt or truncated ({exc}): "
                             f"{REPAIR_HINT}") from exc
    if PROVENANCE_KEY not in arrays:
        raise StageFileError(f"stage file {path} has no provenance record")
    try:
        prov = json.loads(str(arrays.pop(PROVENANCE_KEY)))
    except json.JSONDecodeError as exc:
        raise StageFileError(f"stage file {path} has an unreadable provenance record") from exc
    for name, shape in (prov.get("shapes") or {}).items():
        if name not in arrays or list(arrays[name].shape) != list(shape):
            got = "no such array" if name not in arrays else f"shape {arrays[name].shape}"
            raise ProvenanceMismatchError(f"stage file {path}: array {name!r} was recorded with "
                                          f"shape {tuple(shape)}, the file has {got}: "
                                          f"{REPAIR_HINT}")
    from hdsgd.job import check_provenance

    check_provenance(path, prov)
    return Stage(path, arrays, prov)


def write_table(df, path, *, params: Mapping | None = None, seed=None,
                inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Write a tidy table as CSV (atomically) with a provenance sidecar ``path.prov.json``
    (which also records the table's own sha256, so that a truncated or edited table is found
    on read and by :func:`hdsgd.integrity.scan`)."""
    path = Path(path)
    data = df.to_csv(index=False, float_format="%.10g").encode()
    prov = make_provenance(params, seed, inputs, path=path)
    prov["sha256"] = hashlib.sha256(data).hexdigest()
    _atomic_write_bytes(path, data)
    _atomic_write_bytes(Path(str(path) + ".prov.json"),
                        (json.dumps(prov, indent=1, sort_keys=True) + "\n").encode())


def table_provenance(path) -> dict | None:
    """The provenance sidecar ``<table>.prov.json`` of a table, or None if it has none."""
    side = Path(str(path) + ".prov.json")
    if not side.is_file():
        return None
    try:
        return json.loads(side.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StageFileError(f"table {path}: its provenance {side} is corrupt ({exc}): "
                             f"{REPAIR_HINT}") from None


def read_table(path):
    """Read a tidy CSV table; raise :class:`StageFileError` naming the file if unusable.

    Inside a workflow job, a table with a provenance sidecar is checked against the job's
    params like a stage file (:func:`hdsgd.job.check_provenance`)."""
    import pandas as pd

    from hdsgd.job import check_provenance

    path = Path(path)
    if not path.is_file():
        raise StageFileError(f"table {path} does not exist")
    prov = table_provenance(path)
    if prov is not None and prov.get("sha256") and file_sha256(path) != prov["sha256"]:
        raise StageFileError(f"table {path} is truncated or corrupt (its sha256 is not the one "
                             f"its provenance records): {REPAIR_HINT}")
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise StageFileError(f"table {path} is corrupt ({exc}): {REPAIR_HINT}") from exc
    if prov is not None:
        check_provenance(path, prov)
    return df
