"""Send a stage's stdout/stderr (progress lines, warnings, tracebacks) to its log file."""

from __future__ import annotations

import contextlib
import sys
import traceback
from pathlib import Path


@contextlib.contextmanager
def log_to(path):
    """Redirect stdout and stderr into ``path`` for the duration of the block.

    An exception is written to the log (and re-raised) so the Snakemake log explains a failure.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", buffering=1) as fh:
        old_out, old_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = fh
        try:
            yield fh
        except BaseException:
            traceback.print_exc(file=fh)
            raise
        finally:
            sys.stdout, sys.stderr = old_out, old_err
