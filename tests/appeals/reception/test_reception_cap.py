"""The cap on bookings still to come counts what the citizen proved (docs/security.md 27; issue
14): online the phone or e-mail address that got the one-time code, through staff's channels the
IIN staff checked. The attack of issue 14, reproduced: someone books twice under a neighbour's IIN
with their own phone; the neighbour's own booking must still be made, and no answer may tell the
attacker whether the neighbour holds bookings."""

import pytest
import time_machine
from rest_framework import status

from appeals.models import Booking, BookingState, Channel
from appeals.reception import booking
from appeals.reception.common import LimitReached
from tests.reception_helpers import (
    MONDAY,
    appointment,
    book,
    citizen,
    code_for,
    first_free,
    hold,
    iin,
    leader,
)

pytestmark = pytest.mark.django_db

VICTIM = 1
VICTIM_PHONE = "+7 701 111 22 33"
ATTACKER_PHONE = "+7 702 999 88 77"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def schedule(cast):
    return appointment(leader(cast.region, "akmola_head"))


def _attacker_books_twice_under_the_victims_iin(schedule):
    for _n in range(2):
        made = book(schedule, first_free(schedule), who=VICTIM, phone=ATTACKER_PHONE, email="")
        assert made.state == BookingState.CONFIRMED


def test_bookings_under_a_victims_iin_never_cancel_the_victims_own(schedule):
    _attacker_books_twice_under_the_victims_iin(schedule)
    mine = book(schedule, first_free(schedule), who=VICTIM, phone=VICTIM_PHONE)
    assert mine.state == BookingState.CONFIRMED
    assert mine.cancel_reason == ""


def test_bookings_under_a_victims_iin_never_block_staff_entering_the_victims_request(schedule):
    _attacker_books_twice_under_the_victims_iin(schedule)
    entered = booking.book_for_citizen(
        schedule=schedule,
        starts_at=first_free(schedule).starts_at,
        citizen=citizen(VICTIM),
        channel=Channel.CALL_CENTRE,
        by=schedule.official,
    )
    assert entered.state == BookingState.CONFIRMED


def test_the_answer_does_not_tell_whether_an_iin_holds_bookings(schedule, client):
    """The victim holds two bookings with their own phone; the attacker, proving their own phone,
    books under the victim's IIN and is answered as for any IIN: booked (not 409)."""
    book(schedule, first_free(schedule), who=VICTIM, phone=VICTIM_PHONE)
    book(schedule, first_free(schedule), who=VICTIM, phone=VICTIM_PHONE)
    held = hold(schedule, first_free(schedule), who=VICTIM, phone=ATTACKER_PHONE, email="")
    answer = client.post(
        f"/api/v1/receptions/public/bookings/{held.uuid}/confirm/",
        {"code": code_for(held)},
        content_type="application/json",
    )
    assert answer.status_code == status.HTTP_200_OK
    assert answer.json()["state"] == BookingState.CONFIRMED


def test_one_phone_holds_at_most_the_cap_whatever_iins_are_typed_with_it(schedule, settings):
    """The cap still bounds one person: the phone that proved the bookings, not the IINs."""
    book(schedule, first_free(schedule), who=2, phone=ATTACKER_PHONE, email="")
    book(schedule, first_free(schedule), who=3, phone=ATTACKER_PHONE, email="")
    third = hold(schedule, first_free(schedule), who=4, phone=ATTACKER_PHONE, email="")
    with pytest.raises(LimitReached):
        booking.confirm_booking(third, code=code_for(third))
    third.refresh_from_db()
    assert third.state == BookingState.CANCELLED and third.cancel_reason == "limit"


def test_an_e_mail_address_is_a_proof_of_its_own(schedule):
    """A booking confirmed by e-mail counts against that address, not the phone on the form."""
    book(schedule, first_free(schedule), who=2, phone=ATTACKER_PHONE, email="")
    book(schedule, first_free(schedule), who=2, phone=ATTACKER_PHONE, email="")
    by_mail = book(schedule, first_free(schedule), who=2, phone=ATTACKER_PHONE, confirm_by="email")
    assert by_mail.state == BookingState.CONFIRMED


def test_staff_channels_count_by_the_iin_staff_checked(schedule):
    for _n in range(2):
        booking.book_for_citizen(
            schedule=schedule,
            starts_at=first_free(schedule).starts_at,
            citizen=citizen(5),
            channel=Channel.WRITTEN,
            by=schedule.official,
        )
    with pytest.raises(LimitReached):
        booking.book_for_citizen(
            schedule=schedule,
            starts_at=first_free(schedule).starts_at,
            citizen=citizen(5),
            channel=Channel.EGOV,
            by=schedule.official,
        )
    assert Booking.objects.filter(iin=iin(5)).count() == 2


# The form's idempotency key is the citizen's (issue 14, point 5; docs/security.md 18) -------------


def _public_book(client, schedule, slot, n: int, key: str, **extra):
    payload = {
        "schedule": str(schedule.uuid),
        "starts_at": slot.starts_at.isoformat(),
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "iin": iin(n),
        "phone": f"+7 701 {100 + n:03d} 22 33",
        "email": "",
        "language": "ru",
        "matter": "Не выплачивают зарплату.",
        "confirm_by": "phone",
        "request_key": key,
        **extra,
    }
    return client.post(
        "/api/v1/receptions/public/bookings/", payload, content_type="application/json"
    )


def test_another_citizen_sending_the_same_key_gets_a_booking_of_their_own(schedule, client):
    a = _public_book(client, schedule, first_free(schedule, 0), 1, "key-of-a")
    b = _public_book(client, schedule, first_free(schedule, 1), 2, "key-of-a")
    assert a.status_code == b.status_code == 201
    assert a.json()["uuid"] != b.json()["uuid"]
    assert Booking.objects.get(uuid=b.json()["uuid"]).iin == iin(2)
    assert Booking.objects.get(uuid=a.json()["uuid"]).iin == iin(1)


def test_the_same_form_sent_again_returns_its_hold(schedule, client):
    slot = first_free(schedule, 0)
    first = _public_book(client, schedule, slot, 1, "key-1")
    again = _public_book(client, schedule, slot, 1, "key-1")
    assert again.status_code == 201 and again.json()["uuid"] == first.json()["uuid"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "change", [{"matter": "Другое дело."}, {"last_name": "Иванов"}, {"slot": 1}], ids=str
)
def test_the_same_key_with_other_data_is_a_409(schedule, client, change):
    _public_book(client, schedule, first_free(schedule, 0), 1, "key-1")
    slot = first_free(schedule, change.pop("slot", 0))
    answer = _public_book(client, schedule, slot, 1, "key-1", **change)
    assert answer.status_code == status.HTTP_409_CONFLICT
    assert answer.json()["error"]["code"] == "request_key_reused"
    assert Booking.objects.count() == 1
