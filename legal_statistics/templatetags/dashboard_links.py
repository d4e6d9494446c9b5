"""Links of the dashboard page that keep the chosen filters (legal_statistics/links.py)."""

from typing import TYPE_CHECKING

from django import template

from legal_statistics import links
from legal_statistics.bands import Band, BandCounts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


def _overrides(extra: dict) -> dict:
    # A template passes "" for a value it does not have: that keeps the current filter. None
    # (the template literal) removes it.
    return {name: value for name, value in extra.items() if value != ""}


@register.simple_tag
def dashboard_query(filters, office="", **extra) -> str:
    """`?office=…&kind=…` for a link; keyword arguments add or override (None removes)."""
    return links.query_string(filters, office=office, **_overrides(extra))


@register.simple_tag
def next_sort(current: str, column: str) -> str:
    """Clicking a column sorts by it, most first; clicking it again reverses."""
    return column if current == f"-{column}" else f"-{column}"


@register.simple_tag
def aria_sort(current: str, column: str) -> str:
    if current == column:
        return "ascending"
    if current == f"-{column}":
        return "descending"
    return "none"


@register.simple_tag
def band_total(counts: BandCounts, band: str) -> int:
    return counts.get(band)


@register.simple_tag
def band_label(band: str) -> "StrOrPromise":
    return Band(band).label if band else ""


@register.inclusion_tag("legal_statistics/_band_cells.html")
def band_cells(counts: BandCounts, filters, office: str, linked: bool = True, **extra) -> dict:
    """One cell per band, one for the total and one for the extended among them; a number links
    to its terms (drill-down)."""
    extra = _overrides(extra)
    cells = []
    for band in Band:
        count = counts.get(band)
        query = links.query_string(filters, office=office, band=band.value, list=1, **extra)
        cells.append((count, query if linked and count else ""))
    query = links.query_string(filters, office=office, band=None, list=1, **extra)
    cells.append((counts.total, query if linked and counts.total else ""))
    # Of them, the extended (not a band: they are counted in the bands too).
    extra["extended"] = True
    query = links.query_string(filters, office=office, band=None, list=1, **extra)
    cells.append((counts.extended, query if linked and counts.extended else ""))
    return {"cells": cells}
