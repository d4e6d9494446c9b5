"""Forms of the appeal pages: they check the shape of the input; the services check the law."""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from appeals.models import (
    DECISION_OUTCOMES,
    ActEffect,
    AnswerMethod,
    Appeal,
    AppealKind,
    AppealLanguage,
    AppealState,
    ApplicantKind,
    Channel,
    ExtensionGround,
    Ground,
    Outcome,
    ProceduralCode,
)
from prosecution.lib import dates
from prosecution.lib.widgets import DateInput, MarksRequired
from prosecution.models import Office
from supervision.models import Check

_DATE = DateInput()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); their content is checked by
    prosecution/files/uploads.py in the service, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _files_help():
    """What the upload checks accept (prosecution/files/uploads.py), with the limits of the
    settings, in the reader's language."""
    return _(
        "PDF, images (JPEG, PNG, TIFF), Word, Excel, OpenDocument or text; up to %(count)s files "
        "of at most %(size)s MB each."
    ) % {
        "count": settings.UPLOAD_MAX_FILES,
        "size": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }


_FILES_HELP = lazy(_files_help, str)()
_STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c not in (Channel.ONLINE, Channel.API)]


class AppealForm(MarksRequired, forms.Form):
    office = forms.ModelChoiceField(Office.objects.none(), label=_("Office"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AppealKind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=_STAFF_CHANNELS)
    received_on = forms.DateField(label=_("Received on"), widget=_DATE, validators=[dates.HAPPENED])
    language = forms.ChoiceField(label=_("Language of the appeal"), choices=AppealLanguage.choices)
    language_other = forms.CharField(label=_("Which language"), required=False, max_length=60)
    summary = forms.CharField(label=_("Summary"), max_length=300)
    text = forms.CharField(label=_("Text of the appeal"), widget=forms.Textarea(attrs={"rows": 6}))
    is_anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    reports_offence_or_threat = forms.BooleanField(
        label=_("Reports a criminal offence or a threat to national or public security"),
        required=False,
    )
    complained_office = forms.ModelChoiceField(
        Office.objects.none(), label=_("Office complained about"), required=False
    )
    complained_act = forms.CharField(
        label=_("Decision, act or (in)action complained about"), required=False, max_length=300
    )
    learned_on = forms.DateField(
        label=_("The applicant learned of it on"),
        required=False,
        widget=_DATE,
        validators=[dates.HAPPENED],
    )

    COMPLAINT_FIELDS = ("complained_office", "complained_act", "learned_on")

    def __init__(self, *args, offices, complained_offices, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Office]", self.fields["office"]).queryset = offices
        complained = cast("forms.ModelChoiceField[Office]", self.fields["complained_office"])
        complained.queryset = complained_offices

    def appeal_fields(self):
        """The fields of every appeal; a complaint's own are shown apart."""
        return [self[name] for name in self.fields if name not in self.COMPLAINT_FIELDS]


class ApplicantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Applicant"), choices=ApplicantKind.choices)
    iin = forms.CharField(label=_("IIN"), required=False, max_length=14)
    bin = forms.CharField(label=_("BIN"), required=False, max_length=14)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    middle_name = forms.CharField(label=_("Patronymic"), required=False, max_length=100)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=300)
    representative = forms.CharField(label=_("Representative"), required=False, max_length=300)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    postal_address = forms.CharField(label=_("Postal address"), required=False, max_length=300)

    def has_data(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return any(v for k, v in data.items() if k != "kind")


ApplicantFormSet = forms.formset_factory(ApplicantForm, extra=2, max_num=20)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Number, applicant, IIN/BIN or text"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", "—"), *AppealState.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *AppealKind.choices]
    )
    term = forms.ChoiceField(
        label=_("Term"),
        required=False,
        choices=[
            ("", "—"),
            ("overdue", _("Overdue")),
            ("soon", _("Due within 3 working days")),
            ("open", _("Running")),
        ],
    )
    office = forms.ModelChoiceField(Office.objects.none(), label=_("Office"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Office]", self.fields["office"]).queryset = offices


# One form per action of the appeal page (appeals/views/staff.py ACTIONS).


class AttachForm(forms.Form):
    # A declared field, which Django's metaclass takes out of the class: not BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Documents"), help_text=_FILES_HELP, required=True
    )
    from_applicant = forms.BooleanField(label=_("From the applicant"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class GroundForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (Art. 24(1))"), choices=Ground.choices)


class AssignForm(forms.Form):
    executor = forms.ModelChoiceField(get_user_model().objects.none(), label=_("Executor"))
    co_executors = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), label=_("Co-executors"), required=False
    )


