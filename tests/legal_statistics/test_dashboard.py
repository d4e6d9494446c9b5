"""The supervisors' deadline dashboard (/dashboard/, legal_statistics/): bands, the roll-up
through the hierarchy and its drill-down, the scope of each level (Art. 5(2)), secrecy, filters,
sorting, the trend and the cost in queries."""

from datetime import date, timedelta

import pytest

from legal_statistics import selectors
from legal_statistics.bands import Band, Horizon
from legal_statistics.selectors import DashboardFilters
from prosecution import workdays
from prosecution.models import CalendarDay, Position, TermKind, TermState
from prosecution.terms import engine as terms
from tests.conftest import make_staff
from tests.dashboard_terms import FRIDAY_BEFORE_NAURYZ, make_term, on_day

pytestmark = pytest.mark.django_db

FRIDAY = FRIDAY_BEFORE_NAURYZ
NONE = DashboardFilters()


def _totals(user, office=None, filters=NONE, today=FRIDAY):
    office = office or selectors.scope_office(user)
    totals, _rows, _kinds = selectors.rollup(user, office, filters, Horizon.on(today))
    return totals.as_dict()


def _items(user, office, band="", **filters):
    horizon = Horizon.on(FRIDAY)
    queryset = selectors.items(user, office, DashboardFilters(band=band, **filters), horizon)
    return list(queryset)


@pytest.fixture
def spread(cast):
    """Terms all over the cast's tree, one of each band in district A."""
    a, b, region = cast.district_a, cast.district_b, cast.region
    return {
        "overdue_open": make_term(a, FRIDAY - timedelta(days=1), responsible=cast.a_user),
        "overdue_missed": make_term(a, date(2026, 3, 2), TermState.MISSED),
        "today": make_term(a, FRIDAY, responsible=cast.a_user),
        "soon": make_term(a, date(2026, 3, 30), kind=TermKind.CHECK_DURATION),
        "on_time": make_term(a, date(2026, 3, 31)),
        "suspended": make_term(a, date(2026, 3, 1), TermState.SUSPENDED),
        "met": make_term(a, date(2026, 3, 10), TermState.MET),
        "cancelled": make_term(a, date(2026, 3, 10), TermState.CANCELLED),
        "b_overdue": make_term(b, date(2026, 3, 16), TermState.MISSED, responsible=cast.b_user),
        "region_soon": make_term(region, date(2026, 3, 26)),
        "pavlodar_today": make_term(cast.other_district, FRIDAY),
        "gpo_on_time": make_term(cast.gpo, date(2026, 5, 4), kind=TermKind.PROTEST_CONSIDERATION),
    }


# --- Bands -------------------------------------------------------------------------------------


def test_due_within_3_working_days_reaches_past_nauryz_on_the_friday_before(cast, spread):
    """Nauryz 2026: Sat 21 - Wed 25 March are days off; from Friday 20 March the third working
    day is Monday 30 March. A missed term and an open one past its date are both overdue; a
    suspended one is not, whatever its stored date; met and cancelled terms are not active."""
    assert Horizon.on(FRIDAY).soon_until == date(2026, 3, 30)
    assert _totals(cast.a_user) == {
        "overdue": 2,
        "due_today": 1,
        "due_soon": 1,
        "on_time": 1,
        "suspended": 1,
        "extended": 0,
        "total": 6,
    }


def test_due_within_3_working_days_skips_the_weekend_on_a_thursday(cast):
    thursday = date(2026, 6, 4)
    assert Horizon.on(thursday).soon_until == date(2026, 6, 9)  # Fri, Mon, Tue
    for due in (date(2026, 6, 6), date(2026, 6, 9), date(2026, 6, 10)):
        make_term(cast.district_a, due)
    counts = _totals(cast.a_user, today=thursday)
    assert (counts["due_soon"], counts["on_time"]) == (2, 1)


