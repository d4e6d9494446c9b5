"""The API of analyses, assessments, requests and summons (/api/v1/...): the caller's scope, the
law's refusals with their article, the OpenAPI schema."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from prosecution.models import TermState
from supervision.models import InformationRequest, SummonsState
from tests.check_helpers import VALID_BIN
from tests.dashboard_terms import on_day
from tests.supervision.function_helpers import FRIDAY, request, summoned

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


REQUEST = {
    "matter": "Tariffs",
    "addressee_kind": "body",
    "addressee_name": "Akimat",
    "addressee_number": VALID_BIN,
    "requested": "The decisions",
    "due": "2026-03-30",
}


@on_day(FRIDAY)
def test_a_request_is_sent_and_two_working_days_are_refused_art_26_3(cast):
    client = _client(cast.a_user)
    short = client.post("/api/v1/information-requests/", {**REQUEST, "due": "2026-03-27"})
    assert short.status_code == 409
    assert short.json()["error"]["article"] == "Art. 26(3)"
    urgent = client.post(
        "/api/v1/information-requests/", {**REQUEST, "due": "2026-03-20", "is_urgent": True}
    )
    assert urgent.status_code == 409 and urgent.json()["error"]["article"] == "Art. 26(4)"
    sent = client.post("/api/v1/information-requests/", REQUEST)
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["term"]["due_date"] == "2026-03-30" and body["term"]["legal_basis"] == "Art. 26(3)"
    answered = client.post(
        f"/api/v1/information-requests/{body['uuid']}/answer/",
        {"answered_on": "2026-03-20", "answer": "Attached"},
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "answered"
    assert answered.json()["term"]["state"] == TermState.MET


@on_day(FRIDAY)
def test_outside_the_scope_is_404_art_5_2(cast):
    sent = request(cast.a_user)
    client = _client(cast.b_user)
    assert client.get(f"/api/v1/information-requests/{sent.uuid}/").status_code == 404
    assert client.get("/api/v1/information-requests/").json()["results"] == []
    answer = client.post(
        f"/api/v1/information-requests/{sent.uuid}/answer/",
        {"answered_on": "2026-03-20", "answer": "x"},
    )
    assert answer.status_code == 404
    assert InformationRequest.objects.get().state == "sent"
    assert _client(cast.region_user).get("/api/v1/information-requests/").json()["count"] == 1


@on_day(FRIDAY)
def test_an_analysis_and_an_assessment_art_20_art_21(cast):
    client = _client(cast.a_user)
    values = {"topic": "Tariffs", "scope": "Statistics", "responsible": "district_a"}
    analysis = client.post("/api/v1/analyses/", {**values, "due": "2026-04-10"})
    assert analysis.status_code == 201, analysis.content
    assert analysis.json()["kind"] == "analysis"
    assert analysis.json()["term"]["legal_basis"] == "Art. 20"
    day_off = client.post("/api/v1/assessments/", {**values, "due": "2026-03-23"})
    assert day_off.status_code == 409 and day_off.json()["error"]["code"] == "day_off"
    assert client.get(f"/api/v1/assessments/{analysis.json()['uuid']}/").status_code == 404
    done = client.post(
        f"/api/v1/analyses/{analysis.json()['uuid']}/complete/",
        {"findings": "Unlawful tariffs", "recommended_response": "protest"},
    )
    assert done.status_code == 200 and done.json()["state"] == "completed"


def test_a_summons_notice_and_a_refused_forced_delivery_art_26_13(cast, head_a):
    with on_day(FRIDAY):
        s = summoned(cast.a_user)
        sms = _client(cast.a_user).post(f"/api/v1/summonses/{s.uuid}/notify/", {"channel": "sms"})
        assert sms.status_code == 200, sms.content
        assert sms.json()["notifications"][0]["delivery"] == "pending"
    with on_day(date(2026, 3, 30)):
        absent = _client(cast.a_user).post(
            f"/api/v1/summonses/{s.uuid}/appearance/", {"outcome": SummonsState.NOT_APPEARED}
        )
        assert absent.status_code == 200, absent.content
        night = _client(head_a).post(
            f"/api/v1/summonses/{s.uuid}/force/",
            {
                "deliver_at": "2026-03-30T23:00:00+05:00",
                "reason": "Absent twice",
                "executing_body": "Police",
            },
        )
        assert night.status_code == 409
        assert night.json()["error"]["article"] == "Art. 26(13)"
        kept = _client(head_a).get(f"/api/v1/summonses/{s.uuid}/").json()["deliveries"]
        assert [d["state"] for d in kept] == ["refused"]


def test_the_schema_has_the_four_collections(cast, client):
    client.force_login(cast.a_user)
    schema = client.get("/api/schema/").content.decode()
    for path in ("analyses", "assessments", "information-requests", "summonses"):
        assert f"/api/v1/{path}/" in schema
    assert "summonses_force" in schema and "information_requests_answer" in schema


@on_day(FRIDAY)
@pytest.mark.parametrize("path", ["information-requests", "summonses", "analyses"])
def test_a_list_costs_the_same_for_two_rows_as_for_six(cast, path, django_assert_max_num_queries):
    from tests.supervision.function_helpers import study

    def make() -> None:
        if path == "information-requests":
            request(cast.a_user)
        elif path == "summonses":
            summoned(cast.a_user)
        else:
            study(cast.a_user, cast.a_user)

    client = _client(cast.region_user)
    for _ in range(2):
        make()
    with django_assert_max_num_queries(20) as few:
        assert client.get(f"/api/v1/{path}/").json()["count"] == 2
    for _ in range(4):
        make()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/api/v1/{path}/").json()["count"] == 6
