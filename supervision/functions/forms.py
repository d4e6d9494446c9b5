"""Forms of analyses, assessments, requests and summons: the shape of the input; the services in
supervision/functions/ check the law."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prosecution.lib.dates import HAPPENED, PLANNED
from supervision.models import (
    AddresseeKind,
    RecommendedResponse,
    SummonsChannel,
    SummonsNotification,
    SummonsState,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    text = forms.CharField(label=_("Search"), max_length=100, required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args: Any, states: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "—"), *states]  # type: ignore[attr-defined]


class _Staff(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class OpenStudyForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=300)
    scope = forms.CharField(label=_("Sources or acts studied"), widget=TEXT)
    responsible = _Staff(label=_("Responsible"), queryset=User.objects.none())
    started_on = forms.DateField(label=_("Started on"), validators=[HAPPENED], widget=DATE)
    due = forms.DateField(
        label=_("Due date"),
        validators=[PLANNED],
        widget=DATE,
        help_text=_("A working day set by the prosecutor."),
    )
    is_classified = forms.BooleanField(label=_("Classified"), required=False)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff  # type: ignore[attr-defined]


class CompleteStudyForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=TEXT)
    recommended_response = forms.ChoiceField(
        label=_("Recommended response"), choices=RecommendedResponse.choices
    )
    on = forms.DateField(label=_("Date"), validators=[HAPPENED], widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)


class SendRequestForm(forms.Form):
    matter = forms.CharField(label=_("On the matter of"), max_length=300)
    addressee_kind = forms.ChoiceField(label=_("Addressee"), choices=AddresseeKind.choices)
    addressee_name = forms.CharField(label=_("Name of the addressee"), max_length=300)
    addressee_number = forms.CharField(label=_("BIN or IIN"), max_length=20, required=False)
    addressee_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    requested = forms.CharField(label=_("Information requested"), widget=TEXT)
    sent_on = forms.DateField(label=_("Sent on"), validators=[HAPPENED], widget=DATE)
    due = forms.DateField(
        label=_("Answer due"),
        validators=[PLANNED],
        widget=DATE,
        help_text=_("At least 3 working days; the day of sending if demanded immediately."),
    )
    is_urgent = forms.BooleanField(label=_("Immediately (Art. 26(4))"), required=False)
    urgent_reason = forms.CharField(
        label=_("Irreversible consequences prevented"), widget=TEXT, required=False
    )
    is_classified = forms.BooleanField(label=_("Classified"), required=False)


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), validators=[HAPPENED], widget=DATE)
    answer = forms.CharField(label=_("Answer"), widget=TEXT)
    # One document with the answer; its content is checked by prosecution/files/uploads.py in the
    # service.
    document = forms.FileField(label=_("Document of the answer"), required=False)


class IssueSummonsForm(forms.Form):
    person_name = forms.CharField(label=_("Full name"), max_length=300)
    person_iin = forms.CharField(label=_("IIN"), max_length=20, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), validators=[HAPPENED], widget=DATE, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the notice"), choices=settings.LANGUAGES, initial="ru"
    )
    appear_at = forms.DateTimeField(label=_("To appear at"), widget=MOMENT, validators=[PLANNED])
    place = forms.CharField(label=_("Place"), max_length=300)
    purpose = forms.CharField(label=_("Purpose"), widget=TEXT)
    is_classified = forms.BooleanField(label=_("Classified"), required=False)


class NotifyForm(forms.Form):
    channel = forms.ChoiceField(label=_("Means"), choices=SummonsChannel.choices)
    address = forms.CharField(
        label=_("Number or address"),
        max_length=300,
        required=False,
        help_text=_("Empty: the summons' own phone or e-mail."),
    )
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class DeliveryForm(forms.Form):
    notification = forms.ModelChoiceField(
        label=_("Notice"), queryset=SummonsNotification.objects.none()
    )
    delivered = forms.BooleanField(label=_("Delivered"), required=False)
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)

    def __init__(self, *args: Any, summons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notification"].queryset = summons.notifications.exclude(  # type: ignore[attr-defined]
            channel__in=[SummonsChannel.SMS, SummonsChannel.EMAIL]
        )


class AppearanceForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (SummonsState.APPEARED, SummonsState.APPEARED.label),
            (SummonsState.EXCUSED, SummonsState.EXCUSED.label),
            (SummonsState.NOT_APPEARED, SummonsState.NOT_APPEARED.label),
        ],
    )
    reason = forms.CharField(label=_("Reason given"), widget=TEXT, required=False)


class ForceForm(forms.Form):
    deliver_at = forms.DateTimeField(
        label=_("To be delivered at"), widget=MOMENT, validators=[PLANNED]
    )
    reason = forms.CharField(label=_("Reasons of the decision"), widget=TEXT)
    executing_body = forms.CharField(label=_("Internal affairs body"), max_length=300)
    legal_representative_told = forms.BooleanField(
        label=_("The legal representative was told"), required=False
    )
    is_pregnant = forms.BooleanField(label=_("Pregnant"), required=False)
    doctor_certified_unable = forms.BooleanField(
        label=_("A doctor certifies the person cannot or should not leave"), required=False
    )
