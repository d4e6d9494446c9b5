"""The reports' monthly trends (legal_statistics/reports/trends.py, the charts of the report page
and GET /api/v1/reports/<report>/trend/): each main figure month by month against the year
before, counted in one call of the counting seam; months still to come have no bar; every bar
opens the records it counts; outside the scope 404. On 10 November 2026 (conftest.py)."""

import re
from dataclasses import fields
from datetime import date

import pytest
from django.urls import reverse

from legal_statistics import reports
from legal_statistics.reports import periods, trends
from legal_statistics.reports.figures import Report

pytestmark = pytest.mark.django_db

APPEALS = reports.get("appeals")
TODAY = date(2026, 11, 10)


class CountingReport(Report):
    """The appeals report, remembering each call of the counting seam."""

    calls: list = []

    def counts(self, user, office, figures, periods):
        self.calls.append(([f.key for f in figures], [p.code for p in periods]))
        return super().counts(user, office, figures, periods)


def test_every_report_has_main_figures_it_has():
    for report in reports.REPORTS.values():
        main = trends.main_figures(report)
        assert 1 <= len(main) <= 3
        assert all(report.figure(figure.key) is figure for figure in main)
    assert [f.key for f in trends.main_figures(APPEALS)] == ["received", "in-time", "late"]


def test_the_trend_is_counted_in_one_call_with_every_figure_and_the_24_months(cast, made):
    report = CountingReport(**{f.name: getattr(APPEALS, f.name) for f in fields(APPEALS)})
    CountingReport.calls = []
    series = trends.year_trend(report, cast.region_user, cast.region, 2026, today=TODAY)
    assert len(CountingReport.calls) == 1
    keys, codes = CountingReport.calls[0]
    assert keys == ["received", "in-time", "late"]
    assert sorted(codes) == sorted(
        [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
    )
    assert [one.figure.key for one in series] == keys


def test_each_month_is_the_figure_of_that_month_and_months_to_come_are_none(cast, made):
    series = trends.year_trend(APPEALS, cast.region_user, cast.region, 2026, today=TODAY)
    for one in series:
        for point in one.points:
            expected = APPEALS.records(
                one.figure, cast.region_user, cast.region, periods.parse(point.before_period)
            ).count()
            assert point.before == expected
            if point.month == 12:  # December 2026 has not begun
                assert point.current is None
            else:
                assert (
                    point.current
                    == APPEALS.records(
                        one.figure,
                        cast.region_user,
                        cast.region,
                        periods.parse(point.current_period),
                    ).count()
                )
    received = series[0].points
    assert (received[10].current, received[10].before) == (6, 1)  # November
    assert series[0].current_total == 6 and series[0].before_total == 1


def _bars(html: str, key: str) -> dict[str, tuple[str, int]]:
    """period -> (link, value) of the bars of the figure `key`'s chart."""
    chart = re.search(
        rf'<figure class="trend" data-testid="report-trend" data-figure="{key}">'
        r"(.*?)</figure>",
        html,
        re.S,
    ).group(1)
    found = re.findall(
        r'<a href="([^"]+)" aria-label="[^"]+" data-period="([0-9-]+)" data-value="(\d+)">', chart
    )
    return {period: (link, int(value)) for link, period, value in found}


def test_the_report_page_draws_each_main_figure_by_month_and_each_bar_opens_its_list(
    client, cast, made
):
    client.force_login(cast.region_user)
    url = reverse("reports") + "?report=appeals&office=R-AKMOLA&period=2026-11"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and '<title id="trend-received-title">' in html
    assert '<desc id="trend-received-desc">' in html
    assert "Ноя." in html and "Ноябрь" in html  # the months in the reader's language
    bars = _bars(html, "received")
    assert len(bars) == 12 + 11  # December 2026 is still to come: no bar
    assert "2026-12" not in bars and bars["2025-12"][1] == 0
    assert bars["2026-11"][1] == 6 and bars["2025-11"][1] == 1
    figure_url = reverse("report-figure", args=["appeals", "received"])
    assert bars["2026-11"][0] == f"{figure_url}?office=R-AKMOLA&amp;period=2026-11"
    for key in ("in-time", "late"):
        assert _bars(html, key)
    # The door: the bar's list holds as many records as the bar says.
    for period in ("2026-11", "2025-11", "2026-10"):
        link, value = bars[period]
        listed = client.get(link.replace("&amp;", "&"))
        assert listed.context["page"].paginator.count == value
    # The table beside the chart says the same.
    table = re.search(
        r'<table data-testid="report-trend-table" data-figure="received">(.*?)</table>', html, re.S
    ).group(1)
    november = re.search(r"<th scope=\"row\">Ноябрь</th>(.*?)</tr>", table, re.S).group(1)
    assert ">1</a>" in november and ">6</a>" in november
    december = re.search(r"<th scope=\"row\">Декабрь</th>(.*?)</tr>", table, re.S).group(1)
    assert "—" in december


def test_the_api_gives_the_months_with_their_records(client, cast, made):
    client.force_login(cast.region_user)
    url = reverse("api-report-trend", args=["appeals"]) + "?office=R-AKMOLA&year=2026"
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["year"], data["year_before"], data["office"]) == (2026, 2025, "R-AKMOLA")
    assert [figure["key"] for figure in data["figures"]] == ["received", "in-time", "late"]
    months = data["figures"][0]["months"]
    assert len(months) == 12
    november, december = months[10], months[11]
    assert (november["current"], november["before"]) == (6, 1)
    assert (december["current"], december["records"]) == (None, None)
    assert december["before"] == 0
    listed = client.get(november["records"]).json()
    assert listed["count"] == 6
    assert client.get(november["records_before"]).json()["count"] == 1


def test_the_api_trend_by_default_this_year_and_a_bad_year_400(client, cast, made):
    client.force_login(cast.a_user)
    data = client.get(reverse("api-report-trend", args=["checks"])).json()
    assert data["year"] == 2026 and data["office"] == "R-AKMOLA-D1"
    bad = client.get(reverse("api-report-trend", args=["appeals"]) + "?year=twenty")
    assert bad.status_code == 400
    assert client.get(reverse("api-report-trend", args=["nonsense"])).status_code == 404


def test_the_api_trend_outside_the_scope_is_404(client, cast, made):
    client.force_login(cast.b_user)
    url = reverse("api-report-trend", args=["appeals"])
    assert client.get(url + "?office=R-AKMOLA-D1").status_code == 404
    assert client.get(url + "?office=R-AKMOLA-D2").status_code == 200
