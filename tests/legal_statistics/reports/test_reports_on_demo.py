"""THE RULE on the demo data (issue 17: "every figure is a door"): for every figure of every
report, for the republic and for a district, this year and the year before, the list behind the
API's `records` link holds as many records as the figure says. seed_demo is slow: one test."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from appeals.demo import HISTORY
from appeals.models import Appeal, Booking, BookingState, ReceptionOutcome
from legal_statistics import reports
from legal_statistics.reports import tallies
from prosecution.models import Office, Position
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def test_every_figure_of_every_report_lists_as_many_records_on_the_demo(client, settings):
    settings.DEMO_HISTORY_OFFICES = 1  # last year's appeals of one district (appeals/demo.py)
    call_command("seed_demo", verbosity=0)
    # The reports counted ahead are read from their tallies (tallies.py): the seed's every change
    # kept them.
    for report in reports.REPORTS.values():
        if report.tallied_by:
            assert tallies.differences(report) == {}, report.key
    gpo = make_staff("reports_gpo", Office.objects.get(code="GPO"), Position.DEPUTY)
    district = Appeal.objects.order_by("pk").first().office
    client.force_login(gpo)
    year = timezone.localdate().year
    counted = 0
    for report in reports.REPORTS.values():
        for office in ("GPO", district.code):
            url = reverse("api-report", args=[report.key])
            data = client.get(url, {"office": office, "period": str(year)}).json()
            assert len(data["figures"]) == len(report.figures)
            for figure in data["figures"]:
                for link, expected in (
                    (figure["records"], figure["current"]),
                    (figure["records_before"], figure["before"]),
                ):
                    listed = client.get(link + "&limit=1000").json()
                    assert listed["count"] == expected == len(listed["results"]), (
                        report.key,
                        office,
                        figure["key"],
                    )
                    counted += expected
    # Not a rule checked on nothing: the demo's appeals are there to be counted.
    assert counted > 0
    received = client.get(
        reverse("api-report", args=["appeals"]), {"office": "GPO", "period": str(year)}
    ).json()["figures"][0]
    assert received["key"] == "received" and received["current"] > 0
    # Last year's, closed, in every month: the year before is there to set beside this one.
    assert received["before"] == 12 * len(HISTORY)
    assert received["change"] is not None
    # The demo's reception already held lies within 20 days before today: this year or the last.
    assert (
        _receptions_match_the_demo_s_bookings(client, year)
        + (_receptions_match_the_demo_s_bookings(client, year - 1))
        > 0
    )


def _receptions_match_the_demo_s_bookings(client, year) -> int:
    """The receptions report against the demo's bookings counted here by hand
    (appeals/reception/demo.py: a reception already held by the regional prosecutor): citizens
    received, and reception days as (office, official, day) with someone received or marked as not
    come. Returns the citizens received."""
    figures = {
        f["key"]: f
        for f in client.get(
            reverse("api-report", args=["receptions"]), {"office": "GPO", "period": str(year)}
        ).json()["figures"]
    }
    received = [
        b
        for b in Booking.objects.filter(state=BookingState.RECEIVED)
        if timezone.localdate(b.starts_at).year == year
    ]
    sat = [
        b
        for b in Booking.objects.filter(state__in=[BookingState.RECEIVED, BookingState.NO_SHOW])
        if timezone.localdate(b.starts_at).year == year
    ]
    days = {(b.office_id, b.official_id, timezone.localdate(b.starts_at)) for b in sat}
    assert figures["received"]["current"] == len(received)
    assert figures["days"]["current"] == len(days)
    accepted = [b for b in received if b.outcome == ReceptionOutcome.APPEAL_ACCEPTED]
    assert figures["appeals"]["current"] == len(accepted)
    return len(received)
