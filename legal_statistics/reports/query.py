"""What a report is asked for: the report, the office (the user's own by default, or one below it;
outside the scope 404) and the period (the current month by default). Pages and the API read the
query string here, so that both answer the same question the same way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from legal_statistics import reports
from legal_statistics.reports import periods
from legal_statistics.reports.figures import Figure, Report, Row
from legal_statistics.selectors import scope_office
from prosecution.models import Office
from prosecution.offices.access import Viewer
from prosecution.offices.selectors import visible_staff


@dataclass(frozen=True)
class ReportQuery:
    report: Report
    office: Office
    period: periods.Period
    # One person's records only (Report.person_field: a leader's reception days), or everyone's.
    person: User | None = None

    @property
    def params(self) -> str:
        """The query string of this office and period, for the links to each figure's list."""
        return urlencode({"office": self.office.code, "period": self.period.code})

    @property
    def list_params(self) -> str:
        """The same, and the person a list is narrowed to: for a list's own pages."""
        if self.person is None:
            return self.params
        return f"{self.params}&{urlencode({'person': self.person.username})}"

    def records(self, user: Viewer, figure: Figure) -> QuerySet:
        """The records `figure` counts (Report.records), of the person asked if one was."""
        records = self.report.records(figure, user, self.office, self.period)
        if self.person is not None:
            records = records.filter(**{self.report.person_field: self.person})
        return records

    def rows(self, user: Viewer) -> list[Row]:
        return self.report.rows(user, self.office, self.period)

    def leaders(self, user: Viewer) -> list | None:
        """The people against a duty the report shows beside its figures (Report.leaders)."""
        if self.report.leaders is None:
            return None
        return self.report.leaders(user, self.office, self.period)


def read(user: Viewer, report_key: str, params: Mapping[str, str]) -> ReportQuery:
    """Http404 for an unknown report, an office or a person out of scope (or a person asked of a
    report that names none); periods.PeriodError for a period that cannot be read."""
    report = reports.get(report_key)
    office = scope_office(user, params.get("office", ""))
    code = params.get("period", "")
    period = periods.parse(code) if code else periods.current_month(timezone.localdate())
    return ReportQuery(report, office, period, _person(user, report, params.get("person", "")))


def _person(user: Viewer, report: Report, username: str) -> User | None:
    """The person whose records a list is narrowed to: a member of staff the user may see."""
    if not username:
        return None
    if not report.person_field:
        raise Http404
    profile = visible_staff(user).filter(user__username=username).first()
    if profile is None:
        raise Http404
    return profile.user