def test_an_edited_calendar_moves_the_band_at_once(cast):
    """An order makes Thursday 26 March a day off: "due within 3 working days" reaches one day
    further at once (the calendar is data, prosecution/workdays.py)."""
    make_term(cast.district_a, date(2026, 3, 31))
    with on_day(FRIDAY):
        assert _totals(cast.a_user)["on_time"] == 1
        CalendarDay.objects.create(
            date=date(2026, 3, 26),
            kind="day_off",
            name_kk="Демалыс",
            name_ru="Выходной",
            name_en="Day off",
            legal_source="test",
        )
        workdays.invalidate()
        assert Horizon.on(FRIDAY).soon_until == date(2026, 3, 31)
        assert _totals(cast.a_user)["due_soon"] == 1


# --- Roll-up, drill-down, scope ------------------------------------------------------------------


def test_the_rollup_sums_to_the_totals_and_each_band_to_its_item_list(cast, spread):
    totals, rows, kinds = selectors.rollup(cast.gpo_user, cast.gpo, NONE, Horizon.on(FRIDAY))
    for band in Band:
        assert sum(row.counts.get(band) for row in rows) == totals.get(band)
        assert sum(row.counts.get(band) for row in kinds) == totals.get(band)
        assert len(_items(cast.gpo_user, cast.gpo, band=band)) == totals.get(band), band
    assert totals.total == 10 == len(_items(cast.gpo_user, cast.gpo))
    by_code = {row.code: row.counts.total for row in rows}
    assert by_code["GPO"] == 1  # the GPO's own term, in its own row
    assert by_code["R-AKMOLA"] == 8  # the region with both districts
    assert by_code["R-PAVLODAR"] == 1
    assert by_code["R-ABAI"] == 0  # every active child is listed, with zeros
    assert rows[0].is_own and rows[0].code == "GPO"


def test_drill_down_from_the_republic_to_a_district_ends_in_its_terms(cast, spread, client):
    client.force_login(cast.gpo_user)
    with on_day(FRIDAY):
        republic = client.get("/dashboard/").content.decode()
        assert 'data-office="R-AKMOLA"' in republic and "?office=R-AKMOLA" in republic
        assert 'data-testid="items"' not in republic  # regions to drill into, not a list
        region = client.get("/dashboard/?office=R-AKMOLA").content.decode()
        assert 'data-office="R-AKMOLA-D1"' in region and 'data-office="R-AKMOLA-D2"' in region
        assert 'data-office="R-PAVLODAR"' not in region
        district = client.get("/dashboard/?office=R-AKMOLA-D1").content.decode()
    assert 'data-testid="by-office"' not in district  # nothing below a district
    for name in ("overdue_open", "overdue_missed", "today", "soon", "on_time", "suspended"):
        assert f'data-term="{spread[name].uuid}"' in district
    for name in ("met", "cancelled", "b_overdue", "region_soon"):
        assert str(spread[name].uuid) not in district


def test_each_level_sees_its_own_subtree(cast, spread):
    assert _totals(cast.gpo_user)["total"] == 10
    assert _totals(cast.region_user)["total"] == 8
    assert _totals(cast.a_user)["total"] == 6
    assert _totals(cast.b_user)["total"] == 1
    assert _totals(cast.other_user)["total"] == 1


def test_a_district_sees_nothing_of_its_sibling(cast, spread, client):
    """Leak test: district B's page, list, API and export show none of district A's terms, and
    district A's (or the region's) dashboard does not exist for B."""
    a_terms = [str(t.uuid) for t in spread.values() if t.office == cast.district_a]
    client.force_login(cast.b_user)
    with on_day(FRIDAY):
        page = client.get("/dashboard/?list=1").content.decode()
        api = client.get("/api/v1/dashboard/").content.decode()
        csv = b"".join(client.get("/dashboard/export.csv").streaming_content).decode()
        for code in ("R-AKMOLA-D1", "R-AKMOLA", "GPO", "R-PAVLODAR-D1"):
            assert client.get(f"/dashboard/?office={code}").status_code == 404
            assert client.get(f"/api/v1/dashboard/?office={code}").status_code == 404
            assert client.get(f"/dashboard/export.csv?office={code}").status_code == 404
    assert str(spread["b_overdue"].uuid) in page and str(spread["b_overdue"].uuid) in csv
    for uuid in a_terms:
        assert uuid not in page and uuid not in csv
    assert "R-AKMOLA-D1" not in page and "R-AKMOLA-D1" not in api and "R-AKMOLA-D1" not in csv


