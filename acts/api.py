"""REST API of acts (/api/v1/acts/): the list and the act in the caller's scope, the draft
(POST), its correction, and one POST route per action. Thin: validate the input, call one
service, answer with the act. What the caller cannot see is a 404 before any service runs. The
error answers (the one error shape, with 409 for what the law refuses) are added to every
operation of the schema by prosecution/api/schema.py."""

import inspect
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from acts import selectors, services
from acts.models import Act
from acts.serializers import (
    ActClaimInput,
    ActComplaintInput,
    ActConsiderationInput,
    ActDecideInput,
    ActDetailSerializer,
    ActDraftInput,
    ActLiftInput,
    ActOnInput,
    ActReasonInput,
    ActReportInput,
    ActSerializer,
    ActSuperiorInput,
)
from appeals.models import AppealKind
from prosecution.api.actions import caller, record_action
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation


def _draft(user: User, values: dict[str, Any]) -> services.ActDraft:
    """The draft with its basis resolved in the caller's scope (a record out of scope is as
    absent: the service refuses the act without a basis)."""
    check_uuid = values.pop("basis_check")
    values["basis_check"] = (
        selectors.checks_for_basis(user).filter(uuid=check_uuid).first() if check_uuid else None
    )
    values["basis_appeal"] = selectors.appeal_in_scope(user, values.pop("basis_appeal"))
    return services.ActDraft(**values)


def _link_complaint(act: Act, *, by: User, appeal: str) -> Act:
    """Art. 25, 43(1): a complaint (by its registration number, in the caller's scope) is linked
    to the act. Art. 43(2): it does not suspend the act."""
    complaint = selectors.appeal_in_scope(by, appeal, kind=AppealKind.COMPLAINT)
    if complaint is None:
        raise RuleViolation(_("No complaint with this number in your scope."), article="Art. 25")
    return services.link_complaint(act, by=by, appeal=complaint)


def _today_unless_given(values: dict[str, Any]) -> dict[str, Any]:
    """No date given: the service's own default (today)."""
    if "on" in values and values["on"] is None:
        del values["on"]
    return values


def _the_act_or_the_claim(view: "ActViewSet", act: Act, result: object) -> Response:
    """A claim answers with the new act it drafted (201); every other action with the act."""
    made = result if isinstance(result, Act) and result.pk != act.pk else None
    response = view.detail_response((made or act).uuid)
    if made:
        response.status_code = status.HTTP_201_CREATED
    return response


def _act_action(
    name: str, input_serializer: Any, service: Callable[..., object], summary: str
) -> Any:
    return record_action(
        name.replace("-", "_"),
        input_serializer,
        service,
        summary,
        path=name,
        operation_id=f"acts_{name.replace('-', '_')}",
        responses={200: ActDetailSerializer, 201: ActDetailSerializer},
        prepare=_today_unless_given,
        answer=_the_act_or_the_claim,
    )


@extend_schema(tags=["acts"])
class ActViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Act]):
    """Acts of the caller's office and of every office below it (Art. 5(2))."""

    lookup_field = "uuid"
    queryset = Act.objects.none()  # for the schema; get_queryset scopes every request

    def get_serializer_class(self) -> type[ActSerializer]:
        return ActSerializer if self.action == "list" else ActDetailSerializer

    def get_queryset(self) -> QuerySet[Act]:
        params = self.request.query_params
        filters = selectors.ActFilters(
            kind=params.get("kind", ""),
            state=params.get("state", ""),
            late=params.get("late", "") in ("1", "true"),
        )
        return selectors.acts_in_scope(self.request.user, filters)

    def detail_response(self, uuid: Any) -> Response:
        act = get_object_or_404(
            selectors.acts_in_scope(self.request.user).prefetch_related("events__by"), uuid=uuid
        )
        audit.classified_read([act], where="api_act")
        context = {"terms": services.terms_of(act)}
        return Response(ActDetailSerializer(act, context=context).data)

    @extend_schema(
        summary="Acts in my scope",
        parameters=[
            OpenApiParameter("kind", str, description="Only acts of this kind"),
            OpenApiParameter("state", str, description="Only acts in this state"),
            OpenApiParameter("late", bool, description="Only acts with a term missed or late"),
        ],
        responses={200: ActSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        shown = [row["uuid"] for row in response.data["results"] if row["is_classified"]]
        if shown:
            audit.classified_read(Act.objects.filter(uuid__in=shown), where="api_acts")
        return response

    @extend_schema(
        summary="One act, with its clocks and history",
        responses={200: ActDetailSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.get_object()  # 404 out of scope
        return self.detail_response(kwargs["uuid"])

    @extend_schema(
        summary="Draft an act",
        description=inspect.cleandoc(services.draft_act.__doc__ or ""),
        request=ActDraftInput,
        responses={201: ActDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        data = ActDraftInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = caller(request)
        act = services.draft_act(by=user, draft=_draft(user, dict(data.validated_data)))
        response = self.detail_response(act.uuid)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        operation_id="acts_correct",
        summary="Correct a draft",
        description=inspect.cleandoc(services.correct_draft.__doc__ or ""),
        request=ActDraftInput,
        responses={200: ActDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="correct")
    def correct(self, request: Request, uuid: str | None = None) -> Response:
        act = self.get_object()
        data = ActDraftInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = caller(request)
        draft = _draft(user, dict(data.validated_data))
        draft.basis_act = act.basis_act
        services.correct_draft(act, by=user, draft=draft)
        return self.detail_response(act.uuid)

    sign = _act_action("sign", ActOnInput, services.sign_act, "Sign the act (register number)")
    deliver = _act_action("deliver", ActOnInput, services.deliver_act, "Deliver the act")
    consideration = _act_action(
        "consideration",
        ActConsiderationInput,
        services.record_consideration,
        "Record the time and place of consideration",
    )
    suspend_protested = _act_action(
        "suspend-protested",
        ActReasonInput,
        services.suspend_protested_act,
        "Suspend the protested act (Art. 33(5))",
    )
    decide = _act_action("decide", ActDecideInput, services.decide_act, "Record the decision")
    report = _act_action(
        "report", ActReportInput, services.report_result, "Record the reported results"
    )
    withdraw = _act_action("withdraw", ActReasonInput, services.withdraw_act, "Withdraw the act")
    claim = _act_action(
        "claim", ActClaimInput, services.bring_claim, "Bring a claim to court (Art. 39(2))"
    )
    complaint = _act_action(
        "complaint", ActComplaintInput, _link_complaint, "Link a complaint (Art. 43(2))"
    )
    superior = _act_action(
        "superior",
        ActSuperiorInput,
        services.superior_decision,
        "A superior cancels, revokes, suspends or amends the act",
    )
    lift = _act_action(
        "lift", ActLiftInput, services.lift_suspension, "Lift a superior's suspension"
    )
