"""Forms of the reception pages: they carry what was typed; the services decide (and their
ValidationError is put next to the field it names)."""

from __future__ import annotations

import uuid
from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS as DJANGO_WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from appeals.models import (
    ReceptionKind,
    ReceptionOutcome,
    ReceptionPlace,
    Recurrence,
    RefusalGround,
)
from appeals.reception.booking import STAFF_CHANNELS
from appeals.reception.common import MATTER_MAX, CitizenData
from appeals.reception.schedules import ScheduleData
from prosecution.lib import dates
from prosecution.lib.widgets import DateInput
from prosecution.models import Office

# Monday to Friday in Django's own words (already translated); weekends are working days only
# when the calendar makes them so.
WEEKDAYS = [
    *((day, DJANGO_WEEKDAYS[day]) for day in range(5)),
    (5, _("Saturday (when it is a working day)")),
    (6, _("Sunday (when it is a working day)")),
]


def put_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError, each message next to its field (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class CitizenForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=14,
        help_text=_("12 digits"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    language = forms.ChoiceField(label=_("Language of the notices"), choices=settings.LANGUAGES)
    matter = forms.CharField(
        label=_("Your matter, in a few lines"),
        max_length=MATTER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or "kk")[:2]

    def citizen(self) -> CitizenData:
        return CitizenData.of(self.cleaned_data)


class BookingForm(CitizenForm):
    confirm_by = forms.ChoiceField(
        label=_("Send the confirmation code by"),
        choices=[("phone", _("SMS to the phone")), ("email", _("E-mail"))],
        initial="phone",
        widget=forms.RadioSelect,
    )
    # docs/security.md 18: one form, one booking, however many times it is sent.
    request_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_key"].initial = uuid.uuid4().hex


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Confirmation code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class StaffBookingForm(CitizenForm):
    channel = forms.ChoiceField(
        label=_("The request came by"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
    )
    slot = forms.ChoiceField(label=_("Time"))

    def __init__(self, *args, slot_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["slot"]).choices = slot_choices


class WalkInForm(CitizenForm):
    """Nobody is turned away for the lack of an IIN or a phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iin"].required = False
        self.fields["first_name"].required = False


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (Rules of 2017)"), choices=RefusalGround.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PassForm(forms.Form):
    """The competent office by its code; the choices are read once per page, not once per row."""

    office = forms.ChoiceField(label=_("Competent office"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["office"]).choices = offices

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [(o.code, o.name) for o in Office.objects.filter(is_active=True)]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReceptionOutcome.choices)
    summary = forms.CharField(
        label=_("Summary of the appeal (if accepted)"), max_length=300, required=False
    )
    redirected_to = forms.CharField(label=_("Redirected to (body)"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note: reasons explained, materials received"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScheduleForm(forms.Form):
    official: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Official"), queryset=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ReceptionKind.choices)
    place = forms.ChoiceField(label=_("Place"), choices=ReceptionPlace.choices)
    place_detail = forms.CharField(
        label=_("Place (name and address)"), max_length=300, required=False
    )
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    interval_weeks = forms.IntegerField(
        label=_("Every n weeks"), min_value=1, max_value=4, initial=1
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Which weekday of the month (monthly)"),
        choices=[
            ("", "—"),
            (1, _("first")),
            (2, _("second")),
            (3, _("third")),
            (4, _("fourth")),
            (5, _("last")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), validators=[dates.PLANNED])
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=DateInput(), validators=[dates.PLANNED]
    )
    start_time = forms.TimeField(
        label=_("From (time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until (time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    slot_minutes = forms.IntegerField(
        label=_("Minutes per citizen (appointments)"), min_value=5, max_value=120, required=False
    )
    delegate: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Deputy receiving instead"), queryset=None, required=False
    )
    delegation_note = forms.CharField(label=_("Instruction"), max_length=300, required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("official", "delegate"):
            field = cast("forms.ModelChoiceField[User]", self.fields[name])
            field.queryset = staff
            # The field's own labels, as Django's docs do with a subclass.
            field.label_from_instance = _person  # type: ignore[assignment]
        self.fields["starts_on"].initial = timezone.localdate()

    def data_for_service(self) -> ScheduleData:
        return ScheduleData.of(self.cleaned_data)

    @staticmethod
    def initial_from(schedule) -> dict:
        return {
            "official": schedule.official,
            "kind": schedule.kind,
            "place": schedule.place,
            "place_detail": schedule.place_detail,
            "recurrence": schedule.recurrence,
            "weekdays": [d for d in range(7) if schedule.weekdays >> d & 1],
            "interval_weeks": schedule.interval_weeks,
            "week_of_month": schedule.week_of_month,
            "starts_on": schedule.starts_on,
            "ends_on": schedule.ends_on,
            "start_time": schedule.start_time,
            "end_time": schedule.end_time,
            "slot_minutes": schedule.slot_minutes,
            "delegate": schedule.delegate,
            "delegation_note": schedule.delegation_note,
        }


def _person(user) -> str:
    profile = getattr(user, "staff_profile", None)
    name = user.get_full_name() or user.get_username()
    if profile is None:
        return name
    return f"{name} — {profile.get_position_display()}, {profile.office.name}"


class CancelDayForm(forms.Form):
    """Call off a reception day of an official: the reason (the service requires it) and an
    explicit confirmation, since the citizens booked on that day are moved or cancelled."""

    official = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(widget=forms.HiddenInput, validators=[dates.PLANNED])
    reason = forms.CharField(
        label=_("Why the day is cancelled (illness, a trip …)"), max_length=300, required=False
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the citizens booked on this day are moved to the official's nearest "
            "free time (or cancelled if there is none) and told."
        )
    )
