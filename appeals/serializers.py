"""The appeals API's shapes: what it reads (scoped by the access policy) and the small inputs of
each action. No rules here: the services (appeals/services/) decide; these only check types and
name things."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from appeals import selectors, workflow
from appeals.models import (
    DECISION_OUTCOMES,
    ActEffect,
    AnswerLetter,
    AnswerMethod,
    Appeal,
    AppealEvent,
    AppealKind,
    AppealLanguage,
    AppealState,
    Applicant,
    ApplicantKind,
    Channel,
    ExtensionGround,
    Ground,
    ProceduralCode,
)
from appeals.services import ApplicantData
from prosecution.api.serializers import TermDetailSerializer
from prosecution.lib import dates
from prosecution.models import Office
from prosecution.offices.selectors import public_offices, visible_staff
from supervision.models import CheckState
from supervision.selectors import checks_in_scope

# The API's name of each action of the workflow: the path of its POST route on an appeal.
# ("attach" has no route yet: attachments come with their upload endpoint.)
_RENAMED = {"send_answer": "answer", "record_personal_answer": "personal-answer"}
API_ACTIONS: dict[str, str] = {
    action: _RENAMED.get(action, action.replace("_", "-"))
    for action in workflow.TRANSITIONS
    if action != "attach"
}
# Other systems post appeals from any channel but this site's own form.
API_CHANNELS = [c for c in Channel.choices if c[0] != Channel.ONLINE]
DECISION_CHOICES = [(o.value, o.label) for o in DECISION_OUTCOMES]


# Fields that look things up in the caller's scope -------------------------------------------


class OfficeCodeField(serializers.SlugRelatedField):
    """An active office by its code (the directory of offices is public)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=public_offices(), **kwargs)


class StaffUsernameField(serializers.SlugRelatedField):
    """A member of staff the caller sees (their office and below), by username; anyone else is
    "does not exist", whether or not they do."""

    queryset = get_user_model().objects.all()  # the type, for the schema; get_queryset scopes

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        profiles = visible_staff(self.context["request"].user).filter(is_active=True)
        return get_user_model().objects.filter(is_active=True, staff_profile__in=profiles)


class VisibleAppealField(serializers.SlugRelatedField):
    """An appeal the caller sees, by its uuid."""

    queryset = Appeal.objects.all()  # the type, for the schema; get_queryset scopes

    def __init__(self, **kwargs):
        super().__init__(slug_field="uuid", **kwargs)

    def get_queryset(self):
        return selectors.visible_appeals(self.context["request"].user)


# What the API reads ---------------------------------------------------------------------------


class ApplicantBriefSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Applicant
        fields = ["kind", "display_name"]


class ApplicantSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Applicant
        fields = [
            "kind",
            "display_name",
            "iin",
            "bin",
            "last_name",
            "first_name",
            "middle_name",
            "organisation",
            "representative",
            "email",
            "phone",
            "postal_address",
        ]


class AppealSerializer(serializers.ModelSerializer):
    """A row of the list."""

    office: "serializers.SlugRelatedField[Office]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    executor: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Due date of the running answer term (Art. 24(3), 24(4), 24(9), 25(1)); null "
        "when none runs.",
    )
    # Typed as any serializer of applicants: the detail shows them in full.
    applicants: "serializers.ModelSerializer[Applicant]" = ApplicantBriefSerializer(
        many=True, read_only=True
    )

    class Meta:
        model = Appeal
        fields = [
            "uuid",
            "reference",
            "kind",
            "state",
            "channel",
            "source",
            "office",
            "received_on",
            "due",
            "summary",
            "is_anonymous",
            "executor",
            "applicants",
        ]


class AppealEventSerializer(serializers.ModelSerializer):
    by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    # As the page shows it: a choice's label in the reader's language, not in the language of
    # whoever acted (AppealEvent.shown_note); a note a person typed, as typed.
    note = serializers.CharField(
        source="shown_note",
        read_only=True,
        help_text="In the request's language where it names a choice; typed notes as typed.",
    )

    class Meta:
        model = AppealEvent
        fields = ["kind", "at", "by", "from_state", "to_state", "note", "data"]


class LetterSerializer(serializers.ModelSerializer):
    """The answer letter (PDF). Its file is served at /appeals/<appeal uuid>/letters/<uuid>.pdf
    once `status` is ready."""

    class Meta:
        model = AnswerLetter
        fields = ["uuid", "status"]


class EarlierAppealSerializer(serializers.ModelSerializer):
    """An earlier appeal of the same applicant, with its answer (Art. 24(8))."""

    class Meta:
        model = Appeal
        fields = [
            "uuid",
            "reference",
            "received_on",
            "state",
            "outcome",
            "answered_on",
            "answer_text",
        ]


