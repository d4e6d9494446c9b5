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


def _busy_check(cc, events: int, label: str):
    """A running check with `events` more events, each by a different member of staff."""
    from supervision.models import CheckEvent
    from tests.check_helpers import started
    from tests.conftest import make_staff

    check = started(cc, resolution_number=label)
    for n in range(events):
        by = make_staff(f"{label}_author_{n}", cc.cast.district_a)
        CheckEvent.objects.create(
            legality_check=check, kind="suspended", on=date(2025, 3, 4), by=by
        )
    return check


def test_the_check_api_reads_its_events_authors_in_one_query(
    cc, client, django_assert_max_num_queries
):
    """The events' `by` is joined, not read one event at a time (review 3f)."""
    few = _busy_check(cc, 1, "few")
    client.force_login(cc.inspector)
    client.get(f"/api/v1/checks/{few.uuid}/")
    with django_assert_max_num_queries(20) as counted:
        assert client.get(f"/api/v1/checks/{few.uuid}/").status_code == 200
    baseline = len(counted.captured_queries)
    many = _busy_check(cc, 12, "many")
    with django_assert_max_num_queries(baseline):
        body = client.get(f"/api/v1/checks/{many.uuid}/").json()
    assert {e["by"] for e in body["events"]} >= {f"many_author_{n}" for n in range(12)}


def test_the_register_api_reads_each_entrys_office_once(cc, client, django_assert_max_num_queries):
    """The appointing office of every entry comes with the entry (review 3f)."""
    from supervision import services as checks
    from tests.check_helpers import appointed

    checks.send_for_registration(appointed(cc, resolution_number="R-0"), by=cc.head)
    client.force_login(cc.officer)
    client.get("/api/v1/register/")
    with django_assert_max_num_queries(20) as counted:
        client.get("/api/v1/register/")
    baseline = len(counted.captured_queries)
    for n in range(1, 8):
        checks.send_for_registration(appointed(cc, resolution_number=f"R-{n}"), by=cc.head)
    with django_assert_max_num_queries(baseline):
        rows = client.get("/api/v1/register/").json()["results"]
    assert len(rows) == 8 and {r["appointing_office"] for r in rows} == {cc.cast.district_a.code}


def test_the_register_api_audits_classified_reads(cc, client):
    """docs/security.md: a classified record shown is recorded, in the API as on the pages
    (review 3g)."""
    from supervision import services as checks
    from tests.check_helpers import appointed
    from tests.conftest import last_audit_record

    for user in (cc.head, cc.inspector, cc.officer):
        profile = user.staff_profile
        profile.has_clearance = True
        profile.save()
    entry = checks.send_for_registration(appointed(cc, is_classified=True), by=cc.head)
    client.force_login(cc.officer)
    assert client.get("/api/v1/register/").status_code == 200
    record = last_audit_record("classified.read")
    assert (record.details["where"], record.details["ids"]) == ("api_register", [entry.pk])
    assert client.get(f"/api/v1/register/{entry.uuid}/").status_code == 200
    record = last_audit_record("classified.read")
    assert record.details["where"] == "api_register_entry"


def test_registering_tells_the_inspectors_without_a_query_each(cc, django_assert_max_num_queries):
    """The inspectors' profiles (their language, their address) come in one query (review 3f)."""
    from legal_statistics import services as register
    from supervision import services as checks
    from tests.check_helpers import appointed
    from tests.conftest import make_staff

    def registered_with(n: int, label: str):
        named = [make_staff(f"named_{label}_{i}", cc.cast.district_a) for i in range(n)]
        entry = checks.send_for_registration(
            appointed(cc, resolution_number=label, inspectors=named), by=cc.head
        )
        with django_assert_max_num_queries(200) as counted:
            register.register_check(entry, by=cc.officer)
        return len(counted.captured_queries)

    one, ten = registered_with(1, "ONE"), registered_with(10, "TEN")
    assert ten <= one  # notices are saved in bulk; the profiles are not read one by one


def test_the_result_and_the_certificate_through_the_api_art_19_2(cc, client):
    """Art. 19(2): completed with its violations, the certificate handed over once, not before
    the end."""
    from tests.check_helpers import started

    check = started(cc)
    done = _post(
        client,
        cc.inspector,
        f"/api/v1/checks/{check.uuid}/complete/",
        {"result": "R", "violations": "V", "violations_count": 2, "on": "2025-03-20"},
    )
    assert done.status_code == 200, done.content
    assert (done.json()["violations_count"], done.json()["violations"]) == (2, "V")
    path = f"/api/v1/checks/{check.uuid}/hand-certificate/"
    early = _post(client, cc.inspector, path, {"received_by": "A. Director", "on": "2025-03-19"})
    assert early.status_code == 409 and early.json()["error"]["article"] == "Art. 19(2)"
    handed = _post(client, cc.inspector, path, {"received_by": "A. Director", "on": "2025-03-20"})
    assert handed.status_code == 200 and handed.json()["certificate_handed_on"] == "2025-03-20"
    again = _post(client, cc.inspector, path, {"received_by": "A. Director", "on": "2025-03-21"})
    assert again.status_code == 409
