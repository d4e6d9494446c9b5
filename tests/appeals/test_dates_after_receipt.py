"""An appeal's later dates are not before its receipt (issue 14; docs/security.md 26): the
decision to extend and its new due date, the day the applicant was told (Art. 24(5)), a check
appointed (Art. 24(4)), a redirection (Art. 24(1)), a procedural code's term (Art. 24(9)) and the
answer sent. The term runs from the day of receipt (Art. 24(3)), so the services refuse a date
before it: the API with 400 naming the field, the staff page with the form's error and the
article, and nothing changes."""

from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from appeals import letters, services
from appeals.models import AnswerLetter, AppealEvent, DocumentStatus
from tests.appeal_helpers import RECEIVED, register
from tests.check_helpers import appointed

pytestmark = pytest.mark.django_db

BEFORE = "2026-11-01"  # the day before RECEIVED (2 November), well after the start of records
MESSAGE = "The date cannot be before the appeal was received (11/02/2026)."


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


def _assigned(cast, head_a):
    appeal, _code = register(cast)
    with transaction.atomic():
        return services.assign_appeal(appeal, by=head_a, executor=cast.a_user)


def _extended(cast, head_a):
    appeal = _assigned(cast, head_a)
    with transaction.atomic():
        return services.extend_appeal_term(
            appeal, by=head_a, until=date(2026, 12, 10), ground="facts", reason="Запрошены сведения"
        )


def _decided(cast, head_a):
    """Decided, with its answer letter built as the worker would (on commit, which a test's
    transaction never reaches): the answer may be sent."""
    appeal = _assigned(cast, head_a)
    with transaction.atomic():
        appeal = services.decide_appeal(
            appeal,
            by=cast.a_user,
            outcome="explained",
            answer_text="Разъяснено право на обращение в суд.",
            legislation="Трудовой кодекс РК, ст. 113",
        )
    for letter in AnswerLetter.objects.filter(appeal=appeal, status=DocumentStatus.PENDING):
        assert letters.build(letter.pk) == "ready"
    return appeal


# (API action, who acts, how the appeal is prepared, the body, the field at fault)
API_CASES = {
    "extend_decided_before_receipt": (
        "extend",
        "head",
        _assigned,
        {"until": BEFORE, "ground": "facts", "reason": "Запрошены сведения"},
        "until",
    ),
    "told_of_extension_before_receipt": (
        "tell-extension",
        "executor",
        _extended,
        {"on": BEFORE, "how": "Письмом"},
        "on",
    ),
    "check_appointed_before_receipt": (
        "appoint-check",
        "executor",
        _assigned,
        {"interim_reply": "Назначена проверка.", "on": BEFORE},  # and a check (below)
        "on",
    ),
    "redirected_before_receipt": (
        "redirect",
        "executor",
        _assigned,
        {"to_body": "Акимат", "reason": "Не по компетенции", "on": BEFORE},
        "on",
    ),
    "procedural_term_before_receipt": (
        "mark-procedural",
        "executor",
        _assigned,
        {"code": "civil", "due": BEFORE, "reason": "ГПК РК, ст. 9"},
        "due",
    ),
    "answer_sent_before_receipt": (
        "answer",
        "executor",
        _decided,
        {"method": "post", "on": BEFORE},
        "on",
    ),
}


@pytest.mark.parametrize("case", API_CASES.values(), ids=API_CASES.keys())
def test_the_api_refuses_a_date_before_the_receipt_with_400(cast, head_a, cc, client, case):
    action, actor, prepare, body, field = case
    appeal = prepare(cast, head_a)
    if action == "appoint-check":
        body = {**body, "check": str(appointed(cc).uuid)}
    events = AppealEvent.objects.filter(appeal=appeal).count()
    client.force_login(head_a if actor == "head" else cast.a_user)
    answer = client.post(
        f"/api/v1/appeals/{appeal.uuid}/{action}/",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400, answer.content
    error = answer.json()["error"]
    assert error["code"] == "before_receipt" and error["article"] == "Art. 24(3)"
    assert error["fields"] == {field: [MESSAGE]}
    appeal.refresh_from_db()
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


def test_the_receipt_day_itself_is_allowed(cast, head_a, cc, client):
    appeal = _assigned(cast, head_a)
    client.force_login(cast.a_user)
    body = {
        "check": str(appointed(cc).uuid),
        "interim_reply": "Назначена проверка.",
        "on": str(RECEIVED),
    }
    answer = client.post(
        f"/api/v1/appeals/{appeal.uuid}/appoint-check/", body, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content


# (page action, who acts, how the appeal is prepared, the form's data)
PAGE_CASES = {
    "told_of_extension": ("tell_extension", _extended, {"on": BEFORE, "how": "Письмом"}),
    "procedural_term": (
        "mark_procedural",
        _assigned,
        {"code": "civil", "due": BEFORE, "reason": "ГПК РК, ст. 9"},
    ),
    "answer_sent": ("send_answer", _decided, {"method": "post", "on": BEFORE}),
    "extension_until": (
        "extend",
        _assigned,
        {"until": BEFORE, "ground": "facts", "reason": "Запрошены сведения"},
    ),
}


@pytest.mark.parametrize("case", PAGE_CASES.values(), ids=PAGE_CASES.keys())
def test_the_staff_form_shows_the_rule_for_a_date_before_the_receipt(cast, head_a, client, case):
    action, prepare, data = case
    appeal = prepare(cast, head_a)
    events = AppealEvent.objects.filter(appeal=appeal).count()
    client.force_login(head_a if action == "extend" else cast.a_user)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("appeal-act", args=[appeal.uuid, action]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page and "Art. 24(3)" in page
    assert AppealEvent.objects.filter(appeal=appeal).count() == events
