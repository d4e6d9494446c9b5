"""REST API of legality checks (/api/v1/checks/): the list and the check in the caller's scope,
the resolution (POST), and one POST route per action. Thin: validate the input, call one
service, answer with the check. What the caller cannot see is a 404 before any service runs."""

import inspect
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from prosecution.api.actions import caller, record_action
from prosecution.api.serializers import ErrorSerializer
from prosecution.audit import log as audit
from supervision import selectors, services
from supervision.models import Check, CheckEvent
from supervision.serializers import (
    CheckAppointInput,
    CheckCompleteInput,
    CheckDetailSerializer,
    CheckEmptyInput,
    CheckExtendInput,
    CheckHandCertificateInput,
    CheckInspectorsInput,
    CheckReasonInput,
    CheckResumeInput,
    CheckSerializer,
    CheckStartInput,
    CheckSuspendInput,
)

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `fields` says where."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in (Token or session)."),
    403: OpenApiResponse(
        ErrorSerializer, description="The caller's role may not do this (code `forbidden`)."
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="No such check in the caller's scope (existence not told)."
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description="The law or the check's state does not allow it: `code`, `message`, `article`.",
    ),
}


def _plain_input(values: dict[str, Any]) -> dict[str, Any]:
    """No date given: the service's own default (today); inspectors as a list."""
    if "on" in values and values["on"] is None:
        del values["on"]
    if "inspectors" in values:
        values["inspectors"] = list(values["inspectors"])
    return values


def _check_action(
    name: str, input_serializer: Any, service: Callable[..., object], summary: str
) -> Any:
    return record_action(
        name,
        input_serializer,
        service,
        summary,
        path=name.replace("_", "-"),
        operation_id=f"checks_{name}",
        responses={200: CheckDetailSerializer, **_ERRORS},
        prepare=_plain_input,
    )


@extend_schema(tags=["checks"])
class CheckViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Check]
):
    """Legality checks of the caller's office and of every office below it (Art. 5(2))."""

    lookup_field = "uuid"
    queryset = Check.objects.none()  # for the schema; get_queryset scopes every request

    def get_serializer_class(self) -> type[CheckSerializer]:
        return CheckSerializer if self.action == "list" else CheckDetailSerializer

    def get_queryset(self) -> QuerySet[Check]:
        return selectors.checks_in_scope(self.request.user)

    def detail_response(self, uuid: Any) -> Response:
        check = get_object_or_404(
            selectors.checks_in_scope(self.request.user).prefetch_related(
                "inspectors", Prefetch("events", CheckEvent.objects.select_related("by"))
            ),
            uuid=uuid,
        )
        audit.classified_read([check], where="api_check")
        return Response(CheckDetailSerializer(check).data)

    @extend_schema(summary="Checks in my scope", responses={200: CheckSerializer(many=True)})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        shown = [row["uuid"] for row in response.data["results"] if row["is_classified"]]
        if shown:
            audit.classified_read(Check.objects.filter(uuid__in=shown), where="api_checks")
        return response

    @extend_schema(
        summary="One check, with its term and history",
        responses={200: CheckDetailSerializer, **_ERRORS},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.get_object()  # 404 out of scope
        return self.detail_response(kwargs["uuid"])

    @extend_schema(
        summary="Appoint a check (the resolution)",
        description=inspect.cleandoc(services.appoint_check.__doc__ or ""),
        request=CheckAppointInput,
        responses={201: CheckDetailSerializer, **_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = CheckAppointInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["inspectors"] = list(values["inspectors"])
        check = services.appoint_check(by=caller(request), resolution=services.Resolution(**values))
        response = self.detail_response(check.uuid)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        operation_id="checks_correct",
        summary="Correct the resolution (before registration, or after a refusal)",
        description=inspect.cleandoc(services.correct_resolution.__doc__ or ""),
        request=CheckAppointInput,
        responses={200: CheckDetailSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="correct")
    def correct(self, request: Request, uuid: str | None = None) -> Response:
        check = self.get_object()
        data = CheckAppointInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["inspectors"] = list(values["inspectors"])
        services.correct_resolution(
            check, by=caller(request), resolution=services.Resolution(**values)
        )
        return self.detail_response(check.uuid)

    send = _check_action(
        "send",
        CheckEmptyInput,
        services.send_for_registration,
        "Send the resolution for registration",
    )
    start = _check_action("start", CheckStartInput, services.start_check, "Start the check")
    suspend = _check_action(
        "suspend", CheckSuspendInput, services.suspend_check, "Suspend the check"
    )
    resume = _check_action("resume", CheckResumeInput, services.resume_check, "Resume the check")
    extend = _check_action("extend", CheckExtendInput, services.extend_check, "Extend the term")
    inspectors = _check_action(
        "inspectors",
        CheckInspectorsInput,
        services.change_inspectors,
        "Change the named inspectors",
    )
    complete = _check_action(
        "complete", CheckCompleteInput, services.complete_check, "Complete the check"
    )
    hand_certificate = _check_action(
        "hand_certificate",
        CheckHandCertificateInput,
        services.hand_certificate,
        "Record the certificate of results handed to the subject",
    )
    cancel = _check_action("cancel", CheckReasonInput, services.cancel_check, "Cancel the check")
