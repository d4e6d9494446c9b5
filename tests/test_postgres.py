"""What only PostgreSQL can show: the prefix index of the office tree, and constraints that hold
under concurrency. Skipped with a visible reason on SQLite (run by the second pass of .ci/run)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections

from prosecution.models import Office
from prosecution.services import create_office

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_office_path_has_a_prefix_index():
    """`path LIKE 'GPO/R-AKMOLA/%'` (every subtree query) needs a varchar_pattern_ops index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'prosecution_office'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("varchar_pattern_ops" in d and "(path" in d for d in definitions), definitions


def test_two_offices_with_one_code_created_at_once_make_exactly_one():
    region = Office.objects.get(code="R-AKMOLA")
    barrier = threading.Barrier(8)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            create_office(
                parent=region,
                code="RACE-1",
                kind="district",
                name_kk="x",
                name_ru="x",
                name_en="x",
            )
            outcomes.append("created")
        except (IntegrityError, ValidationError):
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("created") == 1
    assert Office.objects.filter(code="RACE-1").count() == 1


def test_two_extensions_decided_at_once_never_pass_the_maximum_art_18_4():
    """SELECT ... FOR UPDATE in prosecution/terms.py: without it both threads would read
    extended_by = 0 and each add 20, giving 40 > 30."""
    from datetime import date

    from prosecution import terms
    from prosecution.errors import RuleViolation
    from prosecution.models import Position, Term, TermKind
    from tests.conftest import make_staff

    region = Office.objects.get(code="R-AKMOLA")
    head = make_staff("race_head", region, Position.HEAD)
    term = terms.open_term(
        subject=region,
        kind=TermKind.CHECK_DURATION,
        office=region,
        start_date=date(2026, 2, 2),
        start_event="resolution registered",
    )
    barrier = threading.Barrier(6)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            terms.extend_term(term, by=head, reason="volume", length=20, on=date(2026, 2, 20))
            outcomes.append("extended")
        except RuleViolation:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("extended") == 1, outcomes
    assert Term.objects.get(pk=term.pk).extended_by == 20
