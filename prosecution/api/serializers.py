from django.contrib.auth.models import User
from rest_framework import serializers

from prosecution.lib import dates
from prosecution.models import CalendarDay, ClassRank, Office, StaffProfile, Term, TermEvent
from prosecution.terms.engine import explain_due
from prosecution.workdays import TermUnit


class OfficeSerializer(serializers.ModelSerializer):
    # A declared field, which DRF's metaclass takes out of the class: not Field.parent.
    parent: "serializers.SlugRelatedField[Office]" = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Office
        fields = [
            "uuid",
            "code",
            "kind",
            "parent",
            "depth",
            "path",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "address",
            "is_active",
        ]


class StaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.get_full_name")
    office: "serializers.SlugRelatedField[Office]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    class_rank: "serializers.SlugRelatedField[ClassRank]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = StaffProfile
        fields = ["id", "username", "full_name", "office", "position", "class_rank", "is_active"]


class CalendarDaySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = CalendarDay
        fields = [
            "id",
            "date",
            "kind",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "legal_source",
            "is_estimate",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields["date"].validators.append(dates.PLANNED)  # beside its unique validator
        return fields


class TermQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        help_text="The day of the event (day 0).", validators=[dates.PLANNED]
    )
    term = serializers.IntegerField(min_value=0, max_value=3660)
    unit = serializers.ChoiceField(choices=[u.value for u in TermUnit], default="working_days")


class CalendarQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, validators=[dates.check_year])


class ExplainedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()
    legal_source = serializers.CharField()
    is_estimate = serializers.BooleanField()


class TermResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    term = serializers.IntegerField()
    unit = serializers.CharField()
    due = serializers.DateField()
    nominal_end = serializers.DateField(allow_null=True)
    skipped = ExplainedDaySerializer(many=True)
    worked_weekend_days = ExplainedDaySerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class TermSerializer(serializers.ModelSerializer):
    office: "serializers.SlugRelatedField[Office]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    responsible: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Term
        fields = [
            "uuid",
            "kind",
            "legal_basis",
            "subject_label",
            "office",
            "responsible",
            "start_event",
            "start_date",
            "unit",
            "length",
            "extended_by",
            "due_date",
            "state",
            "suspended_on",
            "met_on",
        ]


class TermEventSerializer(serializers.ModelSerializer):
    by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = TermEvent
        fields = ["kind", "on", "at", "by", "reason", "old_due", "new_due"]


class TermDetailSerializer(TermSerializer):
    events = TermEventSerializer(many=True, read_only=True)
    why_this_date = serializers.SerializerMethodField()

    class Meta(TermSerializer.Meta):
        fields = [*TermSerializer.Meta.fields, "events", "why_this_date"]

    def get_why_this_date(self, term) -> dict:
        return TermResultSerializer(explain_due(term).as_dict()).data


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: e.g. invalid, forbidden.")
    message = serializers.CharField(help_text="For people, in the language of the request.")
    article = serializers.CharField(
        required=False, help_text="The article of the law that the refusal rests on, if any."
    )
    # A declared field, which DRF's metaclass takes out of the class: not Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="On 400: the errors of each field, nested as the input is."
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (prosecution/api/errors.py)."""

    error = ErrorBodySerializer()
