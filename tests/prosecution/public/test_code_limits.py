"""One-time codes are limited per phone and per e-mail address, hourly and daily, beside the
limits per client address and per IIN (docs/security.md 27; issue 14: 16 filings from two
addresses with 16 IINs sent 15 SMS to one phone in a minute). Every door that sends a code meets
the same limit, because the code's service counts it (prosecution/public/confirmations.py)."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from appeals.models import Booking, OnlineFiling
from prosecution.models import Notice, NoticeKind
from prosecution.public import confirmations
from prosecution.public.ratelimit import RateLimited
from tests.appeal_helpers import CITIZEN_IIN
from tests.reception_helpers import MONDAY, appointment, first_free, iin, leader

pytestmark = pytest.mark.django_db

PHONE = "+7 701 555 44 33"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def schedule(cast):
    return appointment(leader(cast.region, "akmola_head"))


def _codes_sent() -> int:
    return Notice.objects.filter(kind=NoticeKind.ONE_TIME_CODE).count()


def _book_form(slot, n: int) -> dict:
    return {
        "at": slot.key,
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "iin": iin(n),
        "phone": PHONE,
        "email": "",
        "language": "ru",
        "matter": "Не выплачивают зарплату.",
        "confirm_by": "phone",
        "request_key": f"key-{n}",
    }


def test_sixteen_bookings_from_two_addresses_with_sixteen_iins_send_five_codes(schedule, settings):
    """The attack of issue 14, through the pages and the API, from two client addresses."""
    statuses = []
    for n in range(1, 17):
        client = Client(REMOTE_ADDR=f"10.0.0.{n % 2 + 1}")
        slot = first_free(schedule, n)
        if n % 2:
            answer = client.post(
                reverse("reception:book", args=[schedule.uuid]), _book_form(slot, n)
            )
        else:
            payload = {k: v for k, v in _book_form(slot, n).items() if k != "at"}
            payload.update(schedule=str(schedule.uuid), starts_at=slot.starts_at.isoformat())
            answer = client.post(
                "/api/v1/receptions/public/bookings/", payload, content_type="application/json"
            )
        statuses.append(answer.status_code)
    assert _codes_sent() == settings.CONFIRMATION_CODES_PER_HOUR == 5
    assert statuses.count(429) == 16 - 5
    # A refused request held no slot.
    assert Booking.objects.count() == 5


def test_the_limit_is_per_phone_another_phone_still_gets_its_code(schedule):
    for _n in range(5):
        confirmations.issue(purpose="test", address="+77015554433", language="ru")
    with pytest.raises(RateLimited):
        confirmations.issue(purpose="test", address="+77015554433", language="ru")
    confirmations.issue(purpose="test", address="+77015554434", language="ru")


def test_an_e_mail_address_is_limited_whatever_its_case():
    for _n in range(5):
        confirmations.issue(purpose="test", address="erlan@mail.kz", language="ru")
    with pytest.raises(RateLimited):
        confirmations.issue(purpose="test", address="Erlan@Mail.kz", language="ru")


def test_the_daily_limit_holds_across_hours(settings):
    settings.CONFIRMATION_CODES_PER_HOUR = 100
    for hour in range(10):
        with time_machine.travel(f"2026-11-02 {6 + hour:02d}:10 +05:00", tick=False):
            confirmations.issue(purpose="test", address="+77015554433", language="ru")
    with time_machine.travel("2026-11-02 17:10 +05:00", tick=False), pytest.raises(RateLimited):
        confirmations.issue(purpose="test", address="+77015554433", language="ru")
    assert _codes_sent() == settings.CONFIRMATION_CODES_PER_DAY == 10
    with time_machine.travel("2026-11-03 06:10 +05:00", tick=False):
        confirmations.issue(purpose="test", address="+77015554433", language="ru")


def test_an_online_filing_over_the_limit_gets_the_limit_page_and_stores_nothing(cast, client):
    for _n in range(5):
        confirmations.issue(purpose="test", address="erlan@mail.kz", language="ru")
    answer = client.post(
        reverse("file-appeal"),
        {
            "office": cast.district_a.pk,
            "last_name": "Абаев",
            "first_name": "Ерлан",
            "iin": CITIZEN_IIN,
            "email": "erlan@mail.kz",
            "confirm_by": "email",
            "language": "kk",
            "summary": "Жалақы",
            "text": "Жалақы үш ай төленбейді.",
        },
    )
    assert answer.status_code == 429 and answer["Retry-After"]
    assert not OnlineFiling.objects.exists()
