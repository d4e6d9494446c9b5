"""The supervisors' deadline dashboard (/dashboard/) and its exports. Thin: the query serializer
validates, the selectors read through the access policy, the templates draw."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from legal_statistics import charts, exports, links, selectors
from legal_statistics.bands import Band, Horizon
from legal_statistics.serializers import ItemQuerySerializer
from prosecution.audit import log as audit
from prosecution.models import ACTIVE_STATES, TermKind
from prosecution.offices.access import staff_profile
from prosecution.terms.engine import explain_due_with_unit

PAGE_SIZE = 50


def _form_context(query: ItemQuerySerializer) -> dict:
    return {
        "query": query,
        "values": query.data,
        "errors": query.errors,
        "kinds": TermKind.choices,
        "states": [(s.value, s.label) for s in ACTIVE_STATES],
        "bands": Band.choices,
    }


@login_required
def dashboard(request):
    profile = staff_profile(request.user)
    query = ItemQuerySerializer(data=request.GET)
    if profile is None:  # as on "My work": the page says why it is empty
        return render(request, "legal_statistics/dashboard.html", {"profile": None})
    if not query.is_valid():
        context = {"profile": profile, **_form_context(query)}
        return render(request, "legal_statistics/dashboard.html", context, status=400)
    office = selectors.scope_office(request.user, query.validated_data.get("office", ""))
    filters = query.filters()
    sort = query.validated_data["sort"]
    data = selectors.dashboard(request.user, office, filters, sort=sort)
    has_children = any(not row.is_own for row in data.by_office)
    context = {
        "profile": profile,
        **_form_context(query),
        "office": office,
        "data": data,
        "filters": filters,
        "sort": sort,
        "has_children": has_children,
        "person_rows": selectors.PERSON_ROWS,
        "xlsx_max_rows": exports.XLSX_MAX_ROWS,
        "chart": charts.trend_chart(data.trend),
        "breadcrumbs": selectors.breadcrumbs(request.user, office),
    }
    # The terms themselves: asked for, or at the bottom of the tree where there is nothing
    # further to drill into.
    if request.GET.get("list") in ("1", "true") or not has_children:
        items = selectors.items(request.user, office, filters, data.horizon)
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        audit.classified_read(page.object_list, where="dashboard")
        context["page"] = page
        urls = links.record_urls(request.user, page.object_list)
        context["explained"] = [
            (term, *explain_due_with_unit(term), urls.get(term.pk)) for term in page
        ]
    return render(request, "legal_statistics/dashboard.html", context)


def _export_items(request):
    """The office and the validated, scoped item list of an export. The page links to exports with
    valid filters; anything else is a 400 (an edited URL)."""
    query = ItemQuerySerializer(data=request.GET)
    if not query.is_valid():
        raise BadRequest(query.errors)
    office = selectors.scope_office(request.user, query.validated_data.get("office", ""))
    horizon = Horizon.on(timezone.localdate())
    items = selectors.items(request.user, office, query.filters(), horizon)
    audit.classified_in(items, where="dashboard_export")
    return office, items


def _filename(office, extension: str) -> str:
    return f"deadlines-{office.code}-{timezone.localdate().isoformat()}.{extension}"


@login_required
def export_csv(request):
    office, items = _export_items(request)
    response = StreamingHttpResponse(
        exports.csv_lines(items), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(office, "csv")}"'
    return response


@login_required
def export_xlsx(request):
    office, items = _export_items(request)
    xlsx = exports.xlsx_file(items, title=office.code)
    response = FileResponse(
        xlsx.file,
        as_attachment=True,
        filename=_filename(office, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # For scripts and tests; a person reads the note in the first row.
    response["X-Rows"] = str(xlsx.rows)
    response["X-Truncated"] = "true" if xlsx.truncated else "false"
    return response
