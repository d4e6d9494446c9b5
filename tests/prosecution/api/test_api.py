"""The API of the hierarchy and the calendar: /api/v1/offices/, /staff/, /calendar/."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token

from prosecution import workdays
from prosecution.models import CalendarDay, Office

pytestmark = pytest.mark.django_db


def test_offices_filter_by_kind_parent_and_subtree(cast, client):
    client.force_login(cast.a_user)
    regional = client.get("/api/v1/offices/?kind=regional&limit=100").json()
    assert regional["count"] == 17
    children = client.get("/api/v1/offices/?parent=R-AKMOLA").json()["results"]
    assert {o["code"] for o in children} == {"R-AKMOLA-D1", "R-AKMOLA-D2"}
    subtree = client.get("/api/v1/offices/?subtree=R-AKMOLA").json()["results"]
    assert {o["code"] for o in subtree} == {"R-AKMOLA", "R-AKMOLA-D1", "R-AKMOLA-D2"}


def test_bad_filters_get_a_clear_error_in_one_shape(cast, client):
    client.force_login(cast.a_user)
    response = client.get("/api/v1/offices/?kind=castle")
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]
    response = client.get("/api/v1/offices/?subtree=NOWHERE")
    assert response.status_code == 400


def test_office_list_costs_the_same_queries_for_any_number_of_offices(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.a_user)
    # session, user, profile, count, rows (+ parent joined): not one query per office
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/offices/?limit=500").status_code == 200


def test_token_authentication_works_and_no_token_is_401(cast, client):
    token = Token.objects.create(user=cast.region_user)
    response = client.get("/api/v1/staff/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    response = client.get("/api/v1/staff/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_compute_gives_the_due_date_and_why(cast, client):
    """Art. 24(3): 15 working days; Nauryz 2026 (23-25 March) is skipped."""
    client.force_login(cast.a_user)
    body = client.get("/api/v1/calendar/compute/?start=2026-03-20&term=15").json()
    assert body["due"] == workdays.add_working_days(date(2026, 3, 20), 15).isoformat()
    skipped = {d["date"] for d in body["skipped"]}
    assert {"2026-03-23", "2026-03-24", "2026-03-25"} <= skipped


def test_compute_rejects_nonsense(cast, client):
    client.force_login(cast.a_user)
    assert client.get("/api/v1/calendar/compute/?start=yesterday&term=15").status_code == 400
    assert client.get("/api/v1/calendar/compute/?start=2026-01-01&term=-3").status_code == 400
    assert (
        client.get("/api/v1/calendar/compute/?start=2026-01-01&term=3&unit=weeks").status_code
        == 400
    )


def test_only_calendar_administrators_edit_the_calendar(cast, client):
    payload = {
        "date": "2026-12-18",
        "kind": "day_off",
        "name_kk": "Демалыс",
        "name_ru": "Выходной",
        "name_en": "Day off",
        "legal_source": "Order of the Ministry of Labour (test)",
    }
    client.force_login(cast.a_user)
    assert (
        client.post("/api/v1/calendar/", payload, content_type="application/json").status_code
        == 403
    )
    admin = cast.gpo_user
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(
        Permission.objects.get(codename="change_calendarday"),
    )
    client.force_login(admin)
    before = workdays.add_working_days(date(2026, 12, 17), 1)
    assert before == date(2026, 12, 18)
    response = client.post("/api/v1/calendar/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    # Editing the calendar takes effect at once (prosecution/terms/receivers.py).
    assert workdays.add_working_days(date(2026, 12, 17), 1) == date(2026, 12, 21)
    day = CalendarDay.objects.get(date=date(2026, 12, 18))
    assert client.delete(f"/api/v1/calendar/{day.pk}/").status_code == 204
    assert workdays.add_working_days(date(2026, 12, 17), 1) == date(2026, 12, 18)


def test_calendar_lists_one_year(cast, client):
    client.force_login(cast.a_user)
    rows = client.get("/api/v1/calendar/?year=2026&limit=100").json()["results"]
    assert rows and all(r["date"].startswith("2026-") for r in rows)
    assert client.get("/api/v1/calendar/?year=twenty").status_code == 400


def test_the_schema_describes_every_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/offices/", "/api/v1/staff/", "/api/v1/calendar/compute/"):
        assert path in schema["paths"]
    assert Office.objects.exists()


def test_a_deadline_shows_its_history_and_why_this_date(cast, client):
    from prosecution.models import TermKind
    from prosecution.terms import engine as terms

    term = terms.open_term(
        subject=cast.district_a,
        kind=TermKind.APPEAL_ANSWER,
        office=cast.district_a,
        start_date=date(2026, 3, 20),
        start_event="received by post",
        responsible=cast.a_user,
    )
    client.force_login(cast.region_user)
    body = client.get(f"/api/v1/deadlines/{term.uuid}/").json()
    assert body["due_date"] == "2026-04-15" and body["legal_basis"] == "Art. 24(3)"
    assert body["events"][0]["kind"] == "opened"
    assert "2026-03-23" in {d["date"] for d in body["why_this_date"]["skipped"]}
    rows = client.get("/api/v1/deadlines/?office=R-AKMOLA-D1&state=open").json()["results"]
    assert [r["uuid"] for r in rows] == [str(term.uuid)]
    assert client.get("/api/v1/deadlines/?office=R-AKMOLA-D2").json()["results"] == []
    assert client.get("/api/v1/deadlines/?state=late").status_code == 400
    assert client.get("/api/v1/deadlines/?due_before=soon").status_code == 400


def test_the_deadlines_extended_by_a_decision_art_24_4(cast, client):
    """Art. 24(4): ?extended=true lists the terms extended by a decision (the dashboard's figure
    of extended terms opens this list), ?extended=false the others."""
    from prosecution.models import TermKind
    from prosecution.terms import engine as terms

    def opened(kind):
        return terms.open_term(
            subject=cast.district_a,
            kind=kind,
            office=cast.district_a,
            start_date=date(2026, 3, 20),
            start_event="received by post",
            responsible=cast.a_user,
        )

    extended, kept = opened(TermKind.APPEAL_ANSWER), opened(TermKind.COMPLAINT_DECISION)
    terms.extend_term(
        extended,
        by=cast.region_user,
        reason="Information awaited from the akimat",
        until=date(2026, 5, 15),
        on=date(2026, 4, 10),
    )
    client.force_login(cast.region_user)

    def listed(value):
        answer = client.get(f"/api/v1/deadlines/?extended={value}")
        return {row["uuid"] for row in answer.json()["results"]}

    assert listed("true") == {str(extended.uuid)}
    # The others: the one kept and the term of telling the applicant (Art. 24(5)).
    others = listed("false")
    assert str(kept.uuid) in others and str(extended.uuid) not in others
    assert client.get("/api/v1/deadlines/?extended=yes").status_code == 400


def test_the_deadline_list_costs_the_same_queries_for_any_number_of_terms(
    cast, client, django_assert_max_num_queries
):
    from prosecution.models import TermKind
    from prosecution.terms import engine as terms

    for subject in (cast.district_a, cast.district_b, cast.region, cast.other_district):
        terms.open_term(
            subject=subject,
            kind=TermKind.COMPLAINT_DECISION,
            office=cast.district_a,
            start_date=date(2026, 6, 1),
            start_event="filed",
            responsible=cast.a_user,
        )
    client.force_login(cast.region_user)
    # (+1: the authenticator that verified the session, django-otp)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/deadlines/").json()["count"] == 4
