"""Legal statistics reports (issue 17): periods.py reads a period and finds the year before,
figures.py makes every figure a door (its count and its list from one queryset), and each report
is a module of figures. REPORTS is the register the pages and the API look reports up in."""

from __future__ import annotations

from django.http import Http404

from legal_statistics.reports import acts, appeals, checks, receptions
from legal_statistics.reports.figures import Report

REPORTS: dict[str, Report] = {
    report.key: report for report in (appeals.REPORT, receptions.REPORT, checks.REPORT, acts.REPORT)
}


def get(key: str) -> Report:
    """The report named `key`; an unknown name is 404 like an unknown record."""
    report = REPORTS.get(key)
    if report is None:
        raise Http404
    return report
