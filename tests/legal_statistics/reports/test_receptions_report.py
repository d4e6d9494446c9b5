"""The receptions report (legal_statistics/reports/receptions.py) against bookings made by the
test: reception days held (an official of an office receiving on a day), those of the leadership
held against the duty of docs/sources.md, seed 002-4 (the GPO's leadership at least once a month,
that of regional and equated offices at least once a week), citizens received, refusals by their
ground (seed 002) and appeals accepted; every figure's list as long as the figure, through the
pages, the CSV, the XLSX and the API."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from itertools import count

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from appeals.models import (
    Booking,
    BookingState,
    Channel,
    ReceptionOutcome,
    RefusalGround,
)
from legal_statistics import reports
from legal_statistics.reports import periods, receptions
from legal_statistics.reports.receptions import months_owed, weeks_owed
from prosecution.models import Position
from tests.appeal_helpers import register
from tests.conftest import make_day_off, make_staff
from tests.reception_helpers import appointment

pytestmark = pytest.mark.django_db

REPORT = reports.get("receptions")
NOVEMBER = periods.parse("2026-11")
_codes = count(1)


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    """Overrides the reports' clock of conftest.py: 10 December 2026, November is over."""
    with time_machine.travel("2026-12-10 10:00 +05:00", tick=False) as traveller:
        yield traveller


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _booking(schedule, day: date, minute: int = 0, *, state=BookingState.RECEIVED, **fields):
    """A booking as the reception services leave it (appeals/reception/day.py, screening.py)."""
    starts_at = _at(day, 10, minute)
    if state == BookingState.RECEIVED:
        fields.setdefault("outcome", ReceptionOutcome.CONSULTATION)
    return Booking.objects.create(
        code=f"T{next(_codes):07d}",
        schedule=schedule,
        office=schedule.office,
        official=schedule.official,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=20),
        channel=Channel.CALL_CENTRE,
        state=state,
        last_name="Абаев",
        phone="+77011112233",
        language="ru",
        matter="Невыплата зарплаты",
        **fields,
    )


@pytest.fixture
def made(cast, head_a):
    pavlodar_head = make_staff("pavlodar_head", cast.other_district, Position.HEAD)
    gpo = appointment(cast.gpo_user)  # a deputy Prosecutor General: monthly
    region = appointment(cast.region_user)  # the regional prosecutor: weekly
    district = appointment(head_a)  # a district head: no duty in seed 002-4
    pavlodar = appointment(pavlodar_head)
    appeal, _code = register(cast, channel=Channel.RECEPTION)
    made = {
        # The GPO: two days, one citizen refused in person, one appeal accepted.
        "gpo_1": _booking(gpo, date(2026, 11, 4)),
        "gpo_appeal": _booking(
            gpo, date(2026, 11, 4), 20, outcome=ReceptionOutcome.APPEAL_ACCEPTED, appeal=appeal
        ),
        "gpo_refused_in_person": _booking(
            gpo,
            date(2026, 11, 18),
            outcome=ReceptionOutcome.REFUSED,
            outcome_note="Вопрос рассмотрен судом, разъяснено.",
        ),
        # Refused on screening: counted on the day of the refusal, not of the slot.
        "screened_in_november": _booking(
            gpo,
            date(2026, 12, 2),
            state=BookingState.REFUSED,
            refusal_ground=RefusalGround.ALREADY_RECEIVED,
            refusal_reason="Принят в 2025 году",
            screened_at=_at(date(2026, 11, 20)),
        ),
        "screened_in_october": _booking(
            gpo,
            date(2026, 11, 11),
            state=BookingState.REFUSED,
            refusal_ground=RefusalGround.FOR_THE_COURTS,
            refusal_reason="Дело в суде",
            screened_at=_at(date(2026, 10, 30)),
        ),
        # The region: two citizens on the 3rd (one day), one on the 10th, a no-show on the 12th.
        "region_1": _booking(region, date(2026, 11, 3)),
        "region_2": _booking(region, date(2026, 11, 3), 20),
        "region_3": _booking(region, date(2026, 11, 10)),
        "region_no_show": _booking(region, date(2026, 11, 12), state=BookingState.NO_SHOW),
        "region_last_year": _booking(region, date(2025, 11, 11)),
        # District A: a booked citizen and a walk-in on the same day (one day held).
        "district": _booking(district, date(2026, 11, 5)),
        "district_walk_in": _booking(district, date(2026, 11, 5), 45, walk_in=True),
        # Another region, outside the regional prosecutor's scope.
        "pavlodar": _booking(pavlodar, date(2026, 11, 6)),
        # A citizen still to come is nobody received.
        "upcoming": _booking(region, date(2026, 12, 15), state=BookingState.CONFIRMED),
    }
    return made