class AppealDetailSerializer(AppealSerializer):
    """The appeal with its applicants, terms ("why this date"), timeline, letters, the earlier
    appeals of its applicant that the caller sees, and what the caller may do now."""

    registered_in: "serializers.SlugRelatedField[Office]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    complained_office: "serializers.SlugRelatedField[Office]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    check = serializers.UUIDField(source="legality_check.uuid", read_only=True, allow_null=True)
    earlier_appeal: "serializers.SlugRelatedField[Appeal]" = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        help_text="Art. 24(8): the earlier appeal whose answer a terminated one cites.",
    )
    co_executors: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    decided_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    applicants = ApplicantSerializer(many=True, read_only=True)
    letters = LetterSerializer(many=True, read_only=True)
    terms = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    earlier_appeals = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text="The actions (POST /api/v1/appeals/{uuid}/<action>/) that the appeal's state "
        "allows and the caller's role permits; each still checks its own conditions."
    )

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "registered_in",
            "registered_at",
            "language",
            "language_other",
            "text",
            "reports_offence_or_threat",
            "ground",
            "procedural_code",
            "redirected_to",
            "redirected_on",
            "earlier_appeal",
            "co_executors",
            "check",
            "check_reference",
            "check_appointed_on",
            "check_completed_on",
            "interim_reply",
            "complained_office",
            "complained_act",
            "learned_on",
            "restore",
            "restore_reason",
            "act_effect",
            "outcome",
            "answer_text",
            "legislation",
            "answer_language",
            "decided_at",
            "decided_by",
            "answered_on",
            "answer_method",
            "personal_answer_required",
            "personal_answer_on",
            "personal_answer_note",
            "updated_at",
            "terms",
            "timeline",
            "letters",
            "earlier_appeals",
            "allowed_actions",
        ]

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(TermDetailSerializer(many=True))
    def get_terms(self, appeal) -> list:
        terms = selectors.appeal_terms(appeal).select_related("office", "responsible")
        # many=True makes a ListSerializer, whose data is a list; the stubs know the class only.
        return TermDetailSerializer(terms, many=True).data  # type: ignore[return-value]

    @extend_schema_field(AppealEventSerializer(many=True))
    def get_timeline(self, appeal) -> list:
        return AppealEventSerializer(selectors.timeline(appeal), many=True).data  # type: ignore[return-value]  # as get_terms

    @extend_schema_field(EarlierAppealSerializer(many=True))
    def get_earlier_appeals(self, appeal) -> list:
        earlier = selectors.earlier_appeals(self._user(), appeal)
        return EarlierAppealSerializer(earlier, many=True).data  # type: ignore[return-value]  # as get_terms

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=sorted(API_ACTIONS.values())))
    )
    def get_allowed_actions(self, appeal) -> list[str]:
        allowed = workflow.allowed_actions(appeal, self._user())
        return [API_ACTIONS[a] for a in allowed if a in API_ACTIONS]


class AppealReceiptSerializer(serializers.ModelSerializer):
    """What a caller gets back for the appeal it posted. Only the receipt: a complaint is
    registered in the office above the one complained about (Art. 25(1)), which the caller may
    not see; GET the appeal for the rest."""

    office: "serializers.SlugRelatedField[Office]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    status_code = serializers.CharField(
        required=False,
        help_text="The secret code with which the applicant follows the appeal on the public "
        "status page, with its registration number. Only in the 201 answer; keep it for the "
        "applicant: it is stored only as a hash.",
    )

    class Meta:
        model = Appeal
        fields = ["uuid", "reference", "kind", "state", "office", "received_on", "status_code"]
        read_only_fields = ["reference", "kind", "state", "received_on"]


# Inputs -----------------------------------------------------------------------------------------


class AppealQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, help_text="Registration number, applicant's name, IIN/BIN or text."
    )
    state = serializers.ChoiceField(choices=AppealState.choices, required=False)
    office = OfficeCodeField(required=False, help_text="Code: that office and every one below.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    kind = serializers.ChoiceField(choices=AppealKind.choices, required=False)
    term = serializers.ChoiceField(
        choices=[("overdue", "overdue"), ("soon", "soon"), ("open", "open")],
        required=False,
        help_text="overdue: past due; soon: due within 3 working days; open: a term runs. "
        "Sorted by due date.",
    )
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only appeals I execute or co-execute."
    )


class ApplicantInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.INDIVIDUAL)
    iin = serializers.CharField(required=False, allow_blank=True, max_length=12)
    bin = serializers.CharField(required=False, allow_blank=True, max_length=12)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    middle_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    organisation = serializers.CharField(required=False, allow_blank=True, max_length=300)
    representative = serializers.CharField(required=False, allow_blank=True, max_length=300)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    postal_address = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate(self, attrs) -> ApplicantData:
        """The service's own check (IIN/BIN check digits, phone, e-mail): its errors name the
        fields, and DRF files them under applicants[i]."""
        applicant = ApplicantData(**attrs)
        applicant.cleaned()  # raises django's ValidationError with the field names
        return applicant


