"""Reads of the register of legality checks: every query starts from the one access policy."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from legal_statistics.models import Registration, RegistrationState
from prosecution.offices import access
from prosecution.offices.access import Viewer

_SHOWN_WITH = (
    "legality_check",
    "legality_check__office",
    "check_office",
    "sent_by",
    "decided_by",
)


def in_register(user: Viewer) -> QuerySet[Registration]:
    """The entries `user` may see: those of the register they serve in (the Committee and below)
    and those of checks appointed in their own subtree."""
    base = Registration.objects.all()
    return (
        access.visible_to(user, base) | access.visible_to(user, base, office_field="check_office")
    ).select_related(*_SHOWN_WITH)


def register_queue(user: Viewer) -> QuerySet[Registration]:
    """What waits for a decision, oldest first (registration_queue_idx)."""
    return in_register(user).filter(state=RegistrationState.PENDING).order_by("sent_at", "pk")


def register_queue_page(user: Viewer, number: str | None, per_page: int = 50) -> Page[Registration]:
    """One page of the queue, in two steps: the page's ids, then its 50 entries with what they
    show. (In one query PostgreSQL joins the check, its office and two users to every waiting
    entry before it sorts them: ~1 s at 33,000 waiting, bench/bench_supervision.py; the two steps
    keep the page near the count.)"""
    ids = register_queue(user).select_related(None).values_list("pk", flat=True)
    ids_page = Paginator(ids, per_page).get_page(number)
    shown = Registration.objects.select_related(*_SHOWN_WITH).in_bulk(list(ids_page.object_list))
    entries = [shown[pk] for pk in ids_page.object_list]
    # The ids' paginator keeps the count and the page numbers; the page holds the entries.
    return Page(entries, ids_page.number, ids_page.paginator)  # type: ignore[arg-type]