def _keys(user, office, key, period=NOVEMBER) -> set[str]:
    records = REPORT.records(REPORT.figure(key), user, office, period)
    return set(records.values_list("code", flat=True))


def _codes_of(made, *names) -> set[str]:
    return {made[name].code for name in names}


def _rows(user, office, period=NOVEMBER) -> dict:
    return {row.figure.key: row for row in REPORT.rows(user, office, period)}


def test_a_reception_day_is_an_official_at_the_reception_on_a_day(cast, made):
    """Seed 002-4: one record per day, its first booking received or marked as not come: the
    walk-in and the second citizen of a day add no day; a day whose citizen did not come was held
    (the official sat, and marked it there); a citizen still to come makes no day."""
    gpo = cast.gpo_user, cast.gpo
    assert _keys(*gpo, "days") == _codes_of(
        made,
        "gpo_1",
        "gpo_refused_in_person",
        "region_1",
        "region_3",
        "region_no_show",
        "district",
        "pavlodar",
    )
    assert _keys(cast.region_user, cast.region, "days") == _codes_of(
        made, "region_1", "region_3", "region_no_show", "district"
    )
    assert _keys(cast.region_user, cast.region, "days", periods.parse("2025-11")) == _codes_of(
        made, "region_last_year"
    )


def test_the_leadership_s_days_are_held_against_the_duty_seed_002_4(cast, made):
    """docs/sources.md, seed 002-4: the GPO's leadership at least once a month (one leader, one
    month of November: 1 owed, 2 held), the regional leadership at least once a week (one
    regional prosecutor, four weeks of November: 4 owed, 3 held, one of them a day whose citizen
    did not come). A district head owes none."""
    rows = _rows(cast.gpo_user, cast.gpo)
    assert _keys(cast.gpo_user, cast.gpo, "days-monthly") == _codes_of(
        made, "gpo_1", "gpo_refused_in_person"
    )
    assert (rows["days-monthly"].current, rows["days-monthly"].value) == (2, 1)
    assert _keys(cast.gpo_user, cast.gpo, "days-weekly") == _codes_of(
        made, "region_1", "region_3", "region_no_show"
    )
    assert (rows["days-weekly"].current, rows["days-weekly"].value) == (3, 4)
    # The year before: the same leaders, November 2025's four weeks, one day held.
    assert (rows["days-weekly"].before, rows["days-weekly"].value_before) == (1, 4)
    # The region's scope holds no leader of the GPO: nothing held, nothing owed.
    region_rows = _rows(cast.region_user, cast.region)
    assert (region_rows["days-monthly"].current, region_rows["days-monthly"].value) == (0, 0)
    assert (region_rows["days-weekly"].current, region_rows["days-weekly"].value) == (3, 4)


def test_each_leader_against_the_duty_furthest_below_first_seed_002_4(cast, made, head_a, client):
    """Seed 002-4, leader by leader: the regional prosecutor held 3 days of the 4 weeks of
    November (1 below), the deputy Prosecutor General 2 days of the 1 month owed (none below);
    a district head owes none and is not listed. The days are counted as the figure counts
    them."""
    rows = receptions.duty_by_leader(cast.gpo_user, cast.gpo, NOVEMBER)
    by_user = {row.profile.user_id: row for row in rows}
    region, gpo = by_user[cast.region_user.pk], by_user[cast.gpo_user.pk]
    assert (region.weekly, region.held, region.owed, region.short) == (True, 3, 4, 1)
    assert (gpo.weekly, gpo.held, gpo.owed, gpo.short) == (False, 2, 1, 0)
    assert rows.index(region) < rows.index(gpo)  # the furthest below the duty first
    assert head_a.pk not in by_user
    assert (
        sum(r.held for r in rows if r.weekly)
        == _rows(cast.gpo_user, cast.gpo)["days-weekly"].current
    )
    # The region's head sees the region's leaders only.
    assert {
        r.profile.user_id
        for r in receptions.duty_by_leader(cast.region_user, cast.region, NOVEMBER)
    } == {cast.region_user.pk}
    client.force_login(cast.gpo_user)
    html = client.get(
        reverse("reports") + "?office=GPO&period=2026-11&report=receptions"
    ).content.decode()
    assert 'data-testid="leader" data-short="1"' in html
    api = client.get(
        reverse("api-report", args=["receptions"]), {"office": "GPO", "period": "2026-11"}
    )
    first = api.json()["leaders"][0]
    assert (first["duty"], first["held"], first["owed"], first["short"]) == ("weekly", 3, 4, 1)
    assert "leaders" not in client.get(reverse("api-report", args=["appeals"])).json()
    xlsx = client.get(reverse("report-xlsx", args=["receptions"]) + "?office=GPO&period=2026-11")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[1]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))][3:] == [3, 4, 1]
    # Other reports have no such table.
    assert (
        'data-testid="leaders"'
        not in client.get(reverse("reports") + "?office=GPO&period=2026-11").content.decode()
    )


