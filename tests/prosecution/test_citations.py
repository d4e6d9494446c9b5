"""Every citation in the code resolves inside the repository (issue 12): a comment or docstring that
names a document of docs/ or a file of the project names one that exists, a promise of
docs/security.md by a number it has, and nothing points outside the repository (the team's shared
folder is not part of a checkout)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("prosecution", "appeals", "legal_statistics", "supervision", "acts", "tests", "bench")
SUFFIXES = {".py", ".html", ".txt", ".css", ".md"}

# A module or a document by its path from the project's root (a template is named by its path in
# a template folder, which is not the root's, and is left to Django's own check).
_FILE = re.compile(
    r"(?<![\w./-])((?:docs|prosecution|appeals|legal_statistics|supervision|acts|tests|bench)"
    r"/[\w./-]*\w\.(?:py|md))"
)
_PROMISE = re.compile(r"docs/security\.md,? (\d+(?:[-–, ]+(?:and )?\d+)*)")
_OUTSIDE = re.compile(
    r"\.\./shared|\.\./seeds/|(?<![/\w])(?:RULES|SECURITY|OFFICES|PEERS|STYLE)\.md"
)


def _files() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "Makefile", ROOT / "docker-compose.yml"]
    for top in SOURCES:
        found += [p for p in (ROOT / top).rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return [p for p in found if (p.exists() and "migrations" not in p.parts) or p.suffix == ".py"]


def _promises() -> set[int]:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    return {int(n) for n in re.findall(r'<a id="promise-(\d+)">', text)} or {
        int(n) for n in re.findall(r"^(\d+)\. ", text, re.M)
    }


def test_every_file_a_comment_names_exists():
    missing = []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _FILE.finditer(text):
            name = match.group(1).rstrip(".")
            if not (ROOT / name).exists():
                line = text.count("\n", 0, match.start()) + 1
                missing.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert missing == []


def test_every_promise_cited_is_in_docs_security():
    promises = _promises()
    assert len(promises) >= 20, "docs/security.md's promises were not found"
    unknown = []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _PROMISE.finditer(text):
            for number in map(int, re.findall(r"\d+", match.group(1))):
                if number not in promises:
                    unknown.append(f"{path.relative_to(ROOT)}: docs/security.md {number}")
    assert unknown == []


def test_nothing_is_cited_outside_the_repository():
    outside = []
    for path in _files():
        if path.parts[-2:-1] == ("docs",):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _OUTSIDE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            outside.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert outside == []
