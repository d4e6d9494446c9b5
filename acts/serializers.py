"""Shapes of the acts API: input is checked for its shape here, the law in the services."""

from typing import Any

from rest_framework import serializers

from acts.models import (
    DECIDED_STATES,
    Act,
    ActEvent,
    ActKind,
    AddresseeKind,
    BasisKind,
    ProtestedActKind,
    SanctionDecision,
)
from acts.services import SUPERIOR_DECISIONS
from prosecution import workdays
from prosecution.lib.dates import HAPPENED, PLANNED
from prosecution.models import Term


class ActTermSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = Term
        fields = ["kind", "legal_basis", "start_date", "due_date", "state", "met_on"]
        read_only_fields = fields


class ActEventSerializer(serializers.ModelSerializer[Any]):
    by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ActEvent
        fields = ["kind", "on", "at", "by", "reason", "data"]
        read_only_fields = fields


class ActSerializer(serializers.ModelSerializer[Any]):
    office: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    signatory: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    family = serializers.CharField(read_only=True)

    class Meta:
        model = Act
        fields = [
            "uuid",
            "kind",
            "family",
            "office",
            "register_number",
            "state",
            "addressee_kind",
            "addressee_name",
            "signatory",
            "signed_on",
            "delivered_on",
            "decided_on",
            "is_classified",
        ]
        read_only_fields = fields


class ActDetailSerializer(ActSerializer):
    basis_check = serializers.UUIDField(source="basis_check.uuid", read_only=True, default=None)
    basis_appeal = serializers.CharField(
        source="basis_appeal.reference", read_only=True, default=None
    )
    basis_act = serializers.UUIDField(source="basis_act.uuid", read_only=True, default=None)
    terms = serializers.SerializerMethodField()
    events = ActEventSerializer(many=True, read_only=True)

    class Meta(ActSerializer.Meta):
        fields = [
            *ActSerializer.Meta.fields,
            "addressee_number",
            "addressee_address",
            "basis_kind",
            "basis_check",
            "basis_appeal",
            "basis_act",
            "basis_text",
            "violation",
            "demand",
            "legal_references",
            "protested_act_kind",
            "protested_act",
            "protested_act_suspended_on",
            "term_set_until",
            "urgency_reason",
            "suspends_act_until",
            "sanction_decision",
            "sanction_refusal_reasons",
            "consideration_at",
            "consideration_place",
            "decision",
            "measures_taken",
            "persons_liable",
            "result_reported_on",
            "limitation_suspended_on",
            "limitation_resumes_on",
            "terms",
            "events",
        ]
        read_only_fields = fields

    def get_terms(self, act: Act) -> list[dict[str, Any]]:
        terms = self.context.get("terms", [])
        return [dict(ActTermSerializer(term).data) for term in terms]


class ActDraftInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(ActKind.choices)
    addressee_kind = serializers.ChoiceField(AddresseeKind.choices)
    addressee_name = serializers.CharField(max_length=300)
    addressee_number = serializers.CharField(max_length=20, required=False, default="")
    addressee_address = serializers.CharField(max_length=300, required=False, default="")
    basis_kind = serializers.ChoiceField(BasisKind.choices, required=False, default="")
    basis_check = serializers.UUIDField(required=False, default=None)
    basis_appeal = serializers.CharField(max_length=60, required=False, default="")
    basis_text = serializers.CharField(required=False, default="")
    violation = serializers.CharField(required=False, default="")
    demand = serializers.CharField(required=False, default="")
    legal_references = serializers.CharField(required=False, default="")
    is_classified = serializers.BooleanField(required=False, default=False)
    protested_act_kind = serializers.ChoiceField(
        ProtestedActKind.choices, required=False, default=""
    )
    protested_act = serializers.CharField(max_length=300, required=False, default="")
    term_set_until = serializers.DateField(
        validators=[PLANNED, workdays.validate_working_day], required=False, default=None
    )
    urgency_reason = serializers.CharField(required=False, default="")
    suspends_act_until = serializers.DateField(
        validators=[PLANNED, workdays.validate_working_day], required=False, default=None
    )
    sanction_decision = serializers.ChoiceField(
        SanctionDecision.choices, required=False, default=""
    )
    sanction_refusal_reasons = serializers.CharField(required=False, default="")


class ActOnInput(serializers.Serializer[Any]):
    on = serializers.DateField(validators=[HAPPENED], required=False, default=None)


class ActConsiderationInput(ActOnInput):
    at = serializers.DateTimeField(validators=[PLANNED])
    place = serializers.CharField(max_length=300)


class ActReasonInput(ActOnInput):
    reason = serializers.CharField()


class ActDecideInput(ActOnInput):
    outcome = serializers.ChoiceField([(s.value, s.label) for s in DECIDED_STATES])
    decision = serializers.CharField(required=False, default="")
    measures_taken = serializers.CharField(required=False, default="")
    persons_liable = serializers.IntegerField(min_value=0, required=False, default=None)


class ActReportInput(ActOnInput):
    measures_taken = serializers.CharField()
    persons_liable = serializers.IntegerField(min_value=0, required=False, default=None)


class ActClaimInput(serializers.Serializer[Any]):
    court = serializers.CharField(max_length=300)
    court_bin = serializers.CharField(max_length=20, required=False, default="")
    demand = serializers.CharField()


class ActSuperiorInput(ActOnInput):
    decision = serializers.ChoiceField(SUPERIOR_DECISIONS)
    reason = serializers.CharField()
    amendment = serializers.CharField(required=False, default="")


class ActLiftInput(ActOnInput):
    reason = serializers.CharField(required=False, default="")


class ActComplaintInput(serializers.Serializer[Any]):
    appeal = serializers.CharField(max_length=60)
