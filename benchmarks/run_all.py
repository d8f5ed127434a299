"""Run every benchmark at a reduced size and print one table of the speed ratios.

    python benchmarks/run_all.py            # every bench_*.py with --quick (a few minutes)
    python benchmarks/run_all.py --full     # paper sizes (much longer)
    python benchmarks/run_all.py gf_grid    # only scripts whose name contains "gf_grid"

Each script measures its fast path and its reference side by side in one run and prints one
``RATIO | what | slow s | fast s | ratio`` line per comparison (``benchmarks/common.py``); a
ratio below 1 means the fast path has become slower than its reference. Exit status 1 if a
script fails or prints no ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: Path, full: bool, timeout: float) -> tuple[list[list[str]], str, float]:
    cmd = [sys.executable, str(script)] + ([] if full else ["--quick"])
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return [], f"timed out after {timeout:.0f} s", time.perf_counter() - t0
    wall = time.perf_counter() - t0
    rows = [[c.strip() for c in line.split("|")[1:]] for line in proc.stdout.splitlines()
            if line.startswith("RATIO |")]
    error = "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return rows, error, wall


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("only", nargs="*", help="run only scripts whose name contains one of these")
    ap.add_argument("--full", action="store_true", help="paper sizes instead of --quick")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per script")
    args = ap.parse_args(argv)
    scripts = sorted(p for p in HERE.glob("bench_*.py")
                     if not args.only or any(o in p.stem for o in args.only))
    table, failed = [], []
    for script in scripts:
        print(f"running {script.name}{'' if args.full else ' --quick'} ...", flush=True)
        rows, error, wall = run(script, args.full, args.timeout)
        if error or not rows:
            failed.append(f"{script.name}: {error or 'no RATIO line'}")
        table += [[script.stem.removeprefix("bench_"), *r] for r in rows]
        print(f"  {len(rows)} ratios in {wall:.1f} s", flush=True)
    head = ["benchmark", "compares (slow vs fast)", "slow", "fast", "ratio"]
    widths = [max(len(str(r[i])) for r in [head, *table]) for i in range(len(head))]
    print()
    for r in [head, ["-" * w for w in widths], *table]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    for f in failed:
        print(f"FAILED {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
