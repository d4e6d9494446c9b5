"""REST API of the register of checks (/api/v1/register/): the entries the caller may see (the
queue with ?state=pending), and the registration officer's two decisions."""

import inspect
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from legal_statistics import register, services
from legal_statistics.models import Registration, RegistrationState
from prosecution.api.serializers import ErrorSerializer
from prosecution.audit import log as audit


class RegistrationSerializer(serializers.ModelSerializer):
    check_uuid = serializers.UUIDField(source="legality_check.uuid", read_only=True)
    resolution_number = serializers.CharField(
        source="legality_check.resolution_number", read_only=True
    )
    appointing_office: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="check_office", slug_field="code", read_only=True
    )
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Registration
        fields = [
            "uuid",
            "check_uuid",
            "resolution_number",
            "appointing_office",
            "state",
            "sent_at",
            "reference",
            "decided_at",
            "decided_by",
            "refusal_reason",
        ]
        read_only_fields = fields


class RegistrationRefuseInput(serializers.Serializer):
    reason = serializers.CharField()


_ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="Not a registration officer."),
    404: OpenApiResponse(ErrorSerializer, description="No such entry in the caller's register."),
    409: OpenApiResponse(ErrorSerializer, description="Already decided, or the law refuses."),
}


@extend_schema(tags=["register"])
class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Entries of the register of legality checks (Art. 18(4), 19(1))."""

    lookup_field = "uuid"
    serializer_class = RegistrationSerializer
    queryset = Registration.objects.none()  # for the schema; get_queryset scopes every request

    def get_queryset(self):
        entries = register.in_register(self.request.user).order_by("sent_at", "pk")
        state = self.request.query_params.get("state")
        if state in RegistrationState.values:
            entries = entries.filter(state=state)
        return entries

    @extend_schema(
        summary="Entries of the register (?state=pending: the queue, oldest first)",
        parameters=[OpenApiParameter("state", str, enum=RegistrationState.values)],
    )
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # As the register's page (register_queue): what a page of the list showed, once.
        shown = [row["uuid"] for row in response.data["results"]]
        audit.classified_in(Registration.objects.filter(uuid__in=shown), where="api_register")
        return response

    @extend_schema(summary="One entry of the register")
    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        audit.classified_read([entry], where="api_register_entry")
        return Response(self.get_serializer(entry).data)

    @extend_schema(
        summary="Register the resolution",
        description=inspect.cleandoc(services.register_check.__doc__ or ""),
        request=None,
        responses={200: RegistrationSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="register")
    def register_check(self, request, uuid=None):
        entry = services.register_check(self.get_object(), by=request.user)
        return Response(RegistrationSerializer(entry).data)

    @extend_schema(
        summary="Refuse to register the resolution, with reasons",
        description=inspect.cleandoc(services.refuse_registration.__doc__ or ""),
        request=RegistrationRefuseInput,
        responses={200: RegistrationSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="refuse")
    def refuse(self, request, uuid=None):
        entry = self.get_object()  # out of scope is 404 before the input is read
        data = RegistrationRefuseInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.refuse_registration(
            entry, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(RegistrationSerializer(entry).data)
