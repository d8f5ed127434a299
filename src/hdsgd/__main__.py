"""Command line of the hdsgd pipeline (``hdsgd`` or ``python -m hdsgd``); see :data:`HELP`."""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

HELP = """\
Audit, repair and list the figures of the hdsgd pipeline (run it in the repository).

  hdsgd targets            every figure target: paper figure, what it shows, its cost
  hdsgd lineage FILE       every file that fed a figure, stage file or table, with hashes,
                           seeds and config values; exit 1 if one is stale or inconsistent
  hdsgd inspect FILE       summarise a stage file (.npz), table (.csv) or figure (.pdf)
  hdsgd repair [ARGS]      rebuild every truncated, corrupt, swapped, missing or stale file
                           of a variant, then run `snakemake ARGS` (same ARGS as snakemake)
  hdsgd check-scorecard    exit 1 if a scorecard row fails without a stated difference
"""


def _summary(name: str, arr: np.ndarray) -> str:
    if arr.dtype.kind in "fiuc" and arr.size:
        finite = arr[np.isfinite(arr)] if arr.dtype.kind in "fc" else arr
        rng = (f"min {finite.min():.4g} max {finite.max():.4g} mean {finite.mean():.4g}"
               if finite.size else "no finite values")
        nonfinite = arr.size - finite.size
        extra = f", {nonfinite} non-finite" if nonfinite else ""
        return f"  {name:<24} {str(arr.dtype):<8} {str(arr.shape):<20} {rng}{extra}"
    return f"  {name:<24} {str(arr.dtype):<8} {str(arr.shape):<20}"


def _column_summary(name: str, col) -> str:
    """dtype, range (numbers) or distinct values (text), missing values, of one CSV column."""
    import pandas as pd

    missing = int(col.isna().sum())
    extra = f", {missing} missing" if missing else ""
    if pd.api.types.is_bool_dtype(col):
        desc = f"{int(col.sum())} true of {len(col)}"
    elif pd.api.types.is_numeric_dtype(col):
        vals = col.to_numpy(dtype=float)
        finite = vals[np.isfinite(vals)]
        nonfinite = int((~np.isfinite(vals)).sum()) - missing
        desc = (f"min {finite.min():.4g} max {finite.max():.4g}" if finite.size
                else "no finite values")
        if nonfinite:
            extra += f", {nonfinite} infinite"
    else:
        uniq = col.dropna().astype(str).unique()
        shown = ", ".join(uniq[:4]) + (", ..." if len(uniq) > 4 else "")
        desc = f"{len(uniq)} distinct: {shown}"
        desc = desc if len(desc) <= 70 else desc[:67] + "..."
    return f"  {name:<24} {str(col.dtype):<8} {desc}{extra}"


def _provenance_lines(prov: dict, out) -> None:
    from hdsgd.lineage import short

    out.write(f"seed: {prov.get('seed')}\n")
    out.write("params:\n" + json.dumps(prov.get("params", {}), indent=2, sort_keys=True) + "\n")
    out.write("versions: " + ", ".join(f"{k} {v}" for k, v in prov.get("versions", {}).items())
              + "\n")
    out.write("inputs:\n")
    for inp in prov.get("inputs", []):
        out.write(f"  {inp['path']}  sha256 {short(inp.get('sha256'))}\n")


def inspect(path: str, out=sys.stdout) -> int:
    """Summarise a stage file, table or figure; return 1 if its lineage is not current."""
    from hdsgd.lineage import format_lineage, is_current, is_pdf, lineage, short
    from hdsgd.stages import file_sha256, load_stage, read_table

    if path.endswith(".pdf") or is_pdf(path):
        nodes, _ = lineage(path)
        out.write(f"figure {path} (PDF, sha256 {short(file_sha256(path))}), built from:\n")
        out.write(format_lineage(nodes))
        return 0 if is_current(nodes) else 1
    if path.endswith(".csv"):
        df = read_table(path)
        out.write(f"table {path}: {len(df)} rows, {len(df.columns)} columns "
                  f"(sha256 {short(file_sha256(path))})\n")
        for name in df.columns:
            out.write(_column_summary(str(name), df[name]) + "\n")
        try:
            with open(path + ".prov.json") as fh:
                prov = json.load(fh)
        except FileNotFoundError:
            out.write("(no provenance sidecar)\n")
        else:
            _provenance_lines(prov, out)
        return 0
    st = load_stage(path)
    out.write(f"stage file {path} (sha256 {short(file_sha256(path))})\n")
    _provenance_lines(st.provenance, out)
    out.write("arrays:\n")
    for name in st:
        out.write(_summary(name, st[name]) + "\n")
    return 0


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
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["repair"] and argv[1:] not in (["-h"], ["--help"]):
        from hdsgd.integrity import repair  # everything after it goes to Snakemake as given

        return repair(argv[1:])
    parser = argparse.ArgumentParser(prog="hdsgd", description=HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p_targets = sub.add_parser("targets", help="every figure target with its paper figure, "
                                               "what it shows and its cost")
    p_targets.add_argument("--paper", help="only the targets of this paper (e.g. alignment)")
    p_targets.add_argument("--measured", choices=["paper", "quick"],
                           help="costs measured from the build of that scale in this folder "
                                "(its logs and Snakemake records) instead of the stored ones")
    p_inspect = sub.add_parser("inspect", help="summarise a stage file, table or figure with "
                                               "its provenance")
    p_inspect.add_argument("file")
    p_lineage = sub.add_parser("lineage", help="every file that fed a figure or stage, with "
                                               "hashes, seeds and config; exit 1 if stale or "
                                               "inconsistent")
    p_lineage.add_argument("file")
    p_lineage.add_argument("--json", action="store_true", help="machine-readable output")
    sub.add_parser("repair", help="rebuild what is truncated, corrupt, swapped, missing or "
                                  "stale, then run snakemake with the same arguments",
                   usage="hdsgd repair [TARGETS] [SNAKEMAKE OPTIONS]")
    p_check = sub.add_parser("check-scorecard",
                             help="exit 1 if a scorecard row fails without a stated difference")
    p_check.add_argument("file", nargs="?", default="figures/scorecard.csv")
    args = parser.parse_args(argv)
    if args.command == "check-scorecard":
        return check_scorecard(args.file)
    if args.command == "targets":
        from hdsgd.targets import print_targets

        return print_targets(paper=args.paper, measured=args.measured)
    from hdsgd.stages import StageFileError

    try:
        if args.command == "inspect":
            return inspect(args.file)
        from dataclasses import asdict
        from pathlib import Path

        from hdsgd.lineage import format_lineage, is_current, lineage

        if not Path(args.file).exists():
            raise StageFileError(f"{args.file} does not exist")
        nodes, _ = lineage(args.file)
        if args.json:
            print(json.dumps([asdict(n) for n in nodes], indent=1, default=str))
        else:
            print(format_lineage(nodes), end="")
        return 0 if is_current(nodes) else 1
    except StageFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
