"""Shapes of the checks API: input is checked for its shape here, the law in the services."""

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from prosecution.lib.dates import HAPPENED
from prosecution.models import Term
from supervision.models import (
    BusinessConsentKind,
    Check,
    CheckEvent,
    CheckGround,
    ExemptKind,
    SubjectKind,
    SuspensionCause,
)
from supervision.selectors import term_of

User = get_user_model()


class _Users(serializers.SlugRelatedField[Any]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs
        )


class CheckTermSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = Term
        fields = ["legal_basis", "start_date", "due_date", "state", "extended_by", "suspended_on"]
        read_only_fields = fields


class CheckEventSerializer(serializers.ModelSerializer[Any]):
    by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = CheckEvent
        fields = ["kind", "on", "at", "by", "reason", "data"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer[Any]):
    office: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    registration_number = serializers.CharField(
        source="registration.reference", read_only=True, default=None
    )

    class Meta:
        model = Check
        fields = [
            "uuid",
            "office",
            "resolution_number",
            "resolution_date",
            "state",
            "subject_kind",
            "subject_number",
            "subject_name",
            "registration_number",
            "started_on",
            "completed_on",
            "is_classified",
            "exempt_kind",
        ]
        read_only_fields = fields


class CheckDetailSerializer(CheckSerializer):
    inspectors: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    term = serializers.SerializerMethodField()
    events = CheckEventSerializer(many=True, read_only=True)

    class Meta(CheckSerializer.Meta):
        fields = [
            *CheckSerializer.Meta.fields,
            "ground",
            "instruction_number",
            "instruction_date",
            "is_private_business",
            "business_consent_kind",
            "business_consent_number",
            "business_consent_date",
            "subject_address",
            "subject_matter",
            "period_from",
            "period_to",
            "inspectors",
            "result",
            "violations",
            "violations_count",
            "certificate_handed_on",
            "certificate_received_by",
            "term",
            "events",
        ]
        read_only_fields = fields

    def get_term(self, check: Check) -> dict[str, Any] | None:
        term = term_of(check)
        return CheckTermSerializer(term).data if term else None


class CheckAppointInput(serializers.Serializer[Any]):
    resolution_number = serializers.CharField(max_length=60)
    resolution_date = serializers.DateField(
        validators=[HAPPENED],
    )
    ground = serializers.ChoiceField(CheckGround.choices, required=False, default="")
    instruction_number = serializers.CharField(max_length=60, required=False, default="")
    instruction_date = serializers.DateField(validators=[HAPPENED], required=False, default=None)
    is_private_business = serializers.BooleanField(required=False, default=False)
    business_consent_kind = serializers.ChoiceField(
        BusinessConsentKind.choices, required=False, default=""
    )
    business_consent_number = serializers.CharField(max_length=60, required=False, default="")
    business_consent_date = serializers.DateField(
        validators=[HAPPENED], required=False, default=None
    )
    subject_kind = serializers.ChoiceField(SubjectKind.choices)
    subject_number = serializers.CharField(max_length=20)
    subject_name = serializers.CharField(max_length=300)
    subject_address = serializers.CharField(max_length=300)
    subject_matter = serializers.CharField()
    period_from = serializers.DateField(
        validators=[HAPPENED],
    )
    period_to = serializers.DateField(
        validators=[HAPPENED],
    )
    inspectors = _Users(many=True)
    is_classified = serializers.BooleanField(required=False, default=False)
    exempt_kind = serializers.ChoiceField(ExemptKind.choices, required=False, default="")


class CheckEmptyInput(serializers.Serializer[Any]):
    pass


class CheckStartInput(serializers.Serializer[Any]):
    on = serializers.DateField(validators=[HAPPENED], required=False, default=None)


class CheckSuspendInput(serializers.Serializer[Any]):
    cause = serializers.ChoiceField(SuspensionCause.choices)
    reason = serializers.CharField()
    on = serializers.DateField(validators=[HAPPENED], required=False, default=None)


class CheckResumeInput(serializers.Serializer[Any]):
    on = serializers.DateField(validators=[HAPPENED], required=False, default=None)
    reason = serializers.CharField(required=False, default="")


class CheckExtendInput(serializers.Serializer[Any]):
    days = serializers.IntegerField(min_value=1, max_value=30)
    reason = serializers.CharField()
    consent_number = serializers.CharField(required=False, default="")
    consent_date = serializers.DateField(validators=[HAPPENED], required=False, default=None)
    on = serializers.DateField(validators=[HAPPENED], required=False, default=None)


class CheckInspectorsInput(serializers.Serializer[Any]):
    inspectors = _Users(many=True)
    reason = serializers.CharField()


class CheckCompleteInput(serializers.Serializer[Any]):
    result = serializers.CharField()
    violations = serializers.CharField(required=False, default="", allow_blank=True)
    violations_count = serializers.IntegerField(min_value=0, required=False, default=0)
    on = serializers.DateField(validators=[HAPPENED], required=False, default=None)


class CheckHandCertificateInput(serializers.Serializer[Any]):
    received_by = serializers.CharField(max_length=300)
    on = serializers.DateField(validators=[HAPPENED])


class CheckReasonInput(serializers.Serializer[Any]):
    reason = serializers.CharField()
