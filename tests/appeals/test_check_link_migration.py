"""Migration appeals 0007_check_link: an appeal's check, a string until then, becomes a link to
the check it names (by registration or resolution number); a string that names no check stays."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.appeal_helpers import register
from tests.check_helpers import registered

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("appeals", "0006_extension_told"), ("supervision", "0003_check_result")]
AFTER = [("appeals", "0007_check_link")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_check_strings_become_links_and_unmatched_ones_are_kept(cast, cc):
    check = registered(cc, resolution_number="15-01/77")
    by_resolution = registered(cc, resolution_number="15-01/78")
    appeals = [register(cast)[0] for _ in range(4)]
    try:
        old = _migrate(BEFORE)
        Appeal = old.get_model("appeals", "Appeal")
        texts = [check.registration.reference, " 15-01/78 ", "КУИ-2020-1", ""]
        for appeal, text in zip(appeals, texts, strict=True):
            Appeal.objects.filter(pk=appeal.pk).update(
                check_reference=text, check_appointed_on=date(2026, 11, 2)
            )
        new = _migrate(AFTER)
        Appeal = new.get_model("appeals", "Appeal")
        rows = {
            a.pk: (a.legality_check_id, a.check_reference)
            for a in Appeal.objects.filter(pk__in=[a.pk for a in appeals])
        }
        assert rows[appeals[0].pk] == (check.pk, "")
        assert rows[appeals[1].pk] == (by_resolution.pk, "")
        assert rows[appeals[2].pk] == (None, "КУИ-2020-1")  # kept: nothing is lost
        assert rows[appeals[3].pk] == (None, "")
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