class SendToOfficeForm(forms.Form):
    office = forms.ModelChoiceField(Office.objects.none(), label=_("Office"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("New due date"), widget=_DATE, validators=[dates.PLANNED])
    ground = forms.ChoiceField(
        label=_("Ground (Art. 24(4))"), choices=ExtensionGround.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reasoned decision (Art. 24(4))"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ToldForm(forms.Form):
    on = forms.DateField(label=_("Told on"), widget=_DATE, validators=[dates.HAPPENED])
    how = forms.CharField(label=_("How (letter number, call)"), max_length=300)


class CheckForm(forms.Form):
    """Art. 24(4): the check appointed on the appeal, chosen among the open checks the user sees
    (the queryset is set by the page: appeals/views/staff.py)."""

    legality_check = forms.ModelChoiceField(
        label=_("Legality check"), queryset=Check.objects.none()
    )
    interim_reply = forms.CharField(
        label=_("Interim reply to the applicant"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckDoneForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Check completed on"), widget=_DATE, validators=[dates.HAPPENED]
    )


class ProceduralForm(forms.Form):
    code = forms.ChoiceField(label=_("Procedural code"), choices=ProceduralCode.choices)
    due = forms.DateField(label=_("Term under the code"), widget=_DATE, validators=[dates.PLANNED])
    reason = forms.CharField(label=_("Norm that sets the term"), max_length=300)


class RestoreForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Restore the term")), ("0", _("Refuse to restore"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class RedirectForm(forms.Form):
    to_body = forms.CharField(label=_("Competent body"), max_length=300)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TerminateForm(forms.Form):
    earlier = forms.ModelChoiceField(Appeal.objects.none(), label=_("Earlier appeal answered"))
    reason = forms.CharField(
        label=_("Why nothing new is brought (Art. 24(8))"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(o.value, o.label) for o in Outcome if o in DECISION_OUTCOMES]
    )
    answer_text = forms.CharField(
        label=_("Answer, with its reasons"), widget=forms.Textarea(attrs={"rows": 8})
    )
    legislation = forms.CharField(
        label=_("Legislation relied on"), widget=forms.Textarea(attrs={"rows": 2})
    )
    language = forms.ChoiceField(label=_("Language of the answer"), choices=())
    act_effect = forms.ChoiceField(
        label=_("Effect on the act (Art. 43(3))"),
        required=False,
        choices=[("", "—"), *ActEffect.choices],
    )


class AnswerForm(forms.Form):
    method = forms.ChoiceField(label=_("Sent by"), choices=AnswerMethod.choices)
    on = forms.DateField(label=_("Sent on"), widget=_DATE, validators=[dates.HAPPENED])


class PersonalAnswerForm(forms.Form):
    on = forms.DateField(label=_("Given on"), widget=_DATE, validators=[dates.HAPPENED])
    note = forms.CharField(
        label=_("What the applicant was told"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OnlineAppealForm(MarksRequired, forms.Form):
    """The public form: an individual files about their own matter."""

    office = forms.ModelChoiceField(Office.objects.none(), label=_("Prosecutor's office"))
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Patronymic"), required=False, max_length=100)
    iin = forms.CharField(label=_("IIN"), max_length=14)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Mobile phone"), required=False, max_length=20)
    confirm_by = forms.ChoiceField(
        label=_("Send the confirmation code by"),
        choices=[("email", _("E-mail")), ("phone", _("SMS"))],
        widget=forms.RadioSelect,
        initial="email",
    )
    language = forms.ChoiceField(
        label=_("Language of the appeal and the answer"),
        choices=[(c.value, c.label) for c in AppealLanguage if c != AppealLanguage.OTHER],
    )
    summary = forms.CharField(label=_("In a few words"), max_length=300)
    text = forms.CharField(label=_("Your appeal"), widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(label=_("Documents"), help_text=_FILES_HELP)  # type: ignore[assignment]  # as AttachForm's

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Office]", self.fields["office"]).queryset = offices


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class StatusForm(forms.Form):
    reference = forms.CharField(label=_("Registration number"), max_length=60)
    code = forms.CharField(label=_("Secret code"), max_length=20)
