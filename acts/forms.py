"""Forms of acts: they check the shape of the input; acts/services/ checks the law. A date a
prosecutor sets falls on a working day, or the form says which day off it is
(prosecution/workdays.py validate_working_day)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from acts.models import (
    DECIDED_STATES,
    ActKind,
    ActState,
    AddresseeKind,
    BasisKind,
    ProtestedActKind,
    SanctionDecision,
)
from acts.services import SUPERIOR_DECISIONS
from prosecution import workdays
from prosecution.lib.dates import HAPPENED, PLANNED
from supervision.models import Check

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class ActFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *ActKind.choices], required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—"), *ActState.choices], required=False
    )
    late = forms.BooleanField(label=_("Only late"), required=False)
    text = forms.CharField(label=_("Search"), max_length=100, required=False)


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActKind.choices)
    addressee_kind = forms.ChoiceField(label=_("Addressee"), choices=AddresseeKind.choices)
    addressee_name = forms.CharField(label=_("Name of the addressee"), max_length=300)
    addressee_number = forms.CharField(
        label=_("BIN or IIN of the addressee"), max_length=20, required=False
    )
    addressee_address = forms.CharField(
        label=_("Address of the addressee"), max_length=300, required=False
    )
    basis_kind = forms.ChoiceField(
        label=_("Basis"), choices=[("", "—"), *BasisKind.choices], required=False
    )
    basis_check = forms.ModelChoiceField(
        label=_("Legality check"),
        queryset=Check.objects.none(),
        required=False,
        to_field_name="uuid",
    )
    basis_appeal = forms.CharField(
        label=_("Registration number of the appeal"), max_length=60, required=False
    )
    basis_text = forms.CharField(label=_("Basis (described)"), widget=TEXT, required=False)
    violation = forms.CharField(label=_("Violation found"), widget=TEXT, required=False)
    demand = forms.CharField(label=_("Demand"), widget=TEXT, required=False)
    legal_references = forms.CharField(label=_("Legal references"), widget=TEXT, required=False)
    is_classified = forms.BooleanField(label=_("Classified"), required=False)
    protested_act_kind = forms.ChoiceField(
        label=_("Kind of the protested act"),
        choices=[("", "—"), *ProtestedActKind.choices],
        required=False,
    )
    protested_act = forms.CharField(label=_("Protested act"), max_length=300, required=False)
    term_set_until = forms.DateField(
        label=_("Term set by the prosecutor"),
        widget=DATE,
        required=False,
        validators=[PLANNED, workdays.validate_working_day],
    )
    urgency_reason = forms.CharField(
        label=_("Irreversible consequences threatened"), widget=TEXT, required=False
    )
    suspends_act_until = forms.DateField(
        label=_("Suspends the act until"),
        widget=DATE,
        required=False,
        validators=[PLANNED, workdays.validate_working_day],
    )
    sanction_decision = forms.ChoiceField(
        label=_("Sanction"), choices=[("", "—"), *SanctionDecision.choices], required=False
    )
    sanction_refusal_reasons = forms.CharField(
        label=_("Reasons for refusing the sanction"), widget=TEXT, required=False
    )

    def __init__(
        self, *args: Any, checks: QuerySet[Any], appeals: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["basis_check"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = checks
        self.appeals = appeals

    def clean_basis_appeal(self) -> Any:
        reference = (self.cleaned_data.get("basis_appeal") or "").strip()
        if not reference:
            return None
        appeal = self.appeals.filter(reference=reference).first()
        if appeal is None:
            raise ValidationError(_("No appeal with this number in your scope."), code="invalid")
        return appeal


class OnForm(forms.Form):
    on = forms.DateField(validators=[HAPPENED], label=_("Date"), widget=DATE)


class ConsiderationForm(forms.Form):
    at = forms.DateTimeField(label=_("Time of consideration"), widget=MOMENT, validators=[PLANNED])
    place = forms.CharField(label=_("Place of consideration"), max_length=300)
    on = forms.DateField(validators=[HAPPENED], label=_("Told on"), widget=DATE)


class ReasonOnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)
    on = forms.DateField(validators=[HAPPENED], label=_("Date"), widget=DATE)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision of the addressee"),
        choices=[(s.value, s.label) for s in DECIDED_STATES],
    )
    decision = forms.CharField(label=_("What the addressee decided"), widget=TEXT, required=False)
    measures_taken = forms.CharField(label=_("Measures taken"), widget=TEXT, required=False)
    persons_liable = forms.IntegerField(label=_("Persons held liable"), min_value=0, required=False)
    on = forms.DateField(validators=[HAPPENED], label=_("Decided on"), widget=DATE)


class ReportForm(forms.Form):
    measures_taken = forms.CharField(label=_("Measures taken"), widget=TEXT)
    persons_liable = forms.IntegerField(label=_("Persons held liable"), min_value=0, required=False)
    on = forms.DateField(validators=[HAPPENED], label=_("Reported on"), widget=DATE)


class ClaimForm(forms.Form):
    court = forms.CharField(label=_("Court"), max_length=300)
    court_bin = forms.CharField(label=_("BIN of the court"), max_length=20, required=False)
    demand = forms.CharField(label=_("Demand"), widget=TEXT)


class ComplaintForm(forms.Form):
    appeal = forms.CharField(label=_("Registration number of the complaint"), max_length=60)


SUPERIOR_LABELS = {
    "cancel": _("Cancel"),
    "revoke": _("Revoke"),
    "suspend": _("Suspend"),
    "amend": _("Amend"),
}


class SuperiorForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(d, SUPERIOR_LABELS[d]) for d in SUPERIOR_DECISIONS]
    )
    reason = forms.CharField(label=_("Reasons"), widget=TEXT)
    amendment = forms.CharField(label=_("Amendment"), widget=TEXT, required=False)
    on = forms.DateField(validators=[HAPPENED], label=_("Date"), widget=DATE)


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT, required=False)
    on = forms.DateField(validators=[HAPPENED], label=_("Date"), widget=DATE)
