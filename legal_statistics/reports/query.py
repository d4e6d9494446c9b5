"""What a report is asked for: the report, the office (the user's own by default, or one below it;
outside the scope 404) and the period (the current month by default). Pages and the API read the
query string here, so that both answer the same question the same way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone

from legal_statistics import reports
from legal_statistics.reports import periods
from legal_statistics.reports.figures import Report, Row
from legal_statistics.selectors import scope_office
from prosecution.models import Office
from prosecution.offices.access import Viewer


@dataclass(frozen=True)
class ReportQuery:
    report: Report
    office: Office
    period: periods.Period

    @property
    def params(self) -> str:
        """The query string of this office and period, for the links to each figure's list."""
        return urlencode({"office": self.office.code, "period": self.period.code})

    def rows(self, user: Viewer) -> list[Row]:
        return self.report.rows(user, self.office, self.period)

    def leaders(self, user: Viewer) -> list | None:
        """The people against a duty the report shows beside its figures (Report.leaders)."""
        if self.report.leaders is None:
            return None
        return self.report.leaders(user, self.office, self.period)


def read(user: Viewer, report_key: str, params: Mapping[str, str]) -> ReportQuery:
    """Http404 for an unknown report or an office out of scope; periods.PeriodError for a period
    that cannot be read."""
    report = reports.get(report_key)
    office = scope_office(user, params.get("office", ""))
    code = params.get("period", "")
    period = periods.parse(code) if code else periods.current_month(timezone.localdate())
    return ReportQuery(report, office, period)
