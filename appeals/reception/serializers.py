"""Shapes of the reception API: input is validated here, decisions are the services'. The public
shapes hold only what the citizen gave or needs; staff shapes are read through the policy."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from appeals.models import (
    Booking,
    BookingState,
    ReceptionKind,
    ReceptionOutcome,
    ReceptionPlace,
    ReceptionSchedule,
    Recurrence,
    RefusalGround,
)
from appeals.reception.booking import STAFF_CHANNELS
from appeals.reception.common import CitizenData, manage_token
from appeals.reception.schedules import ScheduleData
from prosecution.lib import dates


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


class SlotSerializer(serializers.Serializer):
    schedule = serializers.UUIDField(source="schedule.uuid")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class PublicScheduleSerializer(serializers.ModelSerializer):
    """What the public page shows of a schedule: who, when, where."""

    official = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    receives_instead = serializers.SerializerMethodField()
    weekdays = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionSchedule
        fields = [
            "uuid",
            "kind",
            "official",
            "position",
            "receives_instead",
            "place",
            "place_detail",
            "recurrence",
            "weekdays",
            "interval_weeks",
            "week_of_month",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "slot_minutes",
        ]

    def get_official(self, obj) -> str:
        return _person(obj.official)

    def get_position(self, obj) -> str:
        profile = getattr(obj.official, "staff_profile", None)
        return profile.get_position_display() if profile else ""

    def get_receives_instead(self, obj) -> str:
        return _person(obj.delegate)

    def get_weekdays(self, obj) -> list[int]:
        return [day for day in range(7) if obj.weekdays >> day & 1]


class HoursSerializer(serializers.Serializer):
    opens = serializers.TimeField()
    closes = serializers.TimeField()
    break_starts = serializers.TimeField(allow_null=True)
    break_ends = serializers.TimeField(allow_null=True)


class PublicOfficeSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    address = serializers.CharField()
    hours = HoursSerializer()
    schedules = PublicScheduleSerializer(many=True)


class CitizenSerializer(serializers.Serializer):
    iin = serializers.CharField(max_length=14)
    last_name = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    middle_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    matter = serializers.CharField(max_length=2000)

    def citizen(self) -> CitizenData:
        return CitizenData.of(self.validated_data)


class PublicBookSerializer(CitizenSerializer):
    schedule = serializers.UUIDField()
    starts_at = serializers.DateTimeField(validators=[dates.PLANNED])
    confirm_by = serializers.ChoiceField(choices=["phone", "email"])
    request_key = serializers.CharField(max_length=40, required=False, allow_blank=True)


class HeldSerializer(serializers.ModelSerializer):
    """A hold: the code went to the citizen; nothing of the citizen is echoed back."""

    class Meta:
        model = Booking
        fields = ["uuid", "state", "starts_at", "ends_at", "hold_expires_at"]


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=6)


class PublicBookingSerializer(serializers.ModelSerializer):
    """The citizen's own booking, behind the signed token."""

    official = serializers.SerializerMethodField()
    office = serializers.CharField(source="office.name")
    manage_token = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "uuid",
            "code",
            "state",
            "starts_at",
            "ends_at",
            "office",
            "official",
            "refusal_ground",
            "refusal_reason",
            "manage_token",
        ]

    def get_official(self, obj) -> str:
        return _person(obj.schedule.receiver)

    def get_manage_token(self, obj) -> str:
        return manage_token(obj)


class ManageSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=300)
    action = serializers.ChoiceField(choices=["view", "cancel", "move"])
    starts_at = serializers.DateTimeField(required=False, validators=[dates.PLANNED])


class TakenSerializer(serializers.Serializer):
    """409 slot_taken: the error and the nearest free slots."""

    error = serializers.DictField()
    nearest = SlotSerializer(many=True)


# Staff ---------------------------------------------------------------------------------------


class ScheduleSerializer(PublicScheduleSerializer):
    office = serializers.CharField(source="office.code", read_only=True)
    official_id = serializers.IntegerField(read_only=True)
    delegate_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta(PublicScheduleSerializer.Meta):
        fields = [
            *PublicScheduleSerializer.Meta.fields,
            "office",
            "official_id",
            "delegate_id",
            "delegation_note",
            "is_active",
        ]


