"""docs/style.md: never patch the framework (no assignment to a Django class's attribute): find the
hook, or build the mechanism beside it. Read in the source of the application (tests may patch
for a test's length, through monkeypatch): no statement assigns to, or deletes, an attribute of
anything imported from Django or DRF, nor passes it to setattr."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("prosecution", "appeals", "legal_statistics", "acts", "supervision")
FRAMEWORKS = ("django", "rest_framework")


def _from_framework(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in FRAMEWORKS


def _framework_names(tree: ast.Module) -> set[str]:
    """The names a module binds to Django's (or DRF's) modules, classes and functions."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _from_framework(alias.name):
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and _from_framework(node.module):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _patches(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    framework = _framework_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            touched = [t for t in targets if isinstance(t, ast.Attribute)]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("setattr", "delattr")
            and node.args
        ):
            touched = [node.args[0]]
        else:
            continue
        for target in touched:
            if _root(target) in framework:
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def _sources():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_the_application_assigns_to_no_attribute_of_django():
    sources = list(_sources())
    assert len(sources) > 50  # the scan reads the application
    assert [patch for path in sources for patch in _patches(path)] == []


@pytest.mark.parametrize(
    "source",
    [
        "from django.db import transaction\ntransaction.Atomic.__exit__ = None\n",
        "from django.db.transaction import Atomic\nAtomic.__exit__ = None\n",
        "import django.db.transaction as t\nt.Atomic.__exit__ = None\n",
        "from django.db import transaction\nsetattr(transaction.Atomic, '__exit__', None)\n",
        "from rest_framework.views import APIView\nAPIView.throttle_classes += []\n",
    ],
)
def test_the_scan_sees_a_patch(tmp_path, source):
    """The scan is no empty promise: each of these is the patch it refuses."""
    module = tmp_path / "probe.py"
    module.write_text(source, encoding="utf-8")
    assert len(_patches(module)) == 1
