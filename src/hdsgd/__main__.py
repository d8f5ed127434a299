"""Command line: ``python -m hdsgd inspect FILE`` prints a stage file's provenance and arrays."""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np


def _summary(name: str, arr: np.ndarray) -> str:
    if arr.dtype.kind in "fiuc" and arr.size:
        finite = arr[np.isfinite(arr)] if arr.dtype.kind in "fc" else arr
        rng = (f"min {finite.min():.4g} max {finite.max():.4g} mean {finite.mean():.4g}"
               if finite.size else "no finite values")
        nonfinite = arr.size - finite.size
        extra = f", {nonfinite} non-finite" if nonfinite else ""
        return f"  {name:<24} {str(arr.dtype):<8} {str(arr.shape):<20} {rng}{extra}"
    return f"  {name:<24} {str(arr.dtype):<8} {str(arr.shape):<20}"


def inspect(path: str, out=sys.stdout) -> None:
    from hdsgd.stages import load_stage, read_table

    if path.endswith(".csv"):
        df = read_table(path)
        out.write(f"table {path}: {len(df)} rows, columns {list(df.columns)}\n")
        try:
            with open(path + ".prov.json") as fh:
                out.write(fh.read())
        except FileNotFoundError:
            out.write("(no provenance sidecar)\n")
        return
    st = load_stage(path)
    prov = st.provenance
    out.write(f"stage file {path}\n")
    out.write(f"seed: {prov.get('seed')}\n")
    out.write("params:\n" + json.dumps(prov.get("params", {}), indent=2, sort_keys=True) + "\n")
    out.write("versions: " + ", ".join(f"{k} {v}" for k, v in prov.get("versions", {}).items())
              + "\n")
    out.write("inputs:\n")
    for inp in prov.get("inputs", []):
        out.write(f"  {inp['path']}  sha256 {str(inp.get('sha256'))[:16]}\n")
    out.write("arrays:\n")
    for name in st:
        out.write(_summary(name, st[name]) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hdsgd", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_inspect = sub.add_parser("inspect", help="print a stage file's provenance and arrays")
    p_inspect.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "inspect":
        from hdsgd.stages import StageFileError

        try:
            inspect(args.file)
        except StageFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
