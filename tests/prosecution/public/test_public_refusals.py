"""Refusals at the citizen's doors leave a trace in the audit log, counted per window so that an
attack does not flood it (prosecution/public/refusals.py; docs/security.md 24; issue 14: 60+
wrong status codes, failed one-time codes, forged manage links and rate-limit refusals were not
recorded; a client's X-Request-ID was written into the records as sent)."""

import pytest
import time_machine
from django.urls import reverse

from appeals.reception.views_public import MANAGE_LIMIT
from prosecution.models import AuditOutcome
from tests.conftest import sealed_audit_log
from tests.reception_helpers import MONDAY, appointment, hold, leader

pytestmark = pytest.mark.django_db


def _refusals(door: str):
    return sealed_audit_log().filter(action="public.refused", details__door=door).order_by("seq")


def test_sixty_wrong_status_codes_leave_two_records_with_the_count(client):
    for n in range(60):
        client.post(reverse("appeal-status"), {"reference": f"R-1/{n}", "code": "WRONG-CODE"})
    # 30 looked up and not found, then 30 refused by the rate limit (STATUS_LIMIT): each kind
    # recorded at its 1st and 10th refusal of the window.
    records = list(_refusals("appeal-status"))
    by_reason = {}
    for record in records:
        by_reason.setdefault(record.details["reason"], []).append(record.details["count"])
    assert by_reason == {"no_match": [1, 10], "rate_limited": [1, 10]}
    assert all(r.outcome == AuditOutcome.DENIED for r in records)
    assert records[0].address == "127.0.0.1"


def test_a_wrong_booking_code_and_a_forged_manage_link_are_recorded(cast, client):
    with time_machine.travel(MONDAY, tick=False):
        schedule = appointment(leader(cast.region, "akmola_head"))
        held = hold(schedule)
        client.post(reverse("reception:confirm", args=[held.uuid]), {"code": "000000"})
        client.get(reverse("reception:manage", args=["forged-link"]))
        client.post(
            "/api/v1/receptions/public/manage/",
            {"token": "forged", "action": "view"},
            content_type="application/json",
        )
    assert _refusals("reception-code").get().details["reason"] == "wrong_code"
    assert [r.details["count"] for r in _refusals("reception-manage")] == [1]


def test_a_rate_limit_refusal_is_recorded(cast, client):
    for _n in range(MANAGE_LIMIT + 1):
        answer = client.post(
            "/api/v1/receptions/public/manage/",
            {"token": "forged", "action": "view"},
            content_type="application/json",
        )
    assert answer.status_code == 429
    assert _refusals("reception-manage").filter(details__reason="rate_limited").exists()


def test_a_request_id_sent_by_a_client_is_not_kept(client):
    answer = client.post(
        reverse("appeal-status"),
        {"reference": "R-1/1", "code": "WRONG-CODE"},
        HTTP_X_REQUEST_ID="forged-id-0001",
    )
    assert answer["X-Request-ID"] != "forged-id-0001"
    assert _refusals("appeal-status").get().request_id == answer["X-Request-ID"]


def test_behind_a_proxy_of_ours_its_request_id_is_kept(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    answer = client.post(
        reverse("appeal-status"),
        {"reference": "R-1/1", "code": "WRONG-CODE"},
        HTTP_X_REQUEST_ID="proxy-id-0001",
        HTTP_X_FORWARDED_FOR="10.1.2.3",
    )
    assert answer["X-Request-ID"] == "proxy-id-0001"


def test_the_check_lookup_records_its_rate_limit_refusals(client):
    """The audited subject's door (/check/) answers its limit as every citizen's door does
    (refusals.too_many): 429 and a record of the refusal."""
    from supervision.views.public import LOOKUP_LIMIT
    from tests.check_helpers import VALID_BIN

    for _n in range(LOOKUP_LIMIT + 1):
        answer = client.post(
            reverse("check-lookup"), {"reference": "2099-000001", "subject_number": VALID_BIN}
        )
    assert answer.status_code == 429 and "Retry-After" in answer
    record = _refusals("check-lookup").get()
    assert (record.details["reason"], record.details["count"]) == ("rate_limited", 1)
