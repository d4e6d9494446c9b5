"""The citizen reads the answer (issue 13; Art. 24(7): the answer in the language of the appeal,
by the means the applicant gave): after the number and the secret code, the status page shows the
answer's text and offers its letter (PDF); the "answer sent" e-mail carries both; and the answer
is recorded as sent by e-mail only to an applicant who gave an address. Before, the status page
said only that an answer was sent, and the e-mail had neither text nor letter."""

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from appeals import letters, services
from appeals.models import AppealState
from appeals.services.answer import current_letter
from prosecution.lib.errors import RuleViolation
from prosecution.models import Position
from tests.appeal_helpers import citizen, register
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db
ANSWER = "Разъяснено право на обращение в суд за взысканием задолженности."


@pytest.fixture(autouse=True)
def _tuesday_10_november(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


def _decided(cast, **applicant):
    """An appeal of district A decided by its head, its letter built; and its secret code."""
    head = make_staff("head_answer", cast.district_a, Position.HEAD)
    appeal, code = register(cast, applicants=[citizen(**applicant)])
    with transaction.atomic():
        services.assign_appeal(appeal, by=head, executor=cast.a_user)
        services.decide_appeal(
            appeal,
            by=head,
            outcome="explained",
            answer_text=ANSWER,
            legislation="Трудовой кодекс РК, ст. 113",
        )
    assert letters.build(current_letter(appeal).pk) == "ready"
    return appeal, code, head


def _send(appeal, head, method, captured):
    with captured(execute=True), transaction.atomic():
        return services.send_answer(appeal, by=head, method=method)


def test_the_status_page_shows_the_answer_and_its_letter_to_whoever_gave_number_and_code(
    cast, client, django_capture_on_commit_callbacks
):
    appeal, code, head = _decided(cast)
    form = {"reference": appeal.reference, "code": code}
    before = client.post(reverse("appeal-status"), form).content.decode()
    assert 'data-testid="answer"' not in before  # decided, not yet sent
    assert client.get(reverse("appeal-status-letter")).status_code == 404
    _send(appeal, head, "post", django_capture_on_commit_callbacks)
    page = client.post(reverse("appeal-status"), form).content.decode()
    assert ANSWER in page and reverse("appeal-status-letter") in page
    letter = client.get(reverse("appeal-status-letter"))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")
    assert letter["X-Content-Type-Options"] == "nosniff"


def test_no_letter_without_the_number_and_code_in_this_session(
    cast, client, django_capture_on_commit_callbacks
):
    appeal, _code, head = _decided(cast)
    _send(appeal, head, "post", django_capture_on_commit_callbacks)
    assert Client().get(reverse("appeal-status-letter")).status_code == 404
    wrong = client.post(reverse("appeal-status"), {"reference": appeal.reference, "code": "X"})
    assert ANSWER not in wrong.content.decode()
    assert client.get(reverse("appeal-status-letter")).status_code == 404


def test_the_answer_email_carries_the_text_and_the_letter(cast, django_capture_on_commit_callbacks):
    appeal, _code, head = _decided(cast)
    _send(appeal, head, "email", django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == ["erlan@mail.kz"]]
    assert ANSWER in message.body
    ((name, content, content_type),) = message.attachments
    assert name.endswith(".pdf") and content_type == "application/pdf"
    assert content.startswith(b"%PDF")
    assert appeal.reference.replace("/", "-") in name


def test_sent_by_email_needs_an_email_address(cast, django_capture_on_commit_callbacks):
    """Art. 24(7): the answer goes by the means the applicant gave."""
    appeal, _code, head = _decided(cast, email="")
    with pytest.raises(RuleViolation) as refused:
        _send(appeal, head, "email", django_capture_on_commit_callbacks)
    assert refused.value.code == "no_email"
    appeal.refresh_from_db()
    assert appeal.state == AppealState.DECIDED
    _send(appeal, head, "post", django_capture_on_commit_callbacks)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ANSWERED
