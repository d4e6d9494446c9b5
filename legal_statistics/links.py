"""Query strings of the dashboard's links: drill-down, item lists and exports keep the filters the
user chose, on the page and in the API alike."""

from __future__ import annotations

from urllib.parse import urlencode

from legal_statistics.selectors import DashboardFilters


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
