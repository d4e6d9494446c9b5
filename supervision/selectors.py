"""Reads of legality checks: every query starts from the one access policy (Art. 5(2))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from prosecution.models import Office, Term, TermEventKind, TermKind
from prosecution.offices import access
from prosecution.offices.access import Viewer
from prosecution.terms import engine as terms
from supervision.models import Check


@dataclass
class CheckFilters:
    state: str = ""
    text: str = ""  # a resolution number, a BIN/IIN or a part of the subject's name
    mine: bool = False  # only checks naming the viewer as an inspector


def checks_in_scope(user: Viewer, filters: CheckFilters | None = None) -> QuerySet[Check]:
    """The checks `user` may see (their office and below; classified ones only with clearance),
    newest first, filtered."""
    filters = filters or CheckFilters()
    checks = access.visible_to(user, Check.objects.all(), office_field="office_path")
    if filters.state:
        checks = checks.filter(state=filters.state)
    if filters.text:
        text = filters.text.strip()
        checks = checks.filter(
            Q(resolution_number__icontains=text)
            | Q(subject_number=text)
            | Q(subject_name__icontains=text)
            | Q(registration__reference=text)
        )
    if filters.mine and user is not None and user.is_authenticated:
        checks = checks.filter(inspectors=user)
    return checks.select_related("office", "registration").order_by("-resolution_date", "-pk")


def get_check_or_404(user: Viewer, uuid: str) -> Check:
    return access.get_visible_or_404(
        user,
        Check.objects.select_related("office", "registration", "appointed_by"),
        office_field="office_path",
        uuid=uuid,
    )


@dataclass
class PublicTerm:
    """What the audited subject sees of the term (Art. 19(1)): start, due date, suspensions,
    the extension."""

    start: date | None
    due: date | None
    state: str
    suspensions: list[tuple[date, date | None]]
    extension_days: int
    extended_on: date | None


@dataclass
class PublicCheck:
    """The four items of the public lookup, and nothing else: registered or not, the appointing
    office, the term, the named inspectors."""

    reference: str
    registered_on: date | None
    office: Office
    term: PublicTerm | None
    inspectors: list[str]


def public_lookup(*, reference: str, subject_number: str) -> PublicCheck | None:
    """Art. 19(1): the audited subject checks that a check is registered, by its registration
    number and the subject's own BIN or IIN. A wrong pair finds nothing, whether or not the
    number exists (the caller says the same either way); a classified check is never shown."""
    reference, subject_number = reference.strip(), subject_number.strip().replace(" ", "")
    if not reference or not subject_number:
        return None
    check = (
        Check.objects.filter(
            registration__reference=reference,
            subject_number=subject_number,
            is_classified=False,
        )
        .select_related("office", "registration")
        .first()
    )
    if check is None:
        return None
    assert check.registration is not None  # found through it
    inspectors = [
        user.get_full_name() or user.get_username()
        for user in check.inspectors.order_by("last_name", "first_name")
    ]
    decided = check.registration.decided_at
    return PublicCheck(
        reference=reference,
        registered_on=timezone.localdate(decided) if decided else None,
        office=check.office,
        term=_public_term(check),
        inspectors=inspectors,
    )


def term_of(check: Check) -> Term | None:
    """The check's term (none for a check exempt under Art. 18(4), or not started)."""
    return terms.terms_of(check).filter(kind=TermKind.CHECK_DURATION).first()


def _public_term(check: Check) -> PublicTerm | None:
    term = term_of(check)
    if term is None:
        return None
    suspensions: list[tuple[date, date | None]] = []
    extended_on = None
    for event in term.events.order_by("at", "pk"):
        if event.kind == TermEventKind.SUSPENDED:
            suspensions.append((event.on, None))
        elif event.kind == TermEventKind.RESUMED and suspensions:
            suspensions[-1] = (suspensions[-1][0], event.on)
        elif event.kind == TermEventKind.EXTENDED:
            extended_on = event.on
    return PublicTerm(
        start=term.start_date,
        due=term.due_date,
        state=term.get_state_display(),
        suspensions=suspensions,
        extension_days=term.extended_by,
        extended_on=extended_on,
    )


def acts_of(check: Check, user: Viewer) -> list[Any]:
    """The acts brought on the check's results (Art. 19(2)) that `user` may see (a classified
    act only to the cleared: the one access policy). The acts app links them to the check
    (Act.basis_check, related_name "acts"); read by name, not imported: acts are built on
    supervision, not the other way round."""
    related = getattr(check, "acts", None)
    if related is None:
        return []
    return list(access.visible_to(user, related.all()).order_by("pk"))


def certificate_context(check: Check) -> dict[str, Any]:
    """What the certificate of results says (Art. 19(2); supervision/templates/supervision/
    certificate.html): the check, its resolution and registration, the term, the inspectors,
    the result and the violations found."""
    return {
        "check": check,
        "office": check.office,
        "title": check.registration.reference if check.registration else check.resolution_number,
        "reference_number": check.registration.reference if check.registration else "",
        "date": check.completed_on,
        "term": term_of(check),
        "inspectors": list(check.inspectors.order_by("last_name", "first_name")),
        "signed_by": check.appointed_by,
    }