def test_an_unknown_office_is_not_found_either(cast, client):
    client.force_login(cast.gpo_user)
    assert client.get("/dashboard/?office=NOWHERE").status_code == 404


def test_a_district_user_sees_no_link_above_their_office(cast, spread, client):
    client.force_login(cast.a_user)
    with on_day(FRIDAY):
        page = client.get("/dashboard/").content.decode()
    assert "?office=R-AKMOLA&" not in page and 'href="?office=R-AKMOLA"' not in page
    assert "?office=GPO" not in page


def test_classified_terms_count_only_for_cleared_staff(cast):
    """docs/rules.md "Secrecy": an uncleared superior does not see (or count) a classified term."""
    make_term(cast.district_a, FRIDAY, classified=True)
    make_term(cast.district_a, FRIDAY)
    make_term(cast.district_a, date(2026, 3, 16), TermState.MISSED, classified=True)
    cleared = make_staff("cleared_head", cast.region, Position.HEAD, has_clearance=True)
    assert _totals(cast.region_user) == {
        **_totals(cleared),
        "overdue": 0,
        "due_today": 1,
        "total": 1,
    }
    assert _totals(cleared)["due_today"] == 2
    horizon = Horizon.on(FRIDAY)
    assert len(selectors.items(cast.region_user, cast.region, NONE, horizon)) == 1
    assert len(selectors.items(cleared, cast.region, NONE, horizon)) == 3
    people = selectors.by_person(cast.region_user, cast.region, NONE, horizon)
    assert sum(row.counts.total for row in people) == 1
    uncleared_trend = selectors.missed_per_week(cast.region_user, cast.region, NONE, FRIDAY)
    cleared_trend = selectors.missed_per_week(cleared, cast.region, NONE, FRIDAY)
    assert (uncleared_trend[-1].missed, cleared_trend[-1].missed) == (0, 1)


# --- Filters, sorting --------------------------------------------------------------------------


def test_filters_narrow_the_rollup_and_the_list_alike(cast, spread):
    cases = [
        (DashboardFilters(kind=TermKind.CHECK_DURATION), 1),
        (DashboardFilters(state=TermState.MISSED), 2),
        (DashboardFilters(state=TermState.SUSPENDED), 1),
        (DashboardFilters(due_from=date(2026, 3, 19), due_to=date(2026, 3, 30)), 5),
        (DashboardFilters(responsible=cast.a_user.pk), 2),
    ]
    for filters, expected in cases:
        assert _totals(cast.gpo_user, filters=filters)["total"] == expected, filters
        horizon = Horizon.on(FRIDAY)
        assert selectors.items(cast.gpo_user, cast.gpo, filters, horizon).count() == expected


def test_the_own_row_lists_only_the_office_s_own_terms(cast, spread):
    own = _items(cast.region_user, cast.region, own=True)
    assert [t.uuid for t in own] == [spread["region_soon"].uuid]


