"""The dashboard's links: query strings that keep the filters the user chose through drill-down,
item lists and exports, on the page and in the API alike; and the page of the record each term
belongs to (RECORD_PAGES, record_urls), so that every row of the list opens its record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from legal_statistics.selectors import DashboardFilters
from prosecution.models import Term
from prosecution.offices.access import Viewer, visible_to
from supervision.models import StudyKind


@dataclass(frozen=True)
class RecordPage:
    """The page of one kind of record a term times (its subject), found by the record's uuid
    (and `columns`, when the URL needs more), with the field the access policy scopes it by."""

    url_name: str
    office_field: str = "office_path"
    columns: tuple[str, ...] = ()
    args: Callable[[dict[str, Any]], list[Any]] = lambda row: [row["uuid"]]


# supervision/urls.py: an analysis and an assessment are both Studies, under their own slug.
STUDY_SLUGS = {StudyKind.ANALYSIS: "analyses", StudyKind.ASSESSMENT: "assessments"}

# Every kind of record the apps open terms on (prosecution.terms.engine.open_term's callers):
# a row of the dashboard opens the appeal, the check, the act, the analysis or assessment, the
# request for information; the demo's terms time an office, whose page is the office's.
RECORD_PAGES: dict[str, RecordPage] = {
    "appeals.appeal": RecordPage("appeal-detail"),
    "supervision.check": RecordPage("check-detail"),
    "acts.act": RecordPage("act-detail"),
    "supervision.study": RecordPage(
        "function-detail",
        columns=("kind",),
        args=lambda row: [STUDY_SLUGS[row["kind"]], row["uuid"]],
    ),
    "supervision.informationrequest": RecordPage(
        "function-detail", args=lambda row: ["information-requests", row["uuid"]]
    ),
    "prosecution.office": RecordPage("office-page", office_field=""),
}


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
        "extended": "1" if filters.extended else "",
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


def record_urls(user: Viewer, terms: Iterable[Term]) -> dict[int, str]:
    """The page of each term's record, by the term's pk: the one resolver of a term's subject to
    its page (RECORD_PAGES), at one query per kind of record, whatever the number of terms. Only
    the records `user` may open get a link (prosecution/offices/access.py visible_to, as their
    pages read them): a term shared one by one (a guardian grant) does not open a record the
    user may not see."""
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
        records = model._default_manager.filter(pk__in={term.subject_id for term in group})
        records = visible_to(user, records, office_field=page.office_field)
        rows = {row["pk"]: row for row in records.values("pk", "uuid", *page.columns)}
        for term in group:
            row = rows.get(term.subject_id)
            if row is not None:
                urls[term.pk] = reverse(page.url_name, args=page.args(row))
    return urls
