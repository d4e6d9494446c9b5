"""The sweep's claims of open terms: a chunk at a time, nearest due first, each chunk after the last
(keyset paging), each in a transaction of its own. Marking terms missed (engine.mark_missed) and the
reminders (reminders.send_reminders) both go this way."""

from collections.abc import Callable, Collection
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from prosecution.lib import bulk
from prosecution.models import Term

CHUNK = 5000
# The order in which the sweep claims open terms: the nearest due first, along term_open_due_idx.
# Ordered by id, PostgreSQL walked the primary key and filtered, and each chunk walked again past
# every row the chunks before it had claimed: at a million terms the reminders' claim read
# five million rows (bench/README.md). Each chunk starts after the last one (_past).
CLAIM_ORDER = ("due_date", "pk")


def claim_in_chunks(
    terms: QuerySet[Term],
    *,
    fields: Collection[str],
    handle: Callable[[list[Any]], int],
    **changes: Any,
) -> int:
    """Claim `terms` CHUNK at a time in CLAIM_ORDER (bulk.claim: `changes` set, `fields`
    loaded), each chunk in a transaction of its own in which `handle(chunk)` writes what the
    change causes; the sum of what `handle` returns. The marking of missed terms and the
    reminders both go this way."""
    terms = terms.order_by(*CLAIM_ORDER)
    rest, done = terms, 0
    while True:
        with transaction.atomic():
            chunk = bulk.claim(rest, limit=CHUNK, fields=fields, **changes)
            if not chunk:
                return done
            done += handle(chunk)
        rest = _past(terms, chunk)


def _past(terms: QuerySet[Term], chunk: list[Any]) -> QuerySet[Term]:
    """`terms` after the last of `chunk` in CLAIM_ORDER: the next chunk starts where this one
    ended instead of walking again past the rows just claimed (still in the index until a
    VACUUM). A row another sweep held (SKIP LOCKED) and then let go is left to the next sweep,
    a minute later."""
    last = max(chunk, key=lambda term: (term.due_date, term.pk))
    return terms.filter(due_date__gte=last.due_date).exclude(
        due_date=last.due_date, pk__lte=last.pk
    )