class AppealCreateSerializer(serializers.Serializer):
    office = OfficeCodeField(
        help_text="Code of the office that received the appeal. A complaint is registered in the "
        "office above the one complained about (Art. 25(1))."
    )
    kind = serializers.ChoiceField(choices=AppealKind.choices, default=AppealKind.APPEAL)
    channel = serializers.ChoiceField(choices=API_CHANNELS, default=Channel.API)
    received_on = serializers.DateField(
        default=timezone.localdate,
        help_text="Day of receipt: day 0 of the term (Art. 24(3)). Default: today.",
        validators=[dates.HAPPENED],
    )
    language = serializers.ChoiceField(choices=AppealLanguage.choices)
    language_other = serializers.CharField(required=False, allow_blank=True, max_length=60)
    summary = serializers.CharField(max_length=300)
    text = serializers.CharField()
    applicants = ApplicantInputSerializer(many=True, required=False, default=list)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    reports_offence_or_threat = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Art. 24(6): an anonymous appeal is considered only if it reports a criminal "
        "offence or a threat to national or public security.",
    )
    complained_office = OfficeCodeField(
        required=False, help_text="A complaint (Art. 25): the office complained about."
    )
    complained_act = serializers.CharField(required=False, allow_blank=True, max_length=300)
    learned_on = serializers.DateField(
        required=False,
        help_text="A complaint: the day the person learned of the act (Art. 25(1)).",
        validators=[dates.HAPPENED],
    )


class AssignInput(serializers.Serializer):
    executor = StaffUsernameField(help_text="Username of staff of the appeal's office.")
    co_executors = StaffUsernameField(many=True, required=False, help_text="Usernames.")


class SendToOfficeInput(serializers.Serializer):
    office = OfficeCodeField()
    reason = serializers.CharField()


class RecordGroundInput(serializers.Serializer):
    ground = serializers.ChoiceField(choices=Ground.choices, help_text="Art. 24(1), items 1-7.")


class ExtendInput(serializers.Serializer):
    until = serializers.DateField(
        help_text="Art. 24(4): at most two months from receipt.", validators=[dates.PLANNED]
    )
    ground = serializers.ChoiceField(
        choices=ExtensionGround.choices,
        help_text="Art. 24(4): facts to establish, or information to obtain from other bodies.",
    )
    reason = serializers.CharField(help_text="The reasoned decision.")


class TellExtensionInput(serializers.Serializer):
    on = serializers.DateField(validators=[dates.HAPPENED])
    how = serializers.CharField(help_text="How the applicant was told (a letter, a call).")


@extend_schema_field(OpenApiTypes.UUID)
class _VisibleCheck(serializers.SlugRelatedField):
    """A check by its uuid, among the open checks the caller sees (else: "does not exist")."""

    def get_queryset(self):
        return checks_in_scope(self.context["request"].user).exclude(
            state__in=[CheckState.COMPLETED, CheckState.CANCELLED]
        )


class AppointCheckInput(serializers.Serializer):
    check = _VisibleCheck(
        slug_field="uuid", source="legality_check", help_text="The check's uuid (/api/v1/checks/)."
    )
    interim_reply = serializers.CharField()
    on = serializers.DateField(required=False, validators=[dates.HAPPENED])


class CompleteCheckInput(serializers.Serializer):
    completed_on = serializers.DateField(validators=[dates.HAPPENED])


class MarkProceduralInput(serializers.Serializer):
    code = serializers.ChoiceField(choices=ProceduralCode.choices)
    due = serializers.DateField(
        help_text="The term that the procedural code sets.", validators=[dates.PLANNED]
    )
    reason = serializers.CharField(help_text="The norm of the code that sets the term.")


class DecideRestoreInput(serializers.Serializer):
    granted = serializers.BooleanField()
    reason = serializers.CharField()


class RedirectInput(serializers.Serializer):
    to_body = serializers.CharField(max_length=300, help_text="The competent body.")
    reason = serializers.CharField()
    on = serializers.DateField(required=False, validators=[dates.HAPPENED])


class TerminateInput(serializers.Serializer):
    earlier = VisibleAppealField(help_text="uuid of the earlier appeal answered (Art. 24(8)).")
    reason = serializers.CharField()


class CloseAnonymousInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class DecideInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DECISION_CHOICES)
    answer_text = serializers.CharField()
    legislation = serializers.CharField(help_text="The legislation the answer relies on.")
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="Of the answer: the state language or that of the appeal (Art. 24(7)).",
    )
    act_effect = serializers.ChoiceField(
        choices=ActEffect.choices,
        required=False,
        help_text="A complaint only: what becomes of the act (Art. 43(3)).",
    )


class AnswerInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=AnswerMethod.choices)
    on = serializers.DateField(
        required=False, help_text="Default: today.", validators=[dates.HAPPENED]
    )


class PersonalAnswerInput(serializers.Serializer):
    on = serializers.DateField(validators=[dates.HAPPENED])
    note = serializers.CharField(help_text="What the applicant was told.")