def test_citizens_received_refusals_by_ground_and_appeals_accepted(cast, made):
    gpo = cast.gpo_user, cast.gpo
    assert _keys(*gpo, "received") == _codes_of(
        made,
        "gpo_1",
        "gpo_appeal",
        "gpo_refused_in_person",
        "region_1",
        "region_2",
        "region_3",
        "district",
        "district_walk_in",
        "pavlodar",
    )
    assert _keys(*gpo, "received-walk-in") == _codes_of(made, "district_walk_in")
    # Seed 002: a refusal names its ground; counted on the day it was decided.
    assert _keys(*gpo, "refused") == _codes_of(made, "screened_in_november")
    assert _keys(*gpo, f"refused-{RefusalGround.ALREADY_RECEIVED}") == _codes_of(
        made, "screened_in_november"
    )
    assert _keys(*gpo, f"refused-{RefusalGround.FOR_THE_COURTS}") == set()
    assert _keys(*gpo, "refused", periods.parse("2026-10")) == _codes_of(
        made, "screened_in_october"
    )
    assert _keys(*gpo, "refused-in-person") == _codes_of(made, "gpo_refused_in_person")
    accepted = REPORT.records(REPORT.figure("appeals"), *gpo, NOVEMBER)
    assert [booking.appeal for booking in accepted] == [made["gpo_appeal"].appeal]


def test_every_figure_lists_as_many_bookings_as_it_says(cast, made):
    for user, office in ((cast.gpo_user, cast.gpo), (cast.region_user, cast.region)):
        for period in (NOVEMBER, periods.parse("2026"), periods.parse("2025-11")):
            for row in REPORT.rows(user, office, period):
                listed = REPORT.records(row.figure, user, office, period)
                assert listed.count() == len(list(listed)) == row.current, row.figure.key


def test_the_duty_counts_the_months_and_weeks_that_are_over_seed_002_4():
    """docs/sources.md, seed 002-4: a month of the GPO's leadership is owed when its 15th is in
    the period, a week of the regional leadership when its Thursday is; only those over."""
    after = date(2027, 2, 1)
    year = periods.parse("2026")
    assert months_owed(year, after) == 12
    assert months_owed(periods.parse("2026-Q2"), after) == 3
    assert months_owed(periods.parse("2026-01-10..2026-02-20"), after) == 2
    # 1 January 2026 is a Thursday: the year has 53 weeks, and its months' weeks add up to them.
    assert weeks_owed(year, after) == 53
    months = [periods.parse(f"2026-{m:02d}") for m in range(1, 13)]
    assert sum(weeks_owed(month, after) for month in months) == 53
    assert weeks_owed(NOVEMBER, after) == 4  # Thursdays 5, 12, 19, 26 November
    # A month or a week still running is not yet owed.
    assert months_owed(NOVEMBER, date(2026, 11, 30)) == 0
    assert weeks_owed(NOVEMBER, date(2026, 11, 20)) == 2  # the weeks ending 8 and 15 November


def test_a_week_without_a_working_day_owes_no_reception_seed_002_4():
    for day in range(9, 14):  # Monday 9 to Friday 13 November 2026 made days off
        make_day_off(date(2026, 11, day))
    assert weeks_owed(NOVEMBER, date(2026, 12, 10)) == 3


