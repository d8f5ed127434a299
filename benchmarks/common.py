"""Shared by the benchmark scripts: a ``--quick`` flag and one machine-readable line per ratio.

``quick_args(parser, **reduced)`` adds ``--quick`` (reduced sizes that run in seconds; an
option given explicitly on the command line wins) and parses. ``ratio(what, slow_s, fast_s)``
prints ``RATIO | <what> | <slow> s | <fast> s | <ratio>x``, the line ``run_all.py`` collects.
"""

from __future__ import annotations

import argparse


def quick_args(parser: argparse.ArgumentParser, argv=None, **reduced) -> argparse.Namespace:
    """Parse, with ``--quick`` replacing the defaults named in ``reduced``."""
    parser.add_argument("--quick", action="store_true",
                        help="reduced sizes (seconds), as run by benchmarks/run_all.py: "
                             + ", ".join(f"{k}={v}" for k, v in reduced.items()))
    args = parser.parse_args(argv)
    if args.quick:
        for key, value in reduced.items():
            if getattr(args, key) == parser.get_default(key):
                setattr(args, key, value)
    return args


def ratio(what: str, slow_s: float, fast_s: float) -> float:
    """Print the machine-readable ratio line for ``run_all.py``; return slow / fast."""
    r = slow_s / fast_s if fast_s > 0 else float("inf")
    print(f"RATIO | {what} | {slow_s:.4g} s | {fast_s:.4g} s | {r:.2f}x", flush=True)
    return r
