"""Command line.

``python -m hdsgd inspect FILE`` prints a stage file's provenance and arrays;
``python -m hdsgd check-scorecard [CSV]`` exits 1 when any scorecard row fails without a stated
difference from the paper (CI runs it after the quick build).
"""

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


def check_scorecard(path: str, out=sys.stdout) -> int:
    """Print every failing row; return 1 if any fails without a stated difference."""
    from hdsgd.agreement import unexplained_failures
    from hdsgd.scorecard import collect, verdict

    df = collect([path])
    bad = unexplained_failures(df)
    for r in df.to_dict("records"):
        if not r["pass"]:
            out.write(f"{r['figure']}: {r['claim']}: measured {r['measured']:.4g}, need "
                      f"{r['comparison']} {r['tolerance']:.4g}: {verdict(r)}\n")
    out.write(f"{path}: {int(df['pass'].sum())} of {len(df)} rows pass, "
              f"{len(bad)} fail without a stated difference\n")
    return 1 if bad or not len(df) else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hdsgd", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_inspect = sub.add_parser("inspect", help="print a stage file's provenance and arrays")
    p_inspect.add_argument("file")
    p_check = sub.add_parser("check-scorecard",
                             help="exit 1 if a scorecard row fails without a stated difference")
    p_check.add_argument("file", nargs="?", default="figures/scorecard.csv")
    args = parser.parse_args(argv)
    if args.command == "check-scorecard":
        return check_scorecard(args.file)
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
