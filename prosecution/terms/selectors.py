"""Reads of the terms, already scoped by the access policy."""

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet

from prosecution.models import ACTIVE_STATES, Term, TermEvent, TermEventKind
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


def was_extended() -> Exists:
    """The term was extended by a decision at least once: Art. 24(4) (an appeal's answer, by the
    head or a deputy) or Art. 18(4) (a check, by up to 30 working days). The terms engine
    (prosecution/terms/engine.py extend_term) logs each extension as an "extended" event, whether
    it added days (extended_by) or set a new date (fixed_due, which a term may also get when
    opened): the event is the one mark of every extension."""
    return Exists(TermEvent.objects.filter(term=OuterRef("pk"), kind=TermEventKind.EXTENDED))
