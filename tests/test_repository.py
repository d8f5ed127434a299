"""The repository explains itself: nothing in it points to material outside it."""

import re
import subprocess
from pathlib import Path

from .conftest import REPO

# built from parts; this file itself is not scanned
OUTSIDE = re.compile("|".join([
    r"brief\s*\u00a7",                 # a numbered section of the brief
    r"\(" + "brief[,)]", r"\b" + "brief:",
    r"\bthe " + r"brief\b",
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
        if path.resolve() == Path(__file__).resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(REPO)}:{i}: {line.strip()[:80]}")
    assert not hits, "references to material outside the repository:\n" + "\n".join(hits)


def test_the_pattern_catches_each_form():
    word = "brief"
    for line in [f"see {word} \u00a73.2", f"N = 1000 ({word}, Fig 2)", f"{word}: 0.97",
                 f"the {word}'s reconstruction", "shared" + "/papers/x.md", "../" + "shared/x"]:
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search("a brief note on the alignment")
