"""Reads of acts: every query starts from the one access policy (Art. 5(2))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from acts.models import (
    CLAIMABLE_STATES,
    DECIDED_STATES,
    PENDING_STATES,
    SUPERVISION_KINDS,
    Act,
    ActEvent,
    ActEventKind,
    ActKind,
    ActState,
)
from acts.rules import is_head, is_superior, may_sign
from acts.tasks import DOCUMENT_ATTEMPTS
from appeals.models import Appeal
from prosecution.models import Term, TermState
from prosecution.offices import access
from prosecution.offices.access import Viewer
from supervision.models import Check, CheckState


@dataclass
class ActFilters:
    kind: str = ""
    state: str = ""
    late: bool = False  # only acts with a term missed, overdue or met late
    text: str = ""  # a register number or a part of the addressee's name, or a BIN/IIN


def late_terms() -> QuerySet[Term]:
    """Terms of acts that are late: missed, open past their due date, or met after it."""
    today = timezone.localdate()
    return Term.objects.filter(
        subject_type=ContentType.objects.get_for_model(Act),
    ).filter(
        Q(state=TermState.MISSED)
        | Q(state=TermState.OPEN, due_date__lt=today)
        | Q(state=TermState.MET, met_on__gt=F("due_date"))
    )


def documents_lost(signed_before: datetime) -> QuerySet[Act, int]:
    """The signed acts that still have no documents and were not signed after `signed_before`
    (a SIGNED event since then means their own message may still be on its way), and whose build
    has not failed DOCUMENT_ATTEMPTS times yet (then a person looks into it): the ids, oldest
    first (acts/tasks.py rescue_act_documents)."""
    recently = ActEvent.objects.filter(
        act=OuterRef("pk"), kind=ActEventKind.SIGNED, at__gte=signed_before
    )
    lost = _without_documents(Q(failures__lt=DOCUMENT_ATTEMPTS)).exclude(Exists(recently))
    return lost.values_list("pk", flat=True)


def _without_documents(failures: Q) -> QuerySet[Act]:
    """The signed acts that have no documents and whose failed builds (`failures`, their number)
    meet `failures`, oldest first."""
    failed = (
        ActEvent.objects.filter(act=OuterRef("pk"), kind=ActEventKind.DOCUMENTS_FAILED)
        .order_by()
        .values("act")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Act.objects.exclude(state=ActState.DRAFT)
        .filter(documents__isnull=True)
        .annotate(failures=Coalesce(Subquery(failed), 0))
        .filter(failures)
        .order_by("pk")
    )


def documents_given_up(act: Act) -> bool:
    """Whether the act's documents failed to build as often as the rescue tries: its page says
    so, instead of "being prepared"."""
    failures = act.events.filter(kind=ActEventKind.DOCUMENTS_FAILED).count()
    return failures >= DOCUMENT_ATTEMPTS and not act.documents.exists()


def documents_failed() -> QuerySet[Act]:
    """The signed acts without documents whose builds failed DOCUMENT_ATTEMPTS times: those
    `manage.py build_act_documents` builds."""
    return _without_documents(Q(failures__gte=DOCUMENT_ATTEMPTS))


def acts_in_scope(user: Viewer, filters: ActFilters | None = None) -> QuerySet[Act]:
    """The acts `user` may see (their office and below; classified ones only with clearance),
    newest first, filtered by kind, state, lateness and text."""
    filters = filters or ActFilters()
    acts = access.visible_to(user, Act.objects.all(), office_field="office_path")
    if filters.kind:
        acts = acts.filter(kind=filters.kind)
    if filters.state:
        acts = acts.filter(state=filters.state)
    if filters.late:
        acts = acts.filter(Exists(late_terms().filter(subject_id=OuterRef("pk"))))
    if filters.text:
        text = filters.text.strip()
        acts = acts.filter(
            Q(register_number__icontains=text)
            | Q(addressee_number=text)
            | Q(addressee_name__icontains=text)
        )
    return acts.select_related("office", "signatory").order_by("-created_at", "-pk")


def get_act_or_404(user: Viewer, uuid: str) -> Act:
    return access.get_visible_or_404(
        user,
        Act.objects.select_related(
            "office", "signatory", "drafted_by", "basis_check", "basis_appeal", "basis_act"
        ),
        office_field="office_path",
        uuid=uuid,
    )


LIVE_STATES = (*PENDING_STATES, *DECIDED_STATES)


def allowed_actions(act: Act, user: Viewer) -> list[str]:
    """The actions the act's page offers `user` now (the services decide again on submit)."""
    if not isinstance(user, User) or not access.may(user, "change", act):
        return []
    state, kind = act.state, act.kind
    actions = []
    if state == ActState.DRAFT:
        actions.append("correct")
        if may_sign(user, kind):
            actions.append("sign")
    if state == ActState.SIGNED:
        actions.append("deliver")
    considered = kind in (ActKind.PROTEST, ActKind.SUBMISSION)
    if considered and state in (ActState.DELIVERED, ActState.UNDER_CONSIDERATION):
        actions.append("consideration")
    if state in (ActState.DELIVERED, ActState.UNDER_CONSIDERATION):
        actions.append("decide")
    unsuspended = act.protested_act_suspended_on is None
    if kind == ActKind.PROTEST and state in PENDING_STATES and unsuspended and is_head(user):
        actions.append("suspend_protested")
    if (
        kind == ActKind.SUBMISSION
        and state in (ActState.SATISFIED, ActState.PARTLY_SATISFIED, ActState.REJECTED)
        and act.result_reported_on is None
    ):
        actions.append("report")
    if state in PENDING_STATES and (user == act.signatory or is_superior(user, act)):
        actions.append("withdraw")
    if kind in SUPERVISION_KINDS and state in CLAIMABLE_STATES:
        actions.append("claim")
    if state != ActState.DRAFT:
        actions.append("complaint")
    if is_superior(user, act) and access.may(user, "decide", act):
        if state in (*LIVE_STATES, ActState.SUSPENDED):
            actions.append("superior")
        if state == ActState.SUSPENDED:
            actions.append("lift")
    return actions


def checks_for_basis(user: Viewer) -> QuerySet[Check]:
    """Checks an act may rest on (Art. 32(2)): started ones in the user's scope."""
    started = Check.objects.filter(state__in=[CheckState.RUNNING, CheckState.COMPLETED])
    return access.visible_to(user, started, office_field="office_path").order_by(
        "-resolution_date", "-pk"
    )


def appeals_in_scope(user: Viewer) -> QuerySet[Appeal]:
    return access.visible_to(user, Appeal.objects.all())


def appeal_in_scope(user: Viewer, reference: str, *, kind: str = "") -> Appeal | None:
    """An appeal by its registration number, if `user` may see it (else None: not told)."""
    reference = (reference or "").strip()
    if not reference:
        return None
    appeals = appeals_in_scope(user).filter(reference=reference)
    return (appeals.filter(kind=kind) if kind else appeals).first()
