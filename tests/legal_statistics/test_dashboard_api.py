"""GET /api/v1/dashboard/: the same roll-up as the page, for the caller's scope, with drill-down
links, the same filters and the one error shape."""

from datetime import date, timedelta

import pytest

from prosecution import workdays
from prosecution.models import TermKind, TermState
from tests.conftest import make_staff
from tests.dashboard_terms import FRIDAY_BEFORE_NAURYZ as FRIDAY
from tests.dashboard_terms import make_term, on_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_terms(cast):
    make_term(cast.district_a, FRIDAY - timedelta(days=1), responsible=cast.a_user)
    make_term(cast.district_a, FRIDAY, kind=TermKind.CHECK_DURATION)
    make_term(cast.district_b, date(2026, 3, 30), responsible=cast.b_user)
    make_term(cast.region, date(2026, 4, 30), TermState.SUSPENDED)
    make_term(cast.other_district, date(2026, 3, 16), TermState.MISSED)


def _get(client, url):
    with on_day(FRIDAY):
        return client.get(url, HTTP_ACCEPT="application/json")


def test_the_republic_rollup_has_bands_children_kinds_people_and_trend(cast, some_terms, client):
    client.force_login(cast.gpo_user)
    body = _get(client, "/api/v1/dashboard/").json()
    assert body["office"]["code"] == "GPO"
    assert (body["today"], body["soon_until"]) == ("2026-03-20", "2026-03-30")
    assert body["totals"] == {
        "overdue": 2,
        "due_today": 1,
        "due_soon": 1,
        "on_time": 0,
        "suspended": 1,
        "total": 5,
        "extended": 0,
    }
    rows = {row["code"]: row for row in body["by_office"]}
    assert body["by_office"][0]["is_own"] and body["by_office"][0]["dashboard_url"] is None
    assert rows["R-AKMOLA"]["counts"]["total"] == 4
    assert rows["R-AKMOLA"]["dashboard_url"].endswith("/api/v1/dashboard/?office=R-AKMOLA")
    assert "/api/v1/deadlines/?office=R-AKMOLA" in rows["R-AKMOLA"]["items_url"]
    assert {k["kind"]: k["counts"]["total"] for k in body["by_kind"]} == {
        "appeal_answer": 4,
        "check_duration": 1,
    }
    people = {p["username"]: p for p in body["by_person"]}
    assert people["district_a"]["office"] == "R-AKMOLA-D1"
    assert people["district_a"]["counts"]["overdue"] == 1
    assert len(body["trend"]) == 12 and body["trend"][-1]["missed"] == 1


def test_drill_down_links_keep_the_filters_and_lead_to_the_child(cast, some_terms, client):
    client.force_login(cast.gpo_user)
    body = _get(client, "/api/v1/dashboard/?kind=appeal_answer").json()
    region = next(row for row in body["by_office"] if row["code"] == "R-AKMOLA")
    assert "kind=appeal_answer" in region["dashboard_url"]
    child = _get(client, region["dashboard_url"]).json()
    assert child["office"]["code"] == "R-AKMOLA"
    assert child["totals"]["total"] == region["counts"]["total"] == 3
    assert [row["code"] for row in child["by_office"]] == ["R-AKMOLA", "R-AKMOLA-D1", "R-AKMOLA-D2"]
    items = _get(client, region["items_url"]).json()
    assert items["count"] == 3


def test_the_caller_sees_only_their_scope(cast, some_terms, client):
    client.force_login(cast.b_user)
    body = _get(client, "/api/v1/dashboard/").json()
    assert body["totals"]["total"] == 1
    assert [row["code"] for row in body["by_office"]] == ["R-AKMOLA-D2"]
    assert {p["username"] for p in body["by_person"]} == {"district_b"}
    for code in ("R-AKMOLA-D1", "R-AKMOLA", "GPO", "NOWHERE"):
        response = _get(client, f"/api/v1/dashboard/?office={code}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_bad_filters_get_a_400_in_the_one_error_shape(cast, client):
    client.force_login(cast.a_user)
    response = _get(client, "/api/v1/dashboard/?kind=castle&state=met")
    assert response.status_code == 400
    assert {"kind", "state"} <= set(response.json()["error"]["fields"])
    response = _get(client, "/api/v1/dashboard/?due_from=2026-04-01&due_to=2026-03-01")
    assert "due_to" in response.json()["error"]["fields"]
    assert _get(client, "/api/v1/dashboard/?sort=-shoe_size").status_code == 400


def test_the_answer_costs_the_same_queries_for_any_number_of_terms(
    cast, some_terms, client, django_assert_max_num_queries, steady_calendar
):
    """Session, user, the session's authenticator (django-otp), profile; the office of ?office=;
    the roll-up with the kinds; the children; the people and their
    names; the extended terms; the trend: 11, whether 5 terms or 25, 2 people or 22."""
    client.force_login(cast.gpo_user)
    workdays.is_working_day(FRIDAY)  # the calendar is loaded once per process
    with django_assert_max_num_queries(11):
        assert _get(client, "/api/v1/dashboard/?office=R-AKMOLA").status_code == 200
    for i in range(20):
        make_term(cast.district_a, FRIDAY, responsible=make_staff(f"p{i}", cast.district_a))
    with django_assert_max_num_queries(11):
        assert _get(client, "/api/v1/dashboard/?office=R-AKMOLA").status_code == 200


def test_the_schema_describes_the_dashboard(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/dashboard/"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"office", "kind", "state", "due_from", "due_to", "sort"} <= parameters
    assert "Dashboard" in schema["components"]["schemas"]
    assert "BandCounts" in schema["components"]["schemas"]
