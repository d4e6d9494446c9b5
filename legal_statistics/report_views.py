"""The reports' pages (/reports/): a report's table, this period beside the same period a year
before, every figure a link to the records it counts; its CSV. Thin: reports/query.py reads the
question, the report's figures answer it through the access policy."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from legal_statistics import reports
from legal_statistics.reports import export, periods, trends
from legal_statistics.reports.query import ReportQuery, read
from legal_statistics.trend_chart import month_chart
from prosecution.audit import log as audit
from prosecution.models import Office
from prosecution.offices.access import staff_profile, visible_to

PAGE_SIZE = 50


def _offices(request):
    """The offices the user may choose: their own and everything below it."""
    offices = visible_to(request.user, Office.objects.filter(is_active=True), office_field="")
    return offices.order_by("path")


@login_required
def index(request):
    profile = staff_profile(request.user)
    if profile is None:  # as on the dashboard: the page says why it is empty
        return render(request, "legal_statistics/reports/index.html", {"profile": None})
    context = {
        "profile": profile,
        "reports": list(reports.REPORTS.values()),
        "offices": _offices(request),
        "values": request.GET,
    }
    try:
        query = read(request.user, request.GET.get("report", "appeals"), request.GET)
    except periods.PeriodError as error:
        context["period_error"] = str(error)
        return render(request, "legal_statistics/reports/index.html", context, status=400)
    context.update(
        query=query,
        rows=query.rows(request.user),
        before=query.period.year_before(),
        leaders=query.leaders(request.user),
    )
    context.update(_trends(request, query))
    return render(request, "legal_statistics/reports/index.html", context)


def _trends(request, query: ReportQuery) -> dict:
    """The charts of the main figures by month: the year the period ends in against the year
    before (reports/trends.py counts them in one call of the counting seam)."""
    year = query.period.end.year
    series = trends.year_trend(
        query.report, request.user, query.office, year, today=timezone.localdate()
    )
    return {
        "trend_year": year,
        "trend_year_before": year - 1,
        "trends": [(one, month_chart(one)) for one in series],
    }


@login_required
def figure(request, report, figure):
    if staff_profile(request.user) is None:
        raise Http404
    try:
        query = read(request.user, report, request.GET)
    except periods.PeriodError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    shown = query.report.figure(figure)
    records = query.records(request.user, shown)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.classified_read(page.object_list, where="reports")  # a classified act listed
    of = shown.value.of if shown.value is not None else None
    context = {
        "query": query,
        "figure": shown,
        "page": page,
        # Each record with its own value where the figure averages one (a check's length).
        "records": [
            (record, query.report.record_url(record), of(record) if of else None) for record in page
        ],
    }
    return render(request, "legal_statistics/reports/figure.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(request, report, extension: str) -> HttpResponse:
    if staff_profile(request.user) is None:
        raise Http404
    try:
        query = read(request.user, report, request.GET)
    except periods.PeriodError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    part = ""
    if extension == "csv" and request.GET.get("table") == "leaders":
        # The leaders against the duty, a table of their own (the XLSX's second sheet).
        leaders = query.leaders(request.user)
        if leaders is None:
            raise Http404
        content = export.leaders_csv_text(leaders).encode()
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        part = "-leaders"
    elif extension == "csv":
        content = export.csv_text(query, query.rows(request.user)).encode()
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        rows, leaders = query.rows(request.user), query.leaders(request.user)
        response = HttpResponse(export.xlsx_bytes(query, rows, leaders), content_type=XLSX)
    name = f"{query.report.key}-{query.office.code}-{query.period.code}{part}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_csv(request, report):
    return _export(request, report, "csv")


@login_required
def export_xlsx(request, report):
    return _export(request, report, "xlsx")
