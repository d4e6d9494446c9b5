"""Shapes of the API of analyses, assessments, requests and summons: the input's shape here, the
law in supervision/functions/."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import serializers

from prosecution.lib.dates import HAPPENED, PLANNED
from prosecution.models import Term
from supervision.functions import summons as summons_service
from supervision.models import (
    AddresseeKind,
    ForcedDelivery,
    FunctionEvent,
    InformationRequest,
    RecommendedResponse,
    Study,
    Summons,
    SummonsChannel,
    SummonsNotification,
    SummonsState,
)

User = get_user_model()

_USERNAME: dict[str, Any] = {"slug_field": "username", "read_only": True}
_OFFICE: dict[str, Any] = {"slug_field": "code", "read_only": True}


class TermSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = Term
        fields = ["legal_basis", "start_date", "due_date", "state", "met_on"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer[Any]):
    by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_USERNAME)

    class Meta:
        model = FunctionEvent
        fields = ["kind", "at", "by", "reason", "data"]
        read_only_fields = fields


class _WithTerm(serializers.ModelSerializer[Any]):
    office: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_OFFICE)
    term = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)

    def get_term(self, record: Any) -> dict[str, Any] | None:
        term = self.context["term_of"](record) if "term_of" in self.context else None
        return TermSerializer(term).data if term else None


class StudySerializer(_WithTerm):
    ordered_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_USERNAME)
    responsible: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_USERNAME)

    class Meta:
        model = Study
        fields = [
            "uuid",
            "kind",
            "office",
            "topic",
            "scope",
            "ordered_by",
            "responsible",
            "started_on",
            "is_classified",
            "state",
            "findings",
            "completed_on",
            "recommended_response",
            "term",
            "events",
        ]
        read_only_fields = fields


class RequestSerializer(_WithTerm):
    sent_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_USERNAME)
    legality_check = serializers.UUIDField(
        source="legality_check.uuid", read_only=True, allow_null=True, default=None
    )
    study = serializers.UUIDField(
        source="study.uuid", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = InformationRequest
        fields = [
            "uuid",
            "office",
            "legality_check",
            "study",
            "matter",
            "addressee_kind",
            "addressee_name",
            "addressee_number",
            "addressee_address",
            "requested",
            "sent_by",
            "sent_on",
            "is_urgent",
            "urgent_reason",
            "is_classified",
            "state",
            "answered_on",
            "answer",
            "term",
            "events",
        ]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer[Any]):
    delivery = serializers.SerializerMethodField()

    class Meta:
        model = SummonsNotification
        fields = ["id", "channel", "address", "sent_at", "delivery", "delivered_at", "note"]
        read_only_fields = fields

    def get_delivery(self, notification: SummonsNotification) -> str:
        """pending, delivered or not_delivered: SMS and e-mail as the outbox has them."""
        return summons_service.delivery_of(notification)


class ForcedDeliverySerializer(serializers.ModelSerializer[Any]):
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_USERNAME)

    class Meta:
        model = ForcedDelivery
        fields = [
            "decided_by",
            "decided_at",
            "deliver_at",
            "reason",
            "executing_body",
            "state",
            "refusal_article",
            "refusal_reason",
        ]
        read_only_fields = fields


class SummonsSerializer(serializers.ModelSerializer[Any]):
    office: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_OFFICE)
    issued_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(**_USERNAME)
    legality_check = serializers.UUIDField(
        source="legality_check.uuid", read_only=True, allow_null=True, default=None
    )
    email = serializers.CharField(read_only=True)  # "" when none: not an e-mail format
    notifications = NotificationSerializer(many=True, read_only=True)
    deliveries = ForcedDeliverySerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = Summons
        fields = [
            "uuid",
            "office",
            "legality_check",
            "person_name",
            "person_iin",
            "birth_date",
            "phone",
            "email",
            "language",
            "appear_at",
            "place",
            "purpose",
            "issued_by",
            "is_classified",
            "state",
            "absence_reason",
            "notifications",
            "deliveries",
            "events",
        ]
        read_only_fields = fields


# --- the lists: without the term, the history and the notices (one query per page, not per row)


def _listed(
    serializer: type[serializers.ModelSerializer[Any]],
) -> type[serializers.ModelSerializer[Any]]:
    heavy = {"term", "events", "notifications", "deliveries"}
    fields = [f for f in serializer.Meta.fields if f not in heavy]
    meta = type("Meta", (serializer.Meta,), {"fields": fields, "read_only_fields": fields})
    return type(
        f"{serializer.__name__[:-10]}ListSerializer",
        (serializer,),
        {"Meta": meta, "__module__": __name__},
    )


StudyListSerializer = _listed(StudySerializer)
RequestListSerializer = _listed(RequestSerializer)
SummonsListSerializer = _listed(SummonsSerializer)


# --- input ----------------------------------------------------------------------------------


class StudyInput(serializers.Serializer[Any]):
    topic = serializers.CharField(max_length=300)
    scope = serializers.CharField()
    responsible = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    due = serializers.DateField(validators=[PLANNED])
    started_on = serializers.DateField(validators=[HAPPENED], required=False, default=None)
    is_classified = serializers.BooleanField(required=False, default=False)


class StudyCompleteInput(serializers.Serializer[Any]):
    findings = serializers.CharField()
    recommended_response = serializers.ChoiceField(RecommendedResponse.choices)
    on = serializers.DateField(validators=[HAPPENED], required=False, default=None)


class FunctionReasonInput(serializers.Serializer[Any]):
    reason = serializers.CharField()


class RequestInput(serializers.Serializer[Any]):
    legality_check = serializers.UUIDField(required=False, default=None)
    study = serializers.UUIDField(required=False, default=None)
    matter = serializers.CharField(max_length=300)
    addressee_kind = serializers.ChoiceField(AddresseeKind.choices)
    addressee_name = serializers.CharField(max_length=300)
    addressee_number = serializers.CharField(max_length=20, required=False, default="")
    addressee_address = serializers.CharField(max_length=300, required=False, default="")
    requested = serializers.CharField()
    due = serializers.DateField(validators=[PLANNED])
    sent_on = serializers.DateField(validators=[HAPPENED], required=False, default=None)
    is_urgent = serializers.BooleanField(required=False, default=False)
    urgent_reason = serializers.CharField(required=False, default="", allow_blank=True)
    is_classified = serializers.BooleanField(required=False, default=False)


class RequestAnswerInput(serializers.Serializer[Any]):
    answered_on = serializers.DateField(validators=[HAPPENED])
    answer = serializers.CharField()


class SummonsInput(serializers.Serializer[Any]):
    legality_check = serializers.UUIDField(required=False, default=None)
    person_name = serializers.CharField(max_length=300)
    person_iin = serializers.CharField(max_length=20, required=False, default="")
    birth_date = serializers.DateField(validators=[HAPPENED], required=False, default=None)
    phone = serializers.CharField(max_length=20, required=False, default="")
    # No default: the schema would offer "" as an e-mail address (issue_summons has "" for none).
    email = serializers.EmailField(required=False, allow_blank=True)
    language = serializers.ChoiceField(settings.LANGUAGES, required=False, default="ru")
    appear_at = serializers.DateTimeField(validators=[PLANNED])
    place = serializers.CharField(max_length=300)
    purpose = serializers.CharField()
    is_classified = serializers.BooleanField(required=False, default=False)


class NotifyInput(serializers.Serializer[Any]):
    channel = serializers.ChoiceField(SummonsChannel.choices)
    address = serializers.CharField(max_length=300, required=False, default="")
    note = serializers.CharField(required=False, default="", allow_blank=True)


class DeliveryInput(serializers.Serializer[Any]):
    notification = serializers.IntegerField()
    delivered = serializers.BooleanField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class AppearanceInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(
        [SummonsState.APPEARED, SummonsState.EXCUSED, SummonsState.NOT_APPEARED]
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class ForceInput(serializers.Serializer[Any]):
    deliver_at = serializers.DateTimeField(validators=[PLANNED])
    reason = serializers.CharField()
    executing_body = serializers.CharField(max_length=300)
    legal_representative_told = serializers.BooleanField(required=False, default=False)
    is_pregnant = serializers.BooleanField(required=False, default=False)
    doctor_certified_unable = serializers.BooleanField(required=False, default=False)
