"""Query strings of the dashboard's links: drill-down, item lists and exports keep the filters the
user chose, on the page and in the API alike."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from legal_statistics.selectors import DashboardFilters
from prosecution.models import Term

# The page of each kind of record a term times (its subject), found by the record's uuid: a row
# of the dashboard opens the appeal, or the check (issue 13). A term of any other subject (the
# demo's terms time an office) has no page to open.
RECORD_PAGES = {"appeals.appeal": "appeal-detail", "supervision.check": "check-detail"}


def filter_params(filters: DashboardFilters, *, office: str = "", **extra) -> dict[str, str]:
    """The non-empty filters as query parameters; `extra` adds or overrides (None removes)."""
    params = {
        "office": office,
        "kind": filters.kind,
        "state": filters.state,
        "due_from": filters.due_from.isoformat() if filters.due_from else "",
        "due_to": filters.due_to.isoformat() if filters.due_to else "",
        "responsible": "" if filters.responsible is None else str(filters.responsible),
        "band": filters.band,
        "own": "1" if filters.own else "",
    }
    params.update({k: _text(v) for k, v in extra.items()})
    return {k: v for k, v in params.items() if v}


def _text(value) -> str:
    if value is None or value is False:
        return ""
    return "1" if value is True else str(value)


def query_string(filters: DashboardFilters, *, office: str = "", **extra) -> str:
    params = filter_params(filters, office=office, **extra)
    return f"?{urlencode(params)}" if params else ""


def deadlines_api_query(filters: DashboardFilters, *, office: str, kind: str = "") -> str:
    """The same terms in /api/v1/deadlines/ (prosecution/api/views.py), which names the period
    due_after/due_before and lists every state unless one is asked for."""
    params = {
        "office": office,
        "kind": kind or filters.kind,
        "state": filters.state,
        "due_after": filters.due_from.isoformat() if filters.due_from else "",
        "due_before": filters.due_to.isoformat() if filters.due_to else "",
    }
    return "?" + urlencode({k: v for k, v in params.items() if v})


def record_urls(terms: Iterable[Term]) -> dict[int, str]:
    """The page of each term's record, by the term's pk: one query per kind of record (an
    appeal's, a check's), whatever the number of terms. The page checks access itself."""
    by_type: dict[int, list[Term]] = defaultdict(list)
    for term in terms:
        by_type[term.subject_type_id].append(term)
    urls = {}
    for type_id, group in by_type.items():
        content_type = ContentType.objects.get_for_id(type_id)  # cached by Django
        page = RECORD_PAGES.get(f"{content_type.app_label}.{content_type.model}")
        model = content_type.model_class()
        if page is None or model is None:
            continue
        uuids = dict(
            model._default_manager.filter(pk__in={term.subject_id for term in group}).values_list(
                "pk", "uuid"
            )
        )
        for term in group:
            if term.subject_id in uuids:
                urls[term.pk] = reverse(page, args=[uuids[term.subject_id]])
    return urls
