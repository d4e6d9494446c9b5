"""The API of legality checks (/api/v1/checks/) and of the register (/api/v1/register/)."""

from datetime import date

import pytest

from supervision.models import CheckState, SubjectKind
from tests.check_helpers import VALID_BIN, appointed, registered

pytestmark = pytest.mark.django_db


def _post(client, user, path, data=None):
    client.force_login(user)
    return client.post(path, data or {}, content_type="application/json")


def test_the_whole_life_through_the_api(cc, client):
    created = _post(
        client,
        cc.head,
        "/api/v1/checks/",
        {
            "resolution_number": "API-1",
            "resolution_date": "2025-03-03",
            "ground": "unlimited_persons",
            "subject_kind": SubjectKind.ORGANISATION,
            "subject_number": VALID_BIN,
            "subject_name": "Kokshetau Water LLP",
            "subject_address": "Kokshetau",
            "subject_matter": "Tariffs",
            "period_from": "2024-01-01",
            "period_to": "2024-12-31",
            "inspectors": [cc.inspector.username],
        },
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert _post(client, cc.head, f"/api/v1/checks/{uuid}/send/").status_code == 200
    # The head sees the entry of a check of the office, but is no registration officer.
    entry = client.get("/api/v1/register/?state=pending").json()["results"][0]
    refused = _post(client, cc.head, f"/api/v1/register/{entry['uuid']}/register/")
    assert refused.json()["error"]["code"] == "forbidden"
    client.force_login(cc.officer)
    entries = client.get("/api/v1/register/?state=pending").json()["results"]
    assert [e["check_uuid"] for e in entries] == [uuid]
    registered_entry = _post(client, cc.officer, f"/api/v1/register/{entries[0]['uuid']}/register/")
    assert registered_entry.status_code == 200
    started = _post(client, cc.inspector, f"/api/v1/checks/{uuid}/start/", {"on": "2025-03-03"})
    assert started.status_code == 200, started.content
    assert started.json()["state"] == CheckState.RUNNING
    assert started.json()["term"]["due_date"] == "2025-04-18"


def test_a_refusal_answers_with_the_article(cc, client):
    check = appointed(cc)
    refused = _post(
        client, cc.inspector, f"/api/v1/checks/{check.uuid}/start/", {"on": "2025-03-03"}
    )
    assert refused.status_code in (403, 409)
    assert refused.json()["error"]["article"]


def test_out_of_scope_is_404(cc, cast, client):
    check = registered(cc)
    client.force_login(cast.b_user)
    assert client.get(f"/api/v1/checks/{check.uuid}/").status_code == 404
    assert (
        _post(
            client, cast.b_user, f"/api/v1/checks/{check.uuid}/cancel/", {"reason": "x"}
        ).status_code
        == 404
    )
    assert client.get("/api/v1/checks/").json()["results"] == []


def test_the_routes_are_in_the_schema(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for action in (
        "send",
        "start",
        "suspend",
        "resume",
        "extend",
        "inspectors",
        "complete",
        "cancel",
    ):
        assert f"/api/v1/checks/{{uuid}}/{action}/" in paths
    assert "/api/v1/register/{uuid}/register/" in paths
    assert "/api/v1/register/{uuid}/refuse/" in paths


def test_a_check_started_before_registration_is_refused_by_the_api_art_18_4(cc, client):
    check = appointed(cc)
    response = _post(
        client, cc.inspector, f"/api/v1/checks/{check.uuid}/start/", {"on": str(date(2025, 3, 3))}
    )
    assert response.json()["error"]["article"] in (
        "Art. 18(4)",
        "п. 4 ст. 18",
        "18-баптың 4-тармағы",
    )
