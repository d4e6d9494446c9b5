"""The archive of monthly reports (/reports/monthly/): the reports of the offices the user sees
(their own and every one below it, Art. 5(2)), newest month first, each PDF to download; a form to
build a report by hand, whose progress the page shows while it is built. Thin: the rules are in
legal_statistics/monthly.py; the access policy scopes every read (outside the scope 404)."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from legal_statistics import monthly
from legal_statistics.models import MonthlyReport, MonthlyReportState
from legal_statistics.reports import periods
from legal_statistics.selectors import scope_office
from prosecution.audit import log as audit
from prosecution.files import uploads
from prosecution.lib import dates
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office
from prosecution.offices.access import get_visible_or_404, staff_profile, visible_to

PAGE_SIZE = 60
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class BuildForm(forms.Form):
    office = forms.ModelChoiceField(
        label=gettext_lazy("Office"),
        queryset=Office.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    month = forms.CharField(
        label=gettext_lazy("Month"),
        max_length=20,  # what is longer than a month is refused by clean_month, with its format
        help_text=gettext_lazy("A month that is over, e.g. 2026-11."),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]

    def clean_month(self) -> periods.Period:
        code = self.cleaned_data["month"].strip()
        if not _MONTH.match(code):
            raise ValidationError(_("Write the month as 2026-11."), code="month")
        try:
            period = periods.parse(code)
        except periods.PeriodError as error:
            raise ValidationError(str(error), code="month") from error
        dates.HAPPENED(period.start)  # not before the records start, not in the future
        return period


def _offices(user):
    """The offices the user may choose: their own and everything below it."""
    return visible_to(user, Office.objects.filter(is_active=True), office_field="").order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def archive(request):
    profile = staff_profile(request.user)
    if profile is None:
        raise Http404
    offices = _offices(request.user)
    shown = visible_to(request.user, MonthlyReport.objects.select_related("office"))
    office = None
    if request.GET.get("office"):
        office = scope_office(request.user, request.GET["office"])  # outside the scope: 404
        shown = shown.filter(office=office)
    # The office shown, else the user's own, is the one the form offers first.
    chosen_first = office or profile.office
    form = BuildForm(request.POST or None, offices=offices, initial={"office": chosen_first})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["office"]
        try:
            monthly.request_build(by=request.user, office=chosen, period=form.cleaned_data["month"])
        except RuleViolation as error:
            form.add_error("month", str(error))
        else:
            messages.success(request, _("The report is being built; this page shows how far."))
            return redirect(f"{request.path}?office={chosen.code}")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    context = {
        "form": form,
        "office": office,
        "page": page,
        "rows": rows,
        "unfinished": monthly.unfinished(rows),
        "states": MonthlyReportState,
    }
    status = 400 if form.is_bound and form.errors else 200
    template = "legal_statistics/monthly/archive.html"
    if request.htmx and request.method == "GET":  # the progress, polled while a build runs
        template = "legal_statistics/monthly/_rows.html"
    return render(request, template, context, status=status)


@login_required
def download(request, uuid):
    """A built report's PDF, for staff who see its office; anything else is 404."""
    if staff_profile(request.user) is None:
        raise Http404
    report = get_visible_or_404(
        request.user, MonthlyReport.objects.select_related("office"), uuid=uuid
    )
    if report.state != MonthlyReportState.BUILT:
        raise Http404
    audit.record(
        "monthly_report.downloaded",
        target=report.office,
        actor=request.user,
        period=report.period,
        language=report.language,
    )
    name = f"monthly-{report.office.code}-{report.period}-{report.language}"
    return uploads.attachment_response(
        report.stored_name, download_name=name, content_type="application/pdf"
    )
