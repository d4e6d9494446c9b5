"""prosecution/lib/bulk.py: many rows in one statement (one JSON document on PostgreSQL) take the
model's defaults for what they leave out, as bulk_create's would, and skip duplicates when asked."""

from datetime import date

import pytest
from django.utils import timezone

from prosecution.lib import bulk
from prosecution.models import Notice, NoticeChannel, NoticeKind, NoticeState, TermEvent

pytestmark = pytest.mark.django_db


def test_rows_left_without_a_value_take_the_model_defaults(cast):
    before = timezone.now()
    rows = [
        {
            "key": f"test:{n}",
            "kind": NoticeKind.DIGEST,
            "channel": NoticeChannel.IN_APP,
            "recipient_id": cast.a_user.pk,
            "language": "kk",
            "context": {"on": "2026-03-20", "items": [{"n": n}]},
            "next_attempt_at": before,
        }
        for n in range(3)
    ]
    bulk.insert(Notice, rows)
    notices = list(Notice.objects.order_by("key"))
    assert [n.context["items"][0]["n"] for n in notices] == [0, 1, 2]
    assert len({n.uuid for n in notices}) == 3  # a default made per row
    for notice in notices:
        assert (notice.state, notice.attempts, notice.body) == (NoticeState.QUEUED, 0, "")
        assert notice.created_at >= before and notice.next_attempt_at == before


def test_duplicates_are_skipped_only_when_asked(cast):
    from django.db import IntegrityError, transaction

    row = {
        "key": "test:same",
        "kind": NoticeKind.DIGEST,
        "channel": NoticeChannel.IN_APP,
        "recipient_id": cast.a_user.pk,
        "language": "ru",
        "context": {},
        "next_attempt_at": timezone.now(),
    }
    bulk.insert(Notice, [row])
    bulk.insert(Notice, [row, {**row, "key": "test:other"}], ignore_conflicts=True)
    assert Notice.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(Notice, [row])


def test_a_column_named_as_a_keyword_is_written(cast):
    from tests.dashboard_terms import make_term

    term = make_term(cast.district_a, date(2026, 3, 20))
    bulk.insert(TermEvent, [{"term_id": term.pk, "kind": "missed", "on": date(2026, 3, 21)}])
    assert TermEvent.objects.get().on == date(2026, 3, 21)
