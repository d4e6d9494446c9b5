"""Forms of legality checks: they check the shape of the input; supervision/services.py checks the
law."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prosecution.lib.dates import HAPPENED
from supervision.models import (
    BusinessConsentKind,
    CheckGround,
    CheckState,
    ExemptKind,
    SubjectKind,
    SuspensionCause,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LookupForm(forms.Form):
    """The audited subject's lookup (Art. 19(1))."""

    reference = forms.CharField(label=_("Registration number"), max_length=40)
    subject_number = forms.CharField(label=_("BIN or IIN"), max_length=20)


class CheckFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—"), *CheckState.choices], required=False
    )
    text = forms.CharField(label=_("Search"), max_length=100, required=False)
    mine = forms.BooleanField(label=_("Only where I am named"), required=False)


class AppointForm(forms.Form):
    resolution_number = forms.CharField(label=_("Resolution number"), max_length=60)
    resolution_date = forms.DateField(
        validators=[HAPPENED], label=_("Resolution date"), widget=DATE
    )
    ground = forms.ChoiceField(
        label=_("Ground"), choices=[("", "—"), *CheckGround.choices], required=False
    )
    instruction_number = forms.CharField(
        label=_("Instruction number"), max_length=60, required=False
    )
    instruction_date = forms.DateField(
        validators=[HAPPENED], label=_("Instruction date"), widget=DATE, required=False
    )
    is_private_business = forms.BooleanField(label=_("Private business entity"), required=False)
    business_consent_kind = forms.ChoiceField(
        label=_("Instruction or agreement"),
        choices=[("", "—"), *BusinessConsentKind.choices],
        required=False,
    )
    business_consent_number = forms.CharField(
        label=_("Number of the instruction or agreement"), max_length=60, required=False
    )
    business_consent_date = forms.DateField(
        validators=[HAPPENED],
        label=_("Date of the instruction or agreement"),
        widget=DATE,
        required=False,
    )
    subject_kind = forms.ChoiceField(label=_("Subject"), choices=SubjectKind.choices)
    subject_number = forms.CharField(label=_("BIN or IIN"), max_length=20)
    subject_name = forms.CharField(label=_("Name of the subject"), max_length=300)
    subject_address = forms.CharField(label=_("Address of the subject"), max_length=300)
    subject_matter = forms.CharField(label=_("Subject matter of the check"), widget=forms.Textarea)
    period_from = forms.DateField(
        validators=[HAPPENED], label=_("Period under review from"), widget=DATE
    )
    period_to = forms.DateField(
        validators=[HAPPENED], label=_("Period under review to"), widget=DATE
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Named inspectors"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    is_classified = forms.BooleanField(label=_("Classified"), required=False)
    exempt_kind = forms.ChoiceField(
        label=_("Exempt under Art. 18(4)"),
        choices=[("", "—"), *ExemptKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inspectors"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = staff


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(forms.Form):
    pass


class StartForm(forms.Form):
    on = forms.DateField(validators=[HAPPENED], label=_("Start date"), widget=DATE)


class SuspendForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause"), choices=SuspensionCause.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(validators=[HAPPENED], label=_("Suspended on"), widget=DATE)


class ResumeForm(forms.Form):
    on = forms.DateField(validators=[HAPPENED], label=_("Resumed on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reasoned decision"), widget=forms.Textarea(attrs={"rows": 2}))
    consent_number = forms.CharField(
        label=_("Consent of the Prosecutor General: number"), max_length=60, required=False
    )
    consent_date = forms.DateField(
        validators=[HAPPENED],
        label=_("Consent of the Prosecutor General: date"),
        widget=DATE,
        required=False,
    )


class InspectorsForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Named inspectors"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inspectors"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = staff


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("Results of the check"), widget=forms.Textarea)
    violations = forms.CharField(
        label=_("Violations found"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    violations_count = forms.IntegerField(label=_("Number of violations"), min_value=0, initial=0)
    on = forms.DateField(validators=[HAPPENED], label=_("Completed on"), widget=DATE)


class HandCertificateForm(forms.Form):
    """Art. 19(2): the certificate handed to the subject against signature."""

    received_by = forms.CharField(label=_("Received by (signed for it)"), max_length=300)
    on = forms.DateField(validators=[HAPPENED], label=_("Handed over on"), widget=DATE)