def test_the_page_csv_xlsx_and_api_show_the_report_and_its_duty(client, cast, made):
    client.force_login(cast.gpo_user)
    query = "?office=GPO&period=2026-11"
    html = client.get(reverse("reports") + query + "&report=receptions").content.decode()
    row = re.search(r'<tr data-figure="days-weekly">(.*?)</tr>', html, re.S).group(1)
    assert ">3</a>" in row and ": 4</span>" in row
    # The duty's change against the year before is a percentage too, and says so (not "owed at
    # least: -100").
    assert re.search(r'<span class="note">\([^)]*: 0[.,]0 %\)</span>', row)
    figure_url = reverse("report-figure", args=["receptions", "days-weekly"])
    listed = client.get(figure_url + query).content.decode()
    assert made["region_1"].code in listed and made["region_3"].code in listed
    assert made["region_no_show"].code in listed
    assert made["region_2"].code not in listed

    lines = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("report-csv", args=["receptions"]) + query).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert len(lines) == 1 + len(REPORT.figures) + 2  # a line for each duty
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("report-xlsx", args=["receptions"]) + query).content)
    ).active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert [line[3:5] for line in values[1:4]] == [[7, 1], [2, 0], [1, 1]]

    data = client.get(
        reverse("api-report", args=["receptions"]), {"office": "GPO", "period": "2026-11"}
    ).json()
    weekly = next(f for f in data["figures"] if f["key"] == "days-weekly")
    assert weekly["current"] == 3 and weekly["value"]["current"] == 4
    assert "value" not in next(f for f in data["figures"] if f["key"] == "received")
    records = client.get(weekly["records"]).json()
    assert records["count"] == 3 and {r["value"] for r in records["results"]} == {None}


def test_each_leader_s_days_held_are_a_door_to_those_days(client, cast, made):
    """Issue 17, "every figure is a door", for the leaders' table too: a leader's days held open
    the reception days of that leader only, as many as it says, on the page and in the API."""
    client.force_login(cast.gpo_user)
    query = "?office=GPO&period=2026-11"
    html = client.get(reverse("reports") + query + "&report=receptions").content.decode()
    links = re.findall(r'<a href="([^"]+)" data-testid="leader-days">(\d+)</a>', html)
    assert len(links) == len(receptions.duty_by_leader(cast.gpo_user, cast.gpo, NOVEMBER))
    for link, held in links:
        listed = client.get(link.replace("&amp;", "&"))
        assert listed.context["page"].paginator.count == int(held), link
    region = client.get(
        reverse("report-figure", args=["receptions", "days-weekly"])
        + query
        + f"&person={cast.region_user.username}"
    )
    assert {b.code for b in region.context["page"]} == _codes_of(
        made, "region_1", "region_3", "region_no_show"
    )
    api = client.get(
        reverse("api-report", args=["receptions"]), {"office": "GPO", "period": "2026-11"}
    )
    for leader in api.json()["leaders"]:
        assert client.get(leader["records"]).json()["count"] == leader["held"], leader["name"]
    # A person outside the scope, or asked of a report that names none: not found.
    outside = client.get(
        reverse("report-figure", args=["receptions", "days"]) + query + "&person=nobody-here"
    )
    assert outside.status_code == 404
    appeals = client.get(
        reverse("report-figure", args=["appeals", "received"])
        + query
        + f"&person={cast.region_user.username}"
    )
    assert appeals.status_code == 404


def test_the_leaders_against_the_duty_as_a_csv_of_their_own(client, cast, made):
    """Seed 002-4: the leaders' table, as the XLSX's second sheet has it, for a CSV import."""
    client.force_login(cast.gpo_user)
    query = "?office=GPO&period=2026-11"
    page = client.get(reverse("reports") + query + "&report=receptions").content.decode()
    assert 'data-testid="leaders-csv"' in page
    response = client.get(reverse("report-csv", args=["receptions"]) + query + "&table=leaders")
    assert "receptions-GPO-2026-11-leaders.csv" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    leaders = receptions.duty_by_leader(cast.gpo_user, cast.gpo, NOVEMBER)
    assert len(lines) == 1 + len(leaders)
    assert lines[1][3:] == ["3", "4", "1"]  # the regional prosecutor, furthest below the duty
    # A report without a leaders' table has no such CSV.
    appeals = client.get(reverse("report-csv", args=["appeals"]) + query + "&table=leaders")
    assert appeals.status_code == 404
