"""The reports counted ahead follow saves and deletes (legal_statistics/reports/tallies.py): a
queryset's update(), bulk_update() or bulk_create() of a record they count, or of its counted
events, sends no signal and would pass the tallies by. No code of the apps writes those models in
bulk. (The statutory terms are written in bulk by the sweep, which marks open terms missed, and by
the calendar's recount of open terms' due dates: no figure counts an open or a missed term, and a
term met is saved, prosecution/terms/engine.py meet_term. They are left out here for that reason:
a figure of missed terms would need the sweep to refresh its records.)"""

import ast
from pathlib import Path

from legal_statistics.reports import REPORTS
from prosecution.models import Term

ROOT = Path(__file__).resolve().parents[3]
APPS = ("appeals", "supervision", "acts", "legal_statistics", "prosecution")
BULK = {"update", "bulk_update", "bulk_create"}
COUNTED = {
    source.model.__name__
    for report in REPORTS.values()
    for source in report.tallied_by
    if source.model is not Term
}


def _root_model(node: ast.expr) -> str | None:
    """The model a chain such as `Appeal.objects.filter(...).update` starts from, if it goes
    through a manager."""
    through_manager = False
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            through_manager |= node.attr in ("objects", "_default_manager")
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id if through_manager else None
        else:
            return None


def _bulk_writes() -> list[str]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in BULK
                    and _root_model(node.func.value) in COUNTED
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_models_counted_ahead_are_never_written_in_bulk():
    assert {"Appeal", "AppealEvent", "Check", "CheckEvent", "Act", "ActEvent"} <= COUNTED
    assert _bulk_writes() == []


def test_the_guard_sees_a_bulk_write_through_a_chain():
    """The guard itself: a chain over several lines, as code writes it, is found."""
    source = "Appeal.objects.filter(\n    pk=1,\n).update(state='x')\nOther.objects.update(a=1)\n"
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in BULK
    ]
    assert [_root_model(call.func.value) for call in calls] == ["Appeal", "Other"]
