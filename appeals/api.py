"""REST API of appeals (/api/v1/appeals/): the list and the appeal in the caller's scope, the
door for other systems (POST with an Idempotency-Key), and one POST route per action of the
workflow. Thin: validate the input, call one service, answer with the appeal. The services check
the role, the state and the law; what the caller cannot see is a 404 before any of them runs
(docs/security.md 1, 3)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.reverse import reverse

from appeals import selectors, services
from appeals.models import Appeal
from appeals.serializers import (
    API_ACTIONS,
    AnswerInput,
    AppealCreateSerializer,
    AppealDetailSerializer,
    AppealQuerySerializer,
    AppealReceiptSerializer,
    AppealSerializer,
    AppointCheckInput,
    AssignInput,
    CloseAnonymousInput,
    CompleteCheckInput,
    DecideInput,
    DecideRestoreInput,
    ExtendInput,
    MarkProceduralInput,
    PersonalAnswerInput,
    ReasonInput,
    RecordGroundInput,
    RedirectInput,
    SendToOfficeInput,
    TellExtensionInput,
    TerminateInput,
)
from prosecution.api.actions import record_action
from prosecution.api.serializers import ErrorSerializer
from prosecution.lib import idempotency
from prosecution.lib.errors import RuleViolation

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `fields` says where."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in (Token or session)."),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Not active staff, or the caller's role may not do this (code `forbidden`, "
        "with the article that reserves it).",
    ),
}
_NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No such appeal in the caller's scope (existence is not told)."
)
_CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="The law or the appeal's state does not allow it: `code` for programs, "
    "`message` for people, `article` of the law.",
)


def _detail_queryset(user):
    return selectors.visible_appeals(user).select_related(
        "registered_in", "complained_office", "earlier_appeal", "decided_by"
    )


def _appeal_action(name: str, input_serializer, service, summary: str):
    """A POST route on one appeal: validate the input, call `service` once, answer with the
    appeal as it is now. The route's path is the action's API name (serializers.API_ACTIONS)."""
    return record_action(
        name,
        input_serializer,
        service,
        summary,
        path=API_ACTIONS[name],
        operation_id=f"appeals_{name}",
        responses={200: AppealDetailSerializer, **_ERRORS, 404: _NOT_FOUND, 409: _CONFLICT},
    )


@extend_schema(tags=["appeals"])
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals of the caller's office and of every office below it (Art. 5(2))."""

    lookup_field = "uuid"
    # For the schema only (the type of {uuid}); get_queryset is what scopes every request.
    queryset = Appeal.objects.none()

    def get_serializer_class(self):
        return AppealSerializer if self.action == "list" else AppealDetailSerializer

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return _detail_queryset(user)
        query = AppealQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.AppealFilters(**query.validated_data)
        return selectors.search(user, filters).prefetch_related("applicants")

    def detail_response(self, appeal_uuid) -> Response:
        """The appeal as the caller sees it now, with everything the detail shows."""
        appeal = get_object_or_404(
            _detail_queryset(self.request.user).prefetch_related(
                "applicants", "co_executors", "letters"
            ),
            uuid=appeal_uuid,
        )
        return Response(self.get_serializer(appeal).data)

    @extend_schema(
        summary="Appeals in my scope",
        parameters=[AppealQuerySerializer],
        responses={200: AppealSerializer(many=True), **_ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One appeal, with its terms, timeline, letters and what I may do",
        responses={200: AppealDetailSerializer, 401: _ERRORS[401], 404: _NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(kwargs["uuid"])

    @extend_schema(
        summary="Register an appeal from another system",
        description=(
            "Registers the appeal in the office named (which must be in the caller's scope) and "
            "starts its term: 15 working days from receipt (Art. 24(3)), or 20 for a complaint "
            "against a prosecutor, which is registered in the office above the one complained "
            "about (Art. 25(1)). The applicant is told of the registration with the status "
            "code.\n\n"
            "Send a unique `Idempotency-Key` with each new appeal and the same key when you "
            "retry: a retry answers 200 with the appeal first registered (without the status "
            "code, given once) and never registers a second one. Keys are per caller; the body "
            "of a retry is not compared with the first."
        ),
        parameters=[
            OpenApiParameter(
                idempotency.HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="1 to 100 characters, unique per appeal for this caller (a UUID).",
            )
        ],
        request=AppealCreateSerializer,
        responses={
            201: OpenApiResponse(
                AppealReceiptSerializer,
                description="Registered now; `status_code` is given this once. `Location` "
                "names the appeal.",
            ),
            200: OpenApiResponse(
                AppealReceiptSerializer,
                description="A retry: the appeal registered with this key before.",
            ),
            **_ERRORS,
            409: _CONFLICT,
        },
    )
    def create(self, request):
        try:
            key = idempotency.clean_key(request.headers.get(idempotency.HEADER))
        except RuleViolation as refusal:  # the header is a field of the request: its error shape
            raise ValidationError({idempotency.HEADER: [refusal.message]}) from None
        data = AppealCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal, code, created = services.register_from_api(
            by=request.user, idempotency_key=key, **data.validated_data
        )
        if created:
            # For AppealReceiptSerializer's status_code, in the 201 answer only (not a column).
            appeal.status_code = code  # type: ignore[attr-defined]
        location = reverse("api:appeal-detail", kwargs={"uuid": appeal.uuid}, request=request)
        return Response(
            AppealReceiptSerializer(appeal).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": location},
        )

    # One route per action of the workflow (appeals/workflow.py), each calling one service.
    assign = _appeal_action(
        "assign", AssignInput, services.assign_appeal, "Name the executor and co-executors"
    )
    send_to_office = _appeal_action(
        "send_to_office", SendToOfficeInput, services.send_to_office, "Send to another office"
    )
    record_ground = _appeal_action(
        "record_ground", RecordGroundInput, services.record_ground, "Record the ground (Art. 24(1))"
    )
    extend = _appeal_action(
        "extend", ExtendInput, services.extend_appeal_term, "Extend the term (Art. 24(4))"
    )
    tell_extension = _appeal_action(
        "tell_extension",
        TellExtensionInput,
        services.record_extension_told,
        "Record that the applicant was told of the extension (Art. 24(5))",
    )
    appoint_check = _appeal_action(
        "appoint_check",
        AppointCheckInput,
        services.appoint_check,
        "Appoint a legality check, with the interim reply (Art. 24(4))",
    )
    complete_check = _appeal_action(
        "complete_check",
        CompleteCheckInput,
        services.complete_check,
        "Record the check completed: the answer is due in 10 working days (Art. 24(4))",
    )
    mark_procedural = _appeal_action(
        "mark_procedural",
        MarkProceduralInput,
        services.mark_procedural,
        "Mark as governed by a procedural code, with its term (Art. 24(9))",
    )
    decide_restore = _appeal_action(
        "decide_restore",
        DecideRestoreInput,
        services.decide_restore,
        "Grant or refuse restoring the term to complain (Art. 25(1))",
    )
    redirect = _appeal_action(
        "redirect", RedirectInput, services.redirect_appeal, "Redirect to the competent body"
    )
    terminate = _appeal_action(
        "terminate",
        TerminateInput,
        services.terminate_repeated,
        "Terminate a repeated appeal, citing the earlier answer (Art. 24(8))",
    )
    close_anonymous = _appeal_action(
        "close_anonymous",
        CloseAnonymousInput,
        services.close_anonymous,
        "Close an anonymous appeal as not considered (Art. 24(6))",
    )
    proceed_anonymous = _appeal_action(
        "proceed_anonymous",
        ReasonInput,
        services.proceed_anonymous,
        "Consider an anonymous appeal that reports an offence or a threat (Art. 24(6))",
    )
    decide = _appeal_action(
        "decide", DecideInput, services.decide_appeal, "Decide, with the reasoned answer"
    )
    reopen = _appeal_action(
        "reopen", ReasonInput, services.reopen_appeal, "Withdraw the decision before sending"
    )
    send_answer = _appeal_action(
        "send_answer", AnswerInput, services.send_answer, "Record the answer sent"
    )
    record_personal_answer = _appeal_action(
        "record_personal_answer",
        PersonalAnswerInput,
        services.record_personal_answer,
        "Record the personal answer to a refused appeal from a reception",
    )
