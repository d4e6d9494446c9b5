"""Reads of the register of legality checks: every query starts from the one access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from legal_statistics.models import Registration, RegistrationState
from prosecution.offices import access
from prosecution.offices.access import Viewer


def in_register(user: Viewer) -> QuerySet[Registration]:
    """The entries `user` may see: those of the register they serve in (the Committee and below)
    and those of checks appointed in their own subtree."""
    base = Registration.objects.all()
    return (
        access.visible_to(user, base) | access.visible_to(user, base, office_field="check_office")
    ).select_related(
        "legality_check", "legality_check__office", "check_office", "sent_by", "decided_by"
    )


def register_queue(user: Viewer) -> QuerySet[Registration]:
    """What waits for a decision, oldest first (registration_queue_idx)."""
    return in_register(user).filter(state=RegistrationState.PENDING).order_by("sent_at", "pk")
