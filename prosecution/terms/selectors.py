"""Reads of the terms, already scoped by the access policy."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from prosecution.models import ACTIVE_STATES, Term
from prosecution.offices.access import Viewer, visible_to


def my_active_terms(user: User) -> QuerySet[Term]:
    """The open, suspended and missed terms a person answers for, the most urgent first (the
    term_person_idx index serves it)."""
    return (
        Term.objects.filter(responsible=user, state__in=ACTIVE_STATES)
        .select_related("office")
        .order_by("due_date")
    )


def visible_terms(user: Viewer) -> QuerySet[Term]:
    """Terms of the user's office and everything below it, read from the term table alone
    (office_path is copied onto each term)."""
    return visible_to(
        user, Term.objects.select_related("office", "responsible"), office_field="office_path"
    )
