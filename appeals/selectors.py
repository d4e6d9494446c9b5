"""Every read of appeals beyond a .get(): querysets already scoped by the access policy
(prosecution/offices/access.py), with the answer term's due date beside each appeal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OrderBy, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from appeals.models import CLOSED_STATES, Appeal, AppealEvent, AppealState
from appeals.workflow import ANSWER_TERM_KINDS
from prosecution import workdays
from prosecution.models import ACTIVE_STATES, Office, Term
from prosecution.offices import access
from prosecution.offices.access import Viewer
from supervision.models import Check

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Due(TypedDict):
    due: date | None  # the running answer term's due date


# An appeal as the lists read it: with `due` beside it.
AppealWithDue: TypeAlias = "WithAnnotations[Appeal, _Due]"


def _due_subquery() -> Subquery:
    return Subquery(
        Term.objects.filter(
            subject_type=ContentType.objects.get_for_model(Appeal),
            subject_id=OuterRef("pk"),
            kind__in=ANSWER_TERM_KINDS,
            state__in=ACTIVE_STATES,
        )
        .order_by("due_date")
        .values("due_date")[:1]
    )


def visible_appeals(user: Viewer) -> QuerySet[AppealWithDue]:
    """Appeals of the user's office and every office below it (one prefix match on the copied
    path), or shared with them; each with `due` (the running answer term's due date, or None)."""
    queryset = Appeal.objects.select_related("office", "executor").annotate(due=_due_subquery())
    return access.visible_to(user, queryset, office_field="office_path")


def my_queue(user: Viewer) -> QuerySet[AppealWithDue]:
    """ "My work": open appeals the person executes or co-executes, by due date, overdue first
    (and those with no running term, e.g. awaiting a check, last)."""
    mine = Q(executor=user) | Q(co_executors=user)
    return (
        visible_appeals(user)
        .filter(mine)
        .exclude(state__in=CLOSED_STATES)
        .distinct()
        .order_by(_nulls_last("due"), "received_on", "pk")
    )


def may_hand_out(user: Viewer) -> bool:
    """Whether the person names executors (assign_appeal: the head of the office or a deputy)."""
    profile = access.staff_profile(user)
    return profile is not None and access.may(user, "assign_appeal", profile.office)


def to_hand_out(user: Viewer) -> QuerySet[AppealWithDue]:
    """ "To hand out": the new appeals of the person's own office that nobody executes yet, the
    oldest first (their 15 working days run from receipt, Art. 24(3), whether or not anyone
    has them). Offices below hand out their own. Read through appeal_scope_idx (the office's
    path, the state, the date received: equality on the first two, in the order of the third).
    Empty for those who do not assign."""
    profile = access.staff_profile(user)
    if profile is None or not may_hand_out(user):
        return visible_appeals(user).none()
    return (
        visible_appeals(user)
        .filter(
            office_path=profile.office.path,
            state=AppealState.REGISTERED,
            executor__isnull=True,
        )
        .order_by("received_on", "pk")
    )


def _nulls_last(field: str) -> OrderBy:
    return F(field).asc(nulls_last=True)


@dataclass(frozen=True)
class AppealFilters:
    q: str = ""
    state: str = ""
    office: Office | None = None
    channel: str = ""
    kind: str = ""
    term: str = ""  # "overdue", "soon" (within 3 working days), "open"
    mine: bool = False


def search(user: Viewer, filters: AppealFilters) -> QuerySet[AppealWithDue]:
    """Search by number, applicant, IIN/BIN and text; filter by state, office, term, channel."""
    queryset = visible_appeals(user)
    if filters.mine:
        queryset = queryset.filter(Q(executor=user) | Q(co_executors=user))
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.office is not None:
        queryset = queryset.filter(office_path__startswith=filters.office.path)
    if filters.term:
        today = timezone.localdate()
        if filters.term == "overdue":
            queryset = queryset.filter(due__lt=today)
        elif filters.term == "soon":
            queryset = queryset.filter(due__gte=today, due__lte=workdays.add_working_days(today, 3))
        elif filters.term == "open":
            # django-stubs types an annotation's __isnull by the annotation (a date), not a bool.
            queryset = queryset.filter(due__isnull=False)  # type: ignore[misc]
    q = filters.q.strip()
    if q:
        queryset = queryset.filter(_text_match(q))
    order = ("-received_on", "-pk") if not filters.term else (_nulls_last("due"), "pk")
    return queryset.distinct().order_by(*order)


def _text_match(q: str) -> Q:
    if q.isdigit() and len(q) == 12:  # an IIN or a BIN: exact, indexed
        return Q(applicants__iin=q) | Q(applicants__bin=q)
    return (
        Q(reference__icontains=q)
        | Q(applicants__last_name__icontains=q)
        | Q(applicants__organisation__icontains=q)
        | Q(summary__icontains=q)
        | Q(text__icontains=q)
    )


def same_applicant(appeal: Appeal) -> QuerySet[Appeal]:
    """Other appeals of the same applicant (Art. 24(8)): by IIN or BIN, or by last and first name
    together with the same e-mail address or phone (an earlier appeal may lack the IIN)."""
    match = Q(pk__in=[])
    for applicant in appeal.applicants.all():
        if applicant.iin:
            match |= Q(applicants__iin=applicant.iin)
        if applicant.bin:
            match |= Q(applicants__bin=applicant.bin)
        if applicant.last_name and (applicant.email or applicant.phone):
            contact = Q(pk__in=[])
            if applicant.email:
                contact |= Q(applicants__email__iexact=applicant.email)
            if applicant.phone:
                contact |= Q(applicants__phone=applicant.phone)
            match |= (
                Q(applicants__last_name__iexact=applicant.last_name)
                & Q(applicants__first_name__iexact=applicant.first_name)
                & contact
            )
    return Appeal.objects.filter(match).exclude(pk=appeal.pk).distinct()


def earlier_appeals(user: Viewer, appeal: Appeal) -> QuerySet[AppealWithDue]:
    """What staff see when they triage: the applicant's earlier appeals, with their answers,
    among those the user may see."""
    ids = same_applicant(appeal).filter(received_on__lte=appeal.received_on).values("pk")
    return visible_appeals(user).filter(pk__in=ids).order_by("-received_on", "-pk")


def appeal_terms(appeal: Appeal) -> QuerySet[Term]:
    return (
        Term.objects.filter(
            subject_type=ContentType.objects.get_for_model(Appeal), subject_id=appeal.pk
        )
        .prefetch_related("events__by")
        .order_by("start_date", "pk")
    )


def timeline(appeal: Appeal) -> list[AppealEvent]:
    """The appeal's history, oldest first."""
    return list(appeal.events.select_related("by").order_by("at", "pk"))


def visible_check(user: Viewer, appeal: Appeal) -> Check | None:
    """The legality check linked to the appeal, if the user may see it: a classified check, or
    one outside the user's scope, is neither named nor linked on the appeal's page (its
    registration number is the check's, not the appeal's), only said to exist."""
    if appeal.legality_check_id is None:
        return None
    checks = Check.objects.filter(pk=appeal.legality_check_id).select_related("registration")
    return access.visible_to(user, checks, office_field="office_path").first()
