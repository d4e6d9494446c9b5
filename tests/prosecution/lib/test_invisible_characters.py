"""Bidirectional controls and other invisible characters (prosecution/lib/text.py; docs/security.md
26; issue 14): taken out of names and single-line fields, neutralised in texts, on pages and in
PDFs. A name "O'Brien" + U+202E + "gnp.exe" showed as "O'Brienexe.png" on staff pages, and U+202E
in an answer reversed a line of the answer letter."""

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token

from appeals.models import Appeal, Applicant, Booking
from prosecution.files import documents
from prosecution.lib import text
from prosecution.lib.input_guard import cleaned_data
from tests.appeal_helpers import register
from tests.reception_helpers import MONDAY, appointment, first_free, iin, leader

pytestmark = pytest.mark.django_db

RLO = "\u202e"
SPOOF = f"O'Brien{RLO}gnp.exe"


def test_the_rules_of_text():
    assert text.clean_line(f" {SPOOF}\u200b\n Jr.\t") == "O'Briengnp.exe Jr."
    assert text.clean_text(f"line one{RLO}\nline\u2066 two\u2069\u2028three") == (
        "line one\nline two\nthree"
    )
    assert text.neutralise("a\u00adb\ufeffc\x07d") == "abcd"
    # Kazakh and Russian letters, and non-breaking spaces, are not touched.
    assert text.clean_text("Қазақстан Республикасы\u00a0№ 1") == "Қазақстан Республикасы\u00a0№ 1"


def test_a_password_reaches_the_check_as_typed():
    body = {"username": f"a{RLO}b", "password": f"p{RLO}w", "nested": [{"password": "\u200b"}]}
    assert cleaned_data(body) == {
        "username": "ab",
        "password": f"p{RLO}w",
        "nested": [{"password": "\u200b"}],
    }


def test_a_name_typed_with_a_right_to_left_override_is_stored_without_it(cast, client):
    with time_machine.travel(MONDAY, tick=False):
        schedule = appointment(leader(cast.region, "akmola_head"))
        slot = first_free(schedule)
        client.post(
            reverse("reception:book", args=[schedule.uuid]),
            {
                "at": slot.key,
                "last_name": SPOOF,
                "first_name": "Ерлан\u200b",
                "iin": iin(1),
                "phone": "+7 701 111 22 33",
                "language": "ru",
                "matter": f"Первая строка{RLO}\nвторая строка",
                "confirm_by": "phone",
                "request_key": "k",
            },
        )
    booking = Booking.objects.get()
    assert booking.last_name == "O'Briengnp.exe" and booking.first_name == "Ерлан"
    assert booking.matter == "Первая строка\nвторая строка"


def test_the_api_takes_the_invisible_characters_out_of_names_and_texts(cast, client):
    token = Token.objects.create(user=cast.a_user).key
    body = {
        "office": "R-AKMOLA-D1",
        "received_on": "2026-11-02",
        "language": "ru",
        "summary": f"Жалоба{RLO}",
        "text": f"Текст\u2067 жалобы\nвторая строка{RLO}",
        "applicants": [{"last_name": f"{SPOOF}\nJr.", "first_name": "Ерлан"}],
    }
    with time_machine.travel("2026-11-02 10:00 +05:00", tick=False):
        answer = client.post(
            "/api/v1/appeals/",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )
    assert answer.status_code == 201, answer.content
    appeal = Appeal.objects.get()
    assert appeal.summary == "Жалоба"
    assert appeal.text == "Текст жалобы\nвторая строка"
    assert Applicant.objects.get().last_name == "O'Briengnp.exe Jr."


def test_a_page_never_shows_an_override_stored_before_these_rules(cast, client):
    appeal, _code = register(cast)
    Applicant.objects.filter(appeal=appeal).update(last_name=SPOOF)
    client.force_login(cast.a_user)
    page = client.get(reverse("appeal-detail", args=[appeal.uuid]))
    html = page.content.decode()
    assert "O&#x27;Briengnp.exe" in html or "O'Briengnp.exe" in html
    assert RLO not in html
    if page.has_header("Content-Length"):
        assert int(page["Content-Length"]) == len(page.content)


def test_a_pdf_never_shows_an_override(monkeypatch):
    rendered = []

    class FakeHTML:
        def __init__(self, string, **kwargs):
            rendered.append(string)

        def write_pdf(self):
            return b"%PDF"

    monkeypatch.setattr(documents, "HTML", FakeHTML)
    documents.render_pdf("documents/letterhead.html", {"title": f"R-1{RLO}/2"}, language="ru")
    assert rendered and RLO not in rendered[0]
