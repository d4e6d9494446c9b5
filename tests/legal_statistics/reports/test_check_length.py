"""The checks report's average length in working days (legal_statistics/reports/checks.py): Art.
18(4) counts a check's term in working days from its start, without the days it stood suspended
(the day of the suspension counts, the day of the resumption is counted again: docs/rules.md
"Readings"). Checks made by hand across the day off of Monday 10 March 2025 (Women's Day, moved
from Saturday 8 March: Law "On holidays" Art. 5); the door is the list of the checks averaged,
each with its own length."""

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from legal_statistics import reports
from legal_statistics.reports import periods
from legal_statistics.reports.checks import length_in_working_days, lengths_in_working_days
from prosecution import workdays
from supervision import services as checks
from supervision.models import Check, SuspensionCause
from tests.check_helpers import started

pytestmark = pytest.mark.django_db

REPORT = reports.get("checks")
MARCH = periods.parse("2025-03")


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    """Overrides the appeals' clock of conftest.py: the checks are of March 2025."""
    with time_machine.travel("2025-03-03 10:00 +05:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def made(cc, _tuesday_10_november):
    clock = _tuesday_10_november
    plain = started(cc, on=date(2025, 3, 3), resolution_number="1")
    stopped = started(cc, on=date(2025, 3, 3), resolution_number="2")
    running = started(cc, on=date(2025, 3, 3), resolution_number="3")
    clock.move_to("2025-03-05 10:00 +05:00")
    checks.suspend_check(
        stopped,
        by=cc.inspector,
        cause=SuspensionCause.EXPERT_EXAMINATION,
        reason="Экспертиза",
        on=date(2025, 3, 5),
    )
    clock.move_to("2025-03-12 10:00 +05:00")
    checks.resume_check(stopped, by=cc.inspector, on=date(2025, 3, 12), reason="Заключение")
    clock.move_to("2025-03-17 10:00 +05:00")
    checks.complete_check(plain, by=cc.inspector, result="Нарушений нет", on=date(2025, 3, 14))
    checks.complete_check(stopped, by=cc.inspector, result="Нарушений нет", on=date(2025, 3, 17))
    return {"plain": plain, "stopped": stopped, "running": running}


def test_a_check_s_length_skips_days_off_and_its_suspension_art_18_4(made):
    assert not workdays.is_working_day(date(2025, 3, 10))  # the calendar's moved holiday
    plain = Check.objects.get(pk=made["plain"].pk)
    # 3 to 14 March: 4-7 and 11-14 March, the 10th off: 8 working days (9 without the holiday).
    assert length_in_working_days(plain) == 8
    stopped = Check.objects.get(pk=made["stopped"].pk)
    # 3 to 17 March: 9 working days; suspended on the 5th (counted) and resumed on the 12th
    # (counted again): the 6th, 7th and 11th stood still (the 10th is off anyway): 6.
    assert length_in_working_days(stopped) == 6
    # The term engine counts the same days used (prosecution/terms/engine.py): the days before
    # the suspension and those from the resumption to the completion.
    term = checks.term_of(stopped)
    used = term.counted_before + workdays.working_days_between(term.count_from, term.met_on)
    assert used == 6


def test_the_average_is_of_the_checks_completed_in_the_period_art_18_4(cast, made):
    row = {r.figure.key: r for r in REPORT.rows(cast.region_user, cast.region, MARCH)}["length"]
    assert (row.current, row.value) == (2, 7.0)  # (8 + 6) / 2; the running check is not in it
    assert (row.before, row.value_before, row.value_change) == (0, None, None)
    listed = REPORT.records(REPORT.figure("length"), cast.region_user, cast.region, MARCH)
    assert sorted(length_in_working_days(c) for c in listed) == [6, 8]
    # Read as columns for the average (a year of the republic's checks), the same lengths.
    assert sorted(lengths_in_working_days(listed.prefetch_related(None))) == [6, 8]
    assert REPORT.rows(cast.region_user, cast.region, periods.parse("2025-02"))[-1].value is None


def test_the_page_csv_and_api_show_the_average_and_each_length(client, cast, made):
    client.force_login(cast.region_user)
    query = "?office=R-AKMOLA&period=2025-03"
    html = client.get(reverse("reports") + query + "&report=checks").content.decode()
    row = re.search(r'<tr data-figure="length">(.*?)</tr>', html, re.S).group(1)
    assert ">2</a>" in row and ": 7</span>" in row
    listed = client.get(reverse("report-figure", args=["checks", "length"]) + query)
    assert re.findall(r'data-testid="record-value">— (\d+)<', listed.content.decode()) in (
        ["8", "6"],
        ["6", "8"],
    )
    lines = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("report-csv", args=["checks"]) + query).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert lines[-1][3:5] == ["7.0", ""]
    data = client.get(
        reverse("api-report", args=["checks"]), {"office": "R-AKMOLA", "period": "2025-03"}
    ).json()
    length = next(f for f in data["figures"] if f["key"] == "length")
    assert length["current"] == 2 and length["value"]["current"] == 7.0
    records = client.get(length["records"]).json()
    assert records["count"] == 2 and sorted(r["value"] for r in records["results"]) == [6, 8]
