"""Reads of the office hierarchy and staff, already scoped by the access policy."""

from django.db.models import QuerySet

from prosecution.models import Office, StaffProfile
from prosecution.offices.access import Reader, visible_to


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


def visible_staff(user: Reader) -> QuerySet[StaffProfile]:
    return visible_to(user, StaffProfile.objects.select_related("user", "office", "class_rank"))
