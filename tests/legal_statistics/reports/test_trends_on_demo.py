"""The reports' monthly charts on the demo data: on every report's page, every bar of every main
figure says as many records as its link lists, and the appeals received month by month add up
to the year's figure. seed_demo is slow: one test."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from legal_statistics import reports
from legal_statistics.reports import trends
from prosecution.models import Office, Position
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

BAR = re.compile(
    r'<a href="([^"]+)" aria-label="[^"]+" data-period="([0-9-]+)" data-value="(\d+)">'
)


def test_every_bar_of_every_report_opens_as_many_records_on_the_demo(client):
    call_command("seed_demo", verbosity=0)
    gpo = make_staff("trends_gpo", Office.objects.get(code="GPO"), Position.DEPUTY)
    client.force_login(gpo)
    year = timezone.localdate().year
    drawn = 0
    for report in reports.REPORTS.values():
        page = client.get(reverse("reports"), {"report": report.key, "period": str(year)})
        assert page.status_code == 200
        html = page.content.decode()
        for figure in trends.main_figures(report):
            start = html.index(f'data-testid="report-trend" data-figure="{figure.key}"')
            chart = html[start : html.index("</figure>", start)]
            bars = BAR.findall(chart)
            assert 12 <= len(bars) <= 24, (report.key, figure.key)
            for link, period, value in bars:
                listed = client.get(link.replace("&amp;", "&"))
                assert listed.context["page"].paginator.count == int(value), (
                    report.key,
                    figure.key,
                    period,
                )
                drawn += int(value)
    assert drawn > 0  # not a rule checked on nothing
    api = reverse("api-report", args=["appeals"])
    received = client.get(api, {"office": "GPO", "period": str(year)}).json()["figures"][0]
    trend = client.get(reverse("api-report-trend", args=["appeals"]), {"office": "GPO"}).json()
    months = trend["figures"][0]["months"]
    assert sum(month["current"] or 0 for month in months) == received["current"]
