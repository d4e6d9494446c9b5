"""Reads of analyses, assessments, requests and summons: every query starts from the one access
policy (Art. 5(2)): the user's office and below, classified records only with clearance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User
from django.db.models import Model, Q, QuerySet

from prosecution.offices import access
from prosecution.offices.access import Viewer
from supervision.models import (
    InformationRequest,
    RequestState,
    Study,
    StudyState,
    Summons,
    SummonsState,
)

_M = TypeVar("_M", bound=Model)


@dataclass
class Filters:
    state: str = ""
    text: str = ""
    mine: bool = False  # only the viewer's own: responsible for, sent or issued by


def studies_in_scope(user: Viewer, kind: str, filters: Filters | None = None) -> QuerySet[Study]:
    filters = filters or Filters()
    rows = access.visible_to(user, Study.objects.filter(kind=kind), office_field="office_path")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.text:
        rows = rows.filter(
            Q(topic__icontains=filters.text.strip()) | Q(scope__icontains=filters.text.strip())
        )
    if filters.mine and isinstance(user, User):
        rows = rows.filter(responsible=user)
    return rows.select_related("office", "responsible", "ordered_by").order_by("-started_on", "-pk")


def requests_in_scope(user: Viewer, filters: Filters | None = None) -> QuerySet[InformationRequest]:
    filters = filters or Filters()
    rows = access.visible_to(user, InformationRequest.objects.all(), office_field="office_path")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.text:
        text = filters.text.strip()
        rows = rows.filter(
            Q(addressee_name__icontains=text) | Q(addressee_number=text) | Q(matter__icontains=text)
        )
    if filters.mine and isinstance(user, User):
        rows = rows.filter(sent_by=user)
    return rows.select_related("office", "sent_by").order_by("-sent_on", "-pk")


def summonses_in_scope(user: Viewer, filters: Filters | None = None) -> QuerySet[Summons]:
    filters = filters or Filters()
    rows = access.visible_to(user, Summons.objects.all(), office_field="office_path")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.text:
        text = filters.text.strip()
        rows = rows.filter(Q(person_name__icontains=text) | Q(person_iin=text))
    if filters.mine and isinstance(user, User):
        rows = rows.filter(issued_by=user)
    return rows.select_related("office", "issued_by").order_by("-appear_at", "-pk")


def get_or_404(user: Viewer, model: type[_M], uuid: str, **extra: object) -> _M:
    """The record of `model` if `user` may see it; otherwise 404 (existence not told)."""
    return access.get_visible_or_404(
        user,
        model._default_manager.select_related("office"),
        office_field="office_path",
        uuid=uuid,
        **extra,
    )


def allowed_study_actions(study: Study, user: Viewer) -> list[str]:
    if not isinstance(user, User) or study.state != StudyState.OPEN:
        return []
    actions = ["complete"] if access.may(user, "change", study) else []
    if access.may(user, "decide", study):
        actions.append("cancel")
    return actions


def allowed_request_actions(request: InformationRequest, user: Viewer) -> list[str]:
    if not isinstance(user, User) or request.state != RequestState.SENT:
        return []
    actions = ["answer"] if access.may(user, "change", request) else []
    if access.may(user, "decide", request):
        actions.append("withdraw")
    return actions


def allowed_summons_actions(summons: Summons, user: Viewer) -> list[str]:
    if not isinstance(user, User) or not access.may(user, "change", summons):
        return []
    actions: list[str] = []
    if summons.state == SummonsState.ISSUED:
        actions += ["notify", "delivery", "appearance", "cancel"]
    if summons.state == SummonsState.NOT_APPEARED and access.may(
        user, "order_forced_delivery", summons
    ):
        actions.append("force")
    return actions
