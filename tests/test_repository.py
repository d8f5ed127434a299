"""The repository explains itself: nothing in it points to material outside it."""

import re
import subprocess

from .conftest import REPO

# built from parts so that this file does not match itself
OUTSIDE = re.compile("|".join([
    r"brief\s*" + "\u00a7",            # "brief §3"
    r"\(brief[,)]|\bbrief:",            # "(brief, Fig 2)", "brief: N = 1000"
    r"\bthe " + "brief\\b",
    "shared" + "/papers", r"\.\./" + "shared", "/work/" + "shared",
]), re.I)


def _tracked_text_files():
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True)
    if out.returncode != 0:  # not a git checkout: every file under the repository
        return [p for p in REPO.rglob("*") if p.is_file() and ".git" not in p.parts]
    return [REPO / f for f in out.stdout.split()]


def test_nothing_points_outside_the_repository():
    hits = []
    for path in _tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(REPO)}:{i}: {line.strip()[:80]}")
    assert not hits, "references to material outside the repository:\n" + "\n".join(hits)
