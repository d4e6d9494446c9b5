"""The API of acts (/api/v1/acts/): the same services, the one error shape, the OpenAPI schema."""

import pytest

from acts.models import ActKind
from tests.act_helpers import VALID_BIN, delivered, signed

# On Monday 2 November 2026, the day the acts are delivered (tests/acts/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _post(client, user, path, data=None):
    client.force_login(user)
    return client.post(path, data or {}, content_type="application/json")


def test_a_submission_through_the_api_art_36_2(ac, client):
    created = _post(
        client,
        ac.prosecutor,
        "/api/v1/acts/",
        {
            "kind": "submission",
            "addressee_kind": "body",
            "addressee_name": "Akimat of Kokshetau",
            "addressee_number": VALID_BIN,
            "basis_kind": "other",
            "basis_text": "Monitoring",
            "demand": "Restore the tariffs",
        },
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    signed_act = _post(client, ac.prosecutor, f"/api/v1/acts/{uuid}/sign/")
    assert signed_act.json()["register_number"] == "2026-R-AKMOLA-D1-00001"
    body = _post(client, ac.prosecutor, f"/api/v1/acts/{uuid}/deliver/").json()
    kinds = {term["kind"]: term["due_date"] for term in body["terms"]}
    assert kinds["submission_consideration"] == "2026-12-02"
    assert body["limitation_suspended_on"] == "2026-11-02"


def test_a_law_cannot_be_protested_through_the_api_either_art_33_6(ac, client):
    refused = _post(
        client,
        ac.prosecutor,
        "/api/v1/acts/",
        {
            "kind": "protest",
            "addressee_kind": "body",
            "addressee_name": "Mazhilis",
            "addressee_number": VALID_BIN,
            "basis_kind": "other",
            "basis_text": "Monitoring",
            "protested_act_kind": "legislative",
            "protested_act": "Law No. 1",
        },
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["article"]


def test_the_superior_suspends_a_districts_protest_through_the_api_art_43_3(ac, client):
    act = delivered(ac, ActKind.PROTEST)
    path = f"/api/v1/acts/{act.uuid}/superior/"
    refused = _post(client, ac.head, path, {"decision": "suspend", "reason": "Review"})
    assert refused.json()["error"]["code"] == "forbidden"
    done = _post(client, ac.regional_head, path, {"decision": "suspend", "reason": "Review"})
    assert done.status_code == 200 and done.json()["state"] == "suspended"


def test_an_act_out_of_scope_is_404(ac, cast, client):
    act = signed(ac)
    client.force_login(cast.b_user)
    assert client.get(f"/api/v1/acts/{act.uuid}/").status_code == 404
    assert _post(client, cast.b_user, f"/api/v1/acts/{act.uuid}/deliver/").status_code == 404
    assert client.get("/api/v1/acts/").json()["results"] == []


def test_the_list_filters_by_kind(ac, client):
    delivered(ac, ActKind.PROTEST)
    signed(ac)
    client.force_login(ac.prosecutor)
    rows = client.get("/api/v1/acts/?kind=protest").json()["results"]
    assert [row["kind"] for row in rows] == ["protest"]


def test_the_routes_are_in_the_schema(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for route in ("/api/v1/acts/", "/api/v1/acts/{uuid}/", "/api/v1/acts/{uuid}/superior/"):
        assert route in paths


def test_a_date_set_on_a_day_off_is_named_by_the_api(ac, client):
    refused = _post(
        client,
        ac.prosecutor,
        "/api/v1/acts/",
        {
            "kind": "resolution",
            "addressee_kind": "body",
            "addressee_name": "Bailiffs",
            "addressee_number": VALID_BIN,
            "basis_kind": "other",
            "basis_text": "Monitoring",
            "term_set_until": "2026-11-08",  # a Sunday
        },
    )
    assert refused.status_code == 400
    assert "08.11.2026" in str(refused.json()["error"]["fields"]["term_set_until"])
