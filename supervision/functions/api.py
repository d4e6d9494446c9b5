"""REST API of analyses, assessments (/api/v1/analyses/, /api/v1/assessments/), requests for
information (/api/v1/information-requests/) and summons (/api/v1/summonses/): the lists and the
records of the caller's scope, POST to create, one POST route per action. Thin: validate the
shape, call one service, answer with the record. Out of scope is a 404 before any service runs."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from prosecution.api.actions import caller, record_action
from prosecution.api.serializers import ErrorSerializer
from prosecution.audit import log as audit
from prosecution.offices import access
from supervision.api import _ERRORS as CHECK_ERRORS
from supervision.functions import requests, selectors, studies, summons
from supervision.functions import serializers as shapes
from supervision.models import Check, InformationRequest, Study, StudyKind, Summons

# The checks' answers, but for any record of these four collections.
_ERRORS = {
    **CHECK_ERRORS,
    404: OpenApiResponse(
        ErrorSerializer, description="Nothing such in the caller's scope (existence not told)."
    ),
}


def _visible(user: User, model: type[Model], uuid: Any, **extra: Any) -> Any:
    if uuid is None:
        return None
    return access.get_visible_or_404(
        user, model._default_manager.all(), office_field="office_path", uuid=uuid, **extra
    )


class _Records(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    lookup_field = "uuid"
    output: type[serializers.ModelSerializer[Any]]
    listed: type[serializers.ModelSerializer[Any]]  # the list's rows: no term, no history
    where = ""

    def get_serializer_class(self) -> type[serializers.ModelSerializer[Any]]:
        return self.listed if self.action == "list" else self.output

    def term_of(self, record: Any) -> Any:
        return None

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "term_of": self.term_of}

    def respond(self, record: Any, code: int = status.HTTP_200_OK) -> Response:
        record = self.get_queryset().get(pk=record.pk)
        audit.classified_read([record], where=f"api_{self.where}")
        return Response(self.output(record, context=self.get_serializer_context()).data, code)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        shown = [row["uuid"] for row in response.data["results"] if row["is_classified"]]
        if shown:
            model: type[Model] = self.output.Meta.model
            audit.classified_read(
                model._default_manager.filter(uuid__in=shown), where=f"api_{self.where}s"
            )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object())


def _respond(view: _Records, record: Any, result: object) -> Response:
    return view.respond(record)


def _route(
    name: str,
    input_shape: type[serializers.Serializer[Any]],
    run: Callable[..., object],
    summary: str,
    output: type[serializers.Serializer[Any]],
    prefix: str,
) -> Any:
    return record_action(
        name,
        input_shape,
        run,
        summary,
        path=name,
        operation_id=f"{prefix}_{name}",
        responses={200: output, **_ERRORS},
        answer=_respond,
    )


# --- analyses and assessments (Art. 20, 21) ------------------------------------------------------


class _Studies(_Records):
    output = shapes.StudySerializer
    listed = shapes.StudyListSerializer
    queryset = Study.objects.none()  # for the schema; get_queryset scopes every request
    study_kind = ""
    where = "study"

    def get_queryset(self) -> QuerySet[Study]:
        return selectors.studies_in_scope(self.request.user, self.study_kind).prefetch_related(
            "events__by"
        )

    def term_of(self, record: Any) -> Any:
        return studies.study_term(record)

    @extend_schema(
        summary="Open (the prosecutor sets the term)",
        description=inspect.cleandoc(studies.open_study.__doc__ or ""),
        request=shapes.StudyInput,
        responses={201: shapes.StudySerializer, **_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = shapes.StudyInput(data=request.data)
        data.is_valid(raise_exception=True)
        study = studies.open_study(
            by=caller(request), kind=self.study_kind, **dict(data.validated_data)
        )
        return self.respond(study, status.HTTP_201_CREATED)


def _studies(kind: str, prefix: str, doc: str) -> type[_Studies]:
    """The viewset of one kind of study, with its two actions."""
    routes = {
        "complete": _route(
            "complete",
            shapes.StudyCompleteInput,
            studies.complete_study,
            "Record the result",
            shapes.StudySerializer,
            prefix,
        ),
        "cancel": _route(
            "cancel",
            shapes.FunctionReasonInput,
            studies.cancel_study,
            "Cancel",
            shapes.StudySerializer,
            prefix,
        ),
    }
    members = {"study_kind": kind, "__doc__": doc, "__module__": __name__, **routes}
    return extend_schema(tags=[prefix])(type(f"{prefix.title()}ViewSet", (_Studies,), members))


AnalysisViewSet = _studies(
    StudyKind.ANALYSIS,
    "analyses",
    "Analyses of the state of legality (Art. 20) in the caller's scope.",
)
AssessmentViewSet = _studies(
    StudyKind.ASSESSMENT,
    "assessments",
    "Assessments of acts in force (Art. 21) in the caller's scope.",
)


# --- requests for information (Art. 26(3)-(4)) ---------------------------------------------------


@extend_schema(tags=["information-requests"])
class InformationRequestViewSet(_Records):
    """Requests for information (Art. 26(3)-(4)) in the caller's scope."""

    output = shapes.RequestSerializer
    listed = shapes.RequestListSerializer
    queryset = InformationRequest.objects.none()
    where = "information_request"

    def get_queryset(self) -> QuerySet[InformationRequest]:
        return (
            selectors.requests_in_scope(self.request.user)
            .select_related("legality_check", "study")
            .prefetch_related("events__by")
        )

    def term_of(self, record: Any) -> Any:
        return requests.request_term(record)

    @extend_schema(
        summary="Send a request",
        description=inspect.cleandoc(requests.send_request.__doc__ or ""),
        request=shapes.RequestInput,
        responses={201: shapes.RequestSerializer, **_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = shapes.RequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = caller(request)
        values["legality_check"] = _visible(user, Check, values["legality_check"])
        values["study"] = _visible(user, Study, values["study"])
        if values["sent_on"] is None:
            del values["sent_on"]
        sent = requests.send_request(by=user, **values)
        return self.respond(sent, status.HTTP_201_CREATED)

    answer = _route(
        "answer",
        shapes.RequestAnswerInput,
        requests.record_answer,
        "Record the answer",
        shapes.RequestSerializer,
        "information_requests",
    )
    withdraw = _route(
        "withdraw",
        shapes.FunctionReasonInput,
        requests.withdraw_request,
        "Withdraw the request",
        shapes.RequestSerializer,
        "information_requests",
    )


# --- summons (Art. 26(7)-(14)) -----------------------------------------------------------------


def _record_delivery(record: Summons, *, by: User, notification: int, **data: Any) -> object:
    """Art. 26(9): the delivery of a call, a telegram or a letter, recorded by staff (an SMS or an
    e-mail has the outbox's record)."""
    found = record.notifications.filter(pk=notification).first()
    if found is None:
        raise Http404
    return summons.record_delivery(found, by=by, **data)


@extend_schema(tags=["summonses"])
class SummonsViewSet(_Records):
    """Summonses (Art. 26(7)-(14)) in the caller's scope, with their notices' delivery and the
    decisions on forced delivery."""

    output = shapes.SummonsSerializer
    listed = shapes.SummonsListSerializer
    queryset = Summons.objects.none()
    where = "summons"

    def get_queryset(self) -> QuerySet[Summons]:
        return (
            selectors.summonses_in_scope(self.request.user)
            .select_related("legality_check")
            .prefetch_related("events__by", "notifications__notice", "deliveries__decided_by")
        )

    @extend_schema(
        summary="Issue a summons",
        description=inspect.cleandoc(summons.issue_summons.__doc__ or ""),
        request=shapes.SummonsInput,
        responses={201: shapes.SummonsSerializer, **_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = shapes.SummonsInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = caller(request)
        values["legality_check"] = _visible(user, Check, values["legality_check"])
        issued = summons.issue_summons(by=user, **values)
        return self.respond(issued, status.HTTP_201_CREATED)

    notify = _route(
        "notify",
        shapes.NotifyInput,
        summons.notify_summons,
        "Send a notice (Art. 26(9))",
        shapes.SummonsSerializer,
        "summonses",
    )
    delivery = _route(
        "delivery",
        shapes.DeliveryInput,
        _record_delivery,
        "Record the delivery of a call, telegram or letter",
        shapes.SummonsSerializer,
        "summonses",
    )
    appearance = _route(
        "appearance",
        shapes.AppearanceInput,
        summons.record_appearance,
        "Record the appearance or the absence",
        shapes.SummonsSerializer,
        "summonses",
    )
    force = _route(
        "force",
        shapes.ForceInput,
        summons.order_forced_delivery,
        "Decide forced delivery (Art. 26(11)-(14))",
        shapes.SummonsSerializer,
        "summonses",
    )
    cancel = _route(
        "cancel",
        shapes.FunctionReasonInput,
        summons.cancel_summons,
        "Cancel the summons",
        shapes.SummonsSerializer,
        "summonses",
    )
