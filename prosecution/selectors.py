"""Reads of the office hierarchy and staff, already scoped by the access policy."""

from django.db.models import QuerySet

from prosecution.access import visible_to
from prosecution.models import (
    ACTIVE_STATES,
    Notice,
    NoticeChannel,
    NoticeState,
    Office,
    StaffProfile,
    Term,
)


def public_offices() -> QuerySet[Office]:
    """The directory of offices is public (names, addresses): citizens browse it to book a
    reception or to address an appeal."""
    return Office.objects.filter(is_active=True).select_related("parent")


def subtree(office: Office) -> QuerySet[Office]:
    """The office and everything below it: one prefix query on the indexed path."""
    return Office.objects.filter(path__startswith=office.path)


def ancestors(office: Office) -> QuerySet[Office]:
    """The superior chain up to the GPO, root first (the prefixes of the path)."""
    parts = office.path.rstrip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return Office.objects.filter(path__in=prefixes).order_by("depth")


def visible_staff(user) -> QuerySet[StaffProfile]:
    return visible_to(user, StaffProfile.objects.select_related("user", "office", "class_rank"))


def my_active_terms(user) -> QuerySet[Term]:
    """The open, suspended and missed terms a person answers for, the most urgent first (the
    term_person_idx index serves it)."""
    return (
        Term.objects.filter(responsible=user, state__in=ACTIVE_STATES)
        .select_related("office")
        .order_by("due_date")
    )


def visible_terms(user) -> QuerySet[Term]:
    """Terms of the user's office and everything below it, read from the term table alone
    (office_path is copied onto each term)."""
    return visible_to(
        user, Term.objects.select_related("office", "responsible"), office_field="office_path"
    )


def my_notices(user) -> QuerySet[Notice]:
    """The bell: a person's in-app notices that have been delivered, newest first
    (notice_bell_idx). Nobody reads another person's notices, whatever their office."""
    return Notice.objects.filter(
        recipient=user, channel=NoticeChannel.IN_APP, state=NoticeState.SENT
    ).order_by("-created_at", "-pk")


def unread_notice_count(user) -> int:
    return my_notices(user).filter(read_at__isnull=True).count()


def failed_notice_count() -> int:
    """For administrators: notices that ran out of attempts (notice_failed_idx)."""
    return Notice.objects.filter(state=NoticeState.FAILED).count()