class ScheduleWriteSerializer(serializers.Serializer):
    official = serializers.IntegerField(help_text="User id of the official.")
    kind = serializers.ChoiceField(choices=ReceptionKind.choices)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), min_length=1
    )
    starts_on = serializers.DateField(validators=[dates.PLANNED])
    ends_on = serializers.DateField(required=False, allow_null=True, validators=[dates.PLANNED])
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    place = serializers.ChoiceField(choices=ReceptionPlace.choices, default=ReceptionPlace.OFFICE)
    place_detail = serializers.CharField(max_length=300, required=False, allow_blank=True)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, default=Recurrence.WEEKLY)
    interval_weeks = serializers.IntegerField(min_value=1, max_value=4, default=1)
    week_of_month = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True
    )
    slot_minutes = serializers.IntegerField(
        min_value=5, max_value=120, required=False, allow_null=True
    )
    delegate = serializers.IntegerField(required=False, allow_null=True)
    delegation_note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def to_data(self, users) -> ScheduleData:
        """`users`: the staff the caller may see; anyone else is "not found" (400)."""
        data = dict(self.validated_data)
        found: dict[str, User | None] = {}
        for name in ("official", "delegate"):
            if data.get(name) is None:
                found[name] = None
                continue
            user = users.filter(pk=data[name]).first()
            if user is None:
                raise serializers.ValidationError({name: _("No such member of staff.")})
            found[name] = user
        return ScheduleData.of({**data, **found})


class BookingSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code")
    schedule = serializers.UUIDField(source="schedule.uuid")
    official = serializers.SerializerMethodField()
    # Null until the citizen is passed on, or an appeal is registered (the schema says so).
    passed_to = serializers.CharField(source="passed_to.code", read_only=True, allow_null=True)
    appeal = serializers.CharField(source="appeal.reference", read_only=True, allow_null=True)

    class Meta:
        model = Booking
        fields = [
            "uuid",
            "code",
            "office",
            "schedule",
            "official",
            "starts_at",
            "ends_at",
            "walk_in",
            "channel",
            "state",
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "email",
            "phone",
            "language",
            "matter",
            "needs_screening",
            "refusal_ground",
            "refusal_reason",
            "passed_to",
            "arrived_at",
            "outcome",
            "outcome_note",
            "redirected_to",
            "appeal",
            "created_at",
        ]

    def get_official(self, obj) -> str:
        return _person(obj.schedule.receiver)


class StaffBookSerializer(CitizenSerializer):
    schedule = serializers.UUIDField()
    starts_at = serializers.DateTimeField(validators=[dates.PLANNED])
    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in STAFF_CHANNELS])


class RefuseSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=RefusalGround.choices)
    reason = serializers.CharField()


class PassSerializer(serializers.Serializer):
    office = serializers.CharField(help_text="Code of the competent office.")
    note = serializers.CharField(required=False, allow_blank=True)


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReceptionOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True)
    redirected_to = serializers.CharField(max_length=300, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(validators=[dates.PLANNED])


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CancelDaySerializer(serializers.Serializer):
    day = serializers.DateField(validators=[dates.PLANNED])
    # Required by the service, which says so in the caller's language.
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CancelledDaySerializer(serializers.Serializer):
    official = serializers.SerializerMethodField()
    day = serializers.DateField(source="record.day")
    reason = serializers.CharField(source="record.reason")
    moved = serializers.IntegerField(source="result.moved", help_text="Bookings moved.")
    cancelled = serializers.IntegerField(
        source="result.cancelled", help_text="Bookings cancelled: no free time left."
    )

    def get_official(self, obj) -> str:
        return _person(obj["record"].official)


class BookingQuerySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=BookingState.choices, required=False)
    office = serializers.CharField(required=False, help_text="Code: that office and below.")
    day = serializers.DateField(required=False, validators=[dates.PLANNED])


class FiguresQuerySerializer(serializers.Serializer):
    office = serializers.CharField(required=False, help_text="Code; default: your office.")
    date_from = serializers.DateField(
        required=False, help_text="Default: the 1st of this month.", validators=[dates.PLANNED]
    )
    date_to = serializers.DateField(
        required=False, help_text="Default: today.", validators=[dates.PLANNED]
    )

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("date_from", today.replace(day=1))
        attrs.setdefault("date_to", today)
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": _("Not before date_from.")})
        if (attrs["date_to"] - attrs["date_from"]).days > 366 * 5:
            raise serializers.ValidationError({"date_to": _("At most five years at once.")})
        return attrs


class FiguresRowSerializer(serializers.Serializer):
    office = serializers.CharField(source="office.code")
    office_name = serializers.CharField(source="office.name")
    receptions_held = serializers.IntegerField()
    citizens_received = serializers.IntegerField()
    appeals_accepted = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    requests_refused = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    total = FiguresRowSerializer()
    offices = FiguresRowSerializer(many=True)