def test_filters_are_checked_and_errors_shown_next_to_the_field(cast, client):
    client.force_login(cast.a_user)
    response = client.get("/dashboard/?kind=castle&due_from=2026-04-01&due_to=2026-03-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="f-kind-error"' in html and 'aria-invalid="true"' in html
    response = client.get("/dashboard/?due_from=2026-04-01&due_to=2026-03-01")
    assert response.status_code == 400 and 'id="f-due-to-error"' in response.content.decode()
    assert client.get("/dashboard/?sort=shoe_size").status_code == 400


def test_the_office_table_sorts_by_any_column_and_keeps_the_own_row_on_top(cast, spread):
    _, rows, _ = selectors.rollup(cast.gpo_user, cast.gpo, NONE, Horizon.on(FRIDAY))
    for sort in selectors.OFFICE_SORT_KEYS:
        for key in (sort, f"-{sort}"):
            ordered = selectors.sort_office_rows(rows, key)
            assert ordered[0].is_own
            children = ordered[1:]
            if sort == "office":
                values = [row.name.casefold() for row in children]
            elif sort == "total":
                values = [row.counts.total for row in children]
            else:
                values = [row.counts.get(sort) for row in children]
            assert values == sorted(values, reverse=key.startswith("-")), key
    first = selectors.sort_office_rows(rows, "-total")[1]
    assert first.code == "R-AKMOLA"


def test_the_page_sorts_when_a_heading_is_chosen(cast, spread, client):
    client.force_login(cast.gpo_user)
    with on_day(FRIDAY):
        html = client.get("/dashboard/?sort=total").content.decode()
    assert 'aria-sort="ascending"' in html
    assert html.index('data-office="R-PAVLODAR"') < html.index('data-office="R-AKMOLA"')
    with on_day(FRIDAY):
        html = client.get("/dashboard/?sort=-total").content.decode()
    assert html.index('data-office="R-AKMOLA"') < html.index('data-office="R-PAVLODAR"')


# --- By person, trend ----------------------------------------------------------------------------


def test_people_with_the_most_overdue_terms_come_first(cast, spread):
    people = selectors.by_person(cast.gpo_user, cast.gpo, NONE, Horizon.on(FRIDAY))
    assert [row.username for row in people[:1]] == [""]  # nobody assigned: 1 overdue, 7 in all
    named = {row.username: row.counts for row in people if row.user_id}
    assert named["district_a"].overdue == 1 and named["district_a"].due_today == 1
    assert named["district_b"].overdue == 1
    assert {row.office_code for row in people if row.user_id} == {"R-AKMOLA-D1", "R-AKMOLA-D2"}


@pytest.mark.parametrize("filters", [NONE, DashboardFilters(kind=TermKind.APPEAL_ANSWER)])
def test_people_are_ranked_by_overdue_then_all_terms_nobody_last_and_cut_in_the_database(
    cast, filters
):
    """From the tallies (no filter) or from the terms (a kind), the same order: most overdue
    first (marked missed, or open and due before today, added up across both tallies), then
    the most terms, nobody's last among equals; only the first `limit` come back."""
    a, b = cast.district_a, cast.district_b
    past, later = FRIDAY - timedelta(days=3), FRIDAY + timedelta(days=20)
    make_term(a, past, TermState.MISSED, responsible=cast.b_user)
    make_term(b, past, responsible=cast.b_user)  # open and past due: overdue as well
    make_term(a, past, TermState.MISSED, responsible=cast.a_user)
    make_term(a, later, responsible=cast.a_user)
    make_term(a, past, TermState.MISSED)  # nobody's: 1 overdue, 1 in all
    make_term(b, past, TermState.MISSED, responsible=cast.region_user)
    ranked = selectors.by_person(cast.gpo_user, cast.gpo, filters, Horizon.on(FRIDAY), limit=3)
    assert [(row.username, row.counts.overdue, row.counts.total) for row in ranked] == [
        ("district_b", 2, 2),
        ("district_a", 1, 2),
        ("region", 1, 1),
    ]
    everyone = selectors.by_person(cast.gpo_user, cast.gpo, filters, Horizon.on(FRIDAY))
    assert [row.username for row in everyone][3:] == [""]


def test_the_trend_counts_missed_and_late_terms_in_the_week_after_their_due_date(cast):
    """Sunday 15 March is due: missed on Monday 16 March, that week. A term met late counts in
    the week after its due date; one met on time, a cancelled one, and one older than 12 weeks
    do not."""
    a = cast.district_a
    make_term(a, date(2026, 3, 15), TermState.MISSED)
    make_term(a, date(2026, 3, 13), TermState.MISSED)  # Friday: missed Saturday, week of 9 March
    make_term(a, date(2026, 3, 12), TermState.MET, met_on=date(2026, 3, 17))  # late
    make_term(a, date(2026, 3, 12), TermState.MET, met_on=date(2026, 3, 12))  # on time
    make_term(a, date(2026, 3, 12), TermState.CANCELLED)
    make_term(a, date(2025, 12, 1), TermState.MISSED)  # 16 weeks ago
    make_term(cast.district_b, date(2026, 3, 15), TermState.MISSED)  # not district A's
    weeks = selectors.missed_per_week(cast.a_user, a, NONE, FRIDAY)
    assert len(weeks) == 12 and weeks[-1].week_start == date(2026, 3, 16)
    assert weeks[0].week_start == date(2025, 12, 29)
    assert {w.week_start: w.missed for w in weeks if w.missed} == {
        date(2026, 3, 16): 1,
        date(2026, 3, 9): 2,
    }
    region = selectors.missed_per_week(cast.region_user, cast.region, NONE, FRIDAY)
    assert region[-1].missed == 2


def test_the_trend_chart_is_an_inline_svg_without_inline_styles(cast, client):
    make_term(cast.district_a, date(2026, 3, 15), TermState.MISSED)
    client.force_login(cast.a_user)
    with on_day(FRIDAY):
        html = client.get("/dashboard/").content.decode()
    chart = html.index('<svg viewBox="0 0 ')  # the chart's, not the bell's icon in the header
    svg = html[chart : html.index("</svg>", chart)]
    assert 'class="bar"' in svg and "<title" in svg
    assert "style=" not in html and "<script" not in html.split("</head>")[1]


# --- Items, pages, queries -------------------------------------------------------------------


def test_each_item_says_why_its_date(cast, client):
    """Art. 24(3): 15 working days from 20 March 2026; Nauryz (23-25 March) is not counted."""
    terms.open_term(
        subject=cast.district_a,
        kind=TermKind.APPEAL_ANSWER,
        office=cast.district_a,
        start_date=date(2026, 3, 20),
        start_event="received by post",
    )
    client.force_login(cast.a_user)
    with on_day(date(2026, 4, 1)):
        html = client.get("/dashboard/").content.decode()
    why = html[html.index('<details class="why">') : html.index("</details>", html.index("why"))]
    assert "23.03.2026" in why and "15.04.2026" in why and "received by post" in why


def test_the_item_list_is_paginated(cast, client):
    for i in range(55):
        make_term(cast.district_a, FRIDAY + timedelta(days=i % 20))
    client.force_login(cast.a_user)
    with on_day(FRIDAY):
        first = client.get("/dashboard/").content.decode()
        second = client.get("/dashboard/?list=1&page=2").content.decode()
    assert first.count("data-term=") == 50 and second.count("data-term=") == 5
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_staff_without_an_office_get_an_explanation_not_an_error(cast, client):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user(username="nobody")
    client.force_login(nobody)
    response = client.get("/dashboard/")
    assert response.status_code == 200 and 'data-testid="no-profile"' in response.content.decode()
    assert client.get("/dashboard/export.csv").status_code == 404


def test_the_page_costs_the_same_queries_for_any_number_of_terms(
    cast, spread, client, django_assert_max_num_queries, steady_calendar
):
    """Session, user, the session's authenticator (django-otp), staff profile; the office of
    ?office=; the roll-up with the kinds; the children of the office; the people and their names;
    the extended terms; the trend; the list (a count and a page) and the records its rows open
    (one query per kind of record: here offices); the breadcrumbs; and the notice bell of
    base.html: 16, whether 10 terms or 30, 2 people or 22.
    """
    client.force_login(cast.gpo_user)
    with on_day(FRIDAY):
        workdays.is_working_day(FRIDAY)  # the calendar is loaded once per process, not per page
        with django_assert_max_num_queries(16):
            assert client.get("/dashboard/?office=R-AKMOLA&list=1").status_code == 200
        for i in range(20):
            make_term(cast.district_b, FRIDAY, responsible=make_staff(f"p{i}", cast.region))
        with django_assert_max_num_queries(16):
            assert client.get("/dashboard/?office=R-AKMOLA&list=1").status_code == 200


def test_a_district_costs_five_queries_whatever_its_terms(
    cast, spread, django_assert_num_queries, steady_calendar
):
    """An office with none below it (selectors._own_terms): its children (none), one grouped
    query of its terms for the roll-up, the kinds and the people, their names, the extended terms
    and the trend."""
    selectors.scope_office(cast.a_user)  # the staff profile, read once per request
    with on_day(FRIDAY):
        workdays.is_working_day(FRIDAY)  # the calendar is loaded once per process
        with django_assert_num_queries(5):
            page = selectors.dashboard(cast.a_user, cast.district_a, NONE)
        for i in range(20):
            make_term(cast.district_a, FRIDAY, responsible=make_staff(f"q{i}", cast.district_a))
        with django_assert_num_queries(5):
            more = selectors.dashboard(cast.a_user, cast.district_a, NONE)
    assert (page.totals.total, more.totals.total) == (6, 26)
    assert [row.is_own for row in page.by_office] == [True]


def test_a_resumed_check_explains_its_count_from_the_resumption(cast, client):
    """Art. 18(4): the count continues from the day the check is resumed."""
    check = terms.open_term(
        subject=cast.district_a,
        kind=TermKind.CHECK_DURATION,
        office=cast.district_a,
        start_date=date(2026, 3, 2),
        start_event="order of 2 March",
    )
    with on_day(date(2026, 3, 12)):
        check = terms.suspend_term(
            check, on=date(2026, 3, 5), reason="expert examination", system=True, by=None
        )
        terms.resume_term(check, on=date(2026, 3, 12), system=True, by=None)
    client.force_login(cast.a_user)
    with on_day(date(2026, 3, 13)):
        html = client.get("/dashboard/").content.decode()
    assert "11.03.2026" in html and "order of 2 March" not in html


def test_a_term_row_opens_its_appeal_or_its_check_and_people_show_their_office(
    cast, cc, client, django_assert_max_num_queries
):
    """Issue 13, point 8: a row of the list opens its record (the term's subject: the appeal, or
    the check for a check's term), at one query per kind of record; the people table names the
    office in the reader's language, not by its code."""
    from django.urls import reverse

    from tests.appeal_helpers import register
    from tests.check_helpers import started

    appeal, _code = register(cast)
    check = started(cc)
    demo = make_term(cast.district_a, FRIDAY, responsible=cast.a_user)  # its subject: an office
    client.force_login(cast.gpo_user)
    page = client.get(
        "/dashboard/?office=R-AKMOLA-D1&list=1", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    items = page[page.index('data-testid="items"') :]
    appeal_row = items[items.index(f'data-term="{appeal_term(appeal).uuid}"') :]
    assert appeal_row.split("</tr>")[0].count(reverse("appeal-detail", args=[appeal.uuid])) == 1
    check_row = items[items.index(f'data-term="{check_term(check).uuid}"') :]
    assert reverse("check-detail", args=[check.uuid]) in check_row.split("</tr>")[0]
    office_row = items[items.index(f'data-term="{demo.uuid}"') :].split("</tr>")[0]
    assert 'data-testid="record"' not in office_row

    people = page[page.index('data-testid="by-person"') :].split("</table>")[0]
    assert cast.district_a.name_ru in people and "<td>R-AKMOLA-D1</td>" not in people


def appeal_term(appeal):
    from prosecution.models import Term

    return Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_ANSWER)


def check_term(check):
    from supervision import services as checks

    return checks.term_of(check)
