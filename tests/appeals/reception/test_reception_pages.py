"""The reception pages (public and staff) and the API: phone-friendly, in kk, ru and en, errors
next to their fields, 429 with a page, "just taken" with the nearest slots, the policy's 404."""

import re
from datetime import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.models import Booking, BookingState, RefusalGround
from appeals.reception import views_public
from appeals.reception.common import manage_token
from prosecution.models import Notice, NoticeKind, Position
from tests.conftest import make_staff
from tests.reception_helpers import (
    MONDAY,
    appointment,
    book,
    code_for,
    first_free,
    iin,
    leader,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Pages in English, whatever the default language (Kazakh)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def schedule(cast):
    return appointment(leader(cast.region, "akmola_head"))


def form(slot, n=1, **extra):
    data = {
        "at": slot.key,
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "iin": iin(n),
        "phone": "+7 701 111 22 33",
        "email": "",
        "language": "ru",
        "matter": "Не выплачивают зарплату.",
        "confirm_by": "phone",
        "request_key": f"key-{n}-{slot.key}",
    }
    data.update(extra)
    return data


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


@pytest.mark.parametrize(
    ("language", "heading"),
    [("kk", "Жеке қабылдау"), ("ru", "Личный приём"), ("en", "Personal reception")],
)
def test_the_public_pages_speak_three_languages(client, cast, schedule, language, heading):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("reception:index"))
    assert page["Content-Language"] == language and heading in page.content.decode()
    for url in (
        reverse("reception:office", args=[cast.region.uuid]),
        reverse("reception:schedule", args=[schedule.uuid]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Language"] == language


def test_a_citizen_finds_the_office_by_name_in_any_language(client, cast):
    for q in ("Akmola", "Ақмола", "Акмолинск"):
        html = client.get(reverse("reception:index"), {"q": q}).content.decode()
        assert reverse("reception:office", args=[cast.region.uuid]) in html, q


def test_the_office_shows_walk_in_hours_and_the_officials_with_a_free_time(client, cast, schedule):
    english(client)
    html = client.get(reverse("reception:office", args=[cast.region.uuid])).content.decode()
    assert "from 09:00 to 18:30" in html
    assert "akmola_head" in html or schedule.official.get_username() in html
    assert "02.11.2026 10:00" in html
    assert reverse("reception:schedule", args=[schedule.uuid]) in html


def test_the_free_times_are_links_a_thumb_can_hit(client, schedule):
    html = client.get(reverse("reception:schedule", args=[schedule.uuid])).content.decode()
    # 45 days ahead: 2 November to 17 December, 34 weekdays less 16 December (Independence
    # Day); six slots each.
    assert html.count('class="slot"') == 33 * 6
    assert 'name="viewport"' in html


def test_booking_through_the_pages_code_and_signed_link(client, schedule):
    slot = first_free(schedule)
    response = client.post(reverse("reception:book", args=[schedule.uuid]), form(slot))
    held = Booking.objects.get()
    assert response["Location"] == reverse("reception:confirm", args=[held.uuid])
    page = client.post(response["Location"], {"code": "x"})
    assert page.status_code == 400 and "The code is wrong" in page.content.decode()
    done = client.post(response["Location"], {"code": code_for(held)})
    held.refresh_from_db()
    assert held.state == BookingState.CONFIRMED
    assert done["Location"] == reverse("reception:manage", args=[manage_token(held)])
    html = client.get(done["Location"]).content.decode()
    assert held.code in html and 'data-testid="cancel"' in html


def test_errors_stand_next_to_their_fields_and_nothing_typed_is_lost(client, schedule):
    slot = first_free(schedule)
    english(client)
    page = client.post(
        reverse("reception:book", args=[schedule.uuid]), form(slot, iin="900501300000")
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert re.search(r'id="id_iin_error">[^<]*check digit', html)
    assert 'value="Абаев"' in html and "Не выплачивают зарплату." in html
    assert not Booking.objects.exists()


def test_a_slot_lost_to_another_citizen_offers_the_nearest(client, schedule):
    """Issue 5: the citizen who loses the race is told "just taken" and offered the nearest
    free slots, when sending the form or when opening it."""
    slot = first_free(schedule)
    book(schedule, slot, who=2)
    english(client)
    page = client.post(reverse("reception:book", args=[schedule.uuid]), form(slot))
    html = page.content.decode()
    assert page.status_code == 409 and 'data-testid="just-taken"' in html
    assert 'data-slot="2026-11-02T10:20"' in html
    opened = client.get(reverse("reception:book", args=[schedule.uuid]), {"at": slot.key})
    assert opened.status_code == 200 and 'data-testid="just-taken"' in opened.content.decode()


def test_too_many_tries_from_one_address_get_a_429_page(client, schedule, settings):
    """docs/security.md 17: the booking door is limited per address (and per IIN)."""
    english(client)
    for n in range(views_public.BOOK_LIMIT):
        client.post(reverse("reception:book", args=[schedule.uuid]), form(first_free(schedule), n))
    page = client.post(
        reverse("reception:book", args=[schedule.uuid]), form(first_free(schedule), 99)
    )
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert "Too many attempts" in page.content.decode()


def test_the_code_door_is_limited_too(client, schedule):
    client.post(reverse("reception:book", args=[schedule.uuid]), form(first_free(schedule)))
    held = Booking.objects.get()
    url = reverse("reception:confirm", args=[held.uuid])
    statuses = [client.post(url, {"code": "999999"}).status_code for _ in range(21)]
    assert statuses[-1] == 429


def test_the_signed_link_moves_and_cancels(client, schedule):
    made = book(schedule)
    url = reverse("reception:manage", args=[manage_token(made)])
    target = first_free(schedule, 1)
    assert client.post(url, {"action": "move", "at": target.key}).status_code == 302
    made.refresh_from_db()
    assert made.starts_at == target.starts_at
    assert client.post(url, {"action": "cancel"}).status_code == 302
    made.refresh_from_db()
    assert made.state == BookingState.CANCELLED
    assert client.get(url).status_code == 200
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_staff_pages_answer_staff_and_send_the_anonymous_to_sign_in(client, cast):
    for name in ("staff-home", "staff-schedules", "staff-requests", "staff-day", "staff-book"):
        assert client.get(reverse(f"reception:{name}")).status_code == 302
        client.force_login(cast.a_user)
        assert client.get(reverse(f"reception:{name}")).status_code == 200, name
        client.logout()


def test_staff_screen_and_refuse_with_a_ground_on_the_page(client, cast):
    screener = make_staff("gpo_reception", cast.gpo, Position.RECEPTION_OFFICER)
    request = book(appointment(cast.gpo_user))
    client.force_login(screener)
    english(client)
    html = client.get(reverse("reception:staff-requests")).content.decode()
    assert request.code in html
    response = client.post(
        reverse("reception:staff-booking-action", args=[request.uuid, "refuse"]),
        {"ground": RefusalGround.FOR_THE_COURTS, "reason": "A civil case is pending in court."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == BookingState.REFUSED
    assert Notice.objects.filter(kind=NoticeKind.BOOKING_REFUSED, subject_id=request.pk).exists()


def test_the_day_row_is_updated_in_place_with_htmx(client, cast, schedule):
    made = book(schedule)
    with time_machine.travel("2026-11-02 10:01 +05:00", tick=False):
        # signed in again: hours without a request end a session (docs/security.md 10)
        client.force_login(schedule.official)
        row = client.post(
            reverse("reception:staff-booking-action", args=[made.uuid, "arrive"]),
            HTTP_HX_REQUEST="true",
        )
    assert row.status_code == 200 and row.content.decode().lstrip().startswith("<tr")
    assert 'data-testid="outcome-form"' in row.content.decode()


def test_a_booking_out_of_scope_is_not_found(client, cast, schedule):
    made = book(schedule)
    client.force_login(cast.b_user)
    assert client.get(reverse("reception:staff-booking", args=[made.uuid])).status_code == 404
    action = reverse("reception:staff-booking-action", args=[made.uuid, "cancel"])
    assert client.post(action).status_code == 404
    assert client.get(action).status_code == 405


def test_the_dashboard_loads_the_receptions_section(client, cast):
    appointment(cast.region_user, weekdays=1 << 1, interval_weeks=2)
    client.force_login(cast.gpo_user)
    english(client)
    html = client.get("/dashboard/").content.decode()
    assert 'hx-get="/reception/staff/supervision/?office=GPO"' in html
    part = client.get("/reception/staff/supervision/?office=GPO", HTTP_HX_REQUEST="true")
    assert 'data-person="region"' in part.content.decode()
    assert "<html" not in part.content.decode()


# API ------------------------------------------------------------------------------------------


def test_the_public_api_books_confirms_moves_and_cancels(client, schedule):
    slot = first_free(schedule)
    payload = {k: v for k, v in form(slot).items() if k != "at"}
    payload.update(schedule=str(schedule.uuid), starts_at=slot.starts_at.isoformat())
    held = client.post(
        "/api/v1/receptions/public/bookings/", payload, content_type="application/json"
    )
    assert held.status_code == 201 and set(held.json()) == {
        "uuid",
        "state",
        "starts_at",
        "ends_at",
        "hold_expires_at",
    }
    booking = Booking.objects.get()
    confirmed = client.post(
        f"/api/v1/receptions/public/bookings/{booking.uuid}/confirm/",
        {"code": code_for(booking)},
        content_type="application/json",
    ).json()
    assert confirmed["state"] == "confirmed" and confirmed["code"] == Booking.objects.get().code
    token = confirmed["manage_token"]
    again = client.post(
        "/api/v1/receptions/public/bookings/",
        {**payload, "iin": iin(2), "request_key": "other"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["nearest"]
    moved = client.post(
        "/api/v1/receptions/public/manage/",
        {
            "token": token,
            "action": "move",
            "starts_at": first_free(schedule, 2).starts_at.isoformat(),
        },
        content_type="application/json",
    )
    assert moved.status_code == 200
    cancelled = client.post(
        "/api/v1/receptions/public/manage/",
        {"token": token, "action": "cancel"},
        content_type="application/json",
    )
    assert cancelled.json()["state"] == "cancelled"


def test_the_public_api_answers_in_the_citizens_language(client, schedule):
    """Every message in Kazakh, Russian and English: a wrong code, a forged link."""
    slot = first_free(schedule)
    payload = {k: v for k, v in form(slot).items() if k != "at"}
    payload.update(schedule=str(schedule.uuid), starts_at=slot.starts_at.isoformat())
    client.post("/api/v1/receptions/public/bookings/", payload, content_type="application/json")
    booking = Booking.objects.get()
    wrong = client.post(
        f"/api/v1/receptions/public/bookings/{booking.uuid}/confirm/",
        {"code": "000000" if code_for(booking) != "000000" else "111111"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"]["code"] == "Код неверен или срок его действия истёк."
    forged = client.post(
        "/api/v1/receptions/public/manage/",
        {"token": "forged", "action": "cancel"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert forged.status_code == 404 and forged.json()["error"]["message"] == "Табылмады."


def test_the_staff_api_screens_and_records_outcomes_through_the_policy(client, cast):
    screener = make_staff("gpo_reception", cast.gpo, Position.RECEPTION_OFFICER)
    request = book(appointment(cast.gpo_user))
    client.force_login(cast.region_user)
    assert client.post(f"/api/v1/receptions/bookings/{request.uuid}/admit/").status_code == 404
    client.force_login(screener)
    listed = client.get("/api/v1/receptions/bookings/?state=screening").json()
    assert [row["code"] for row in listed["results"]] == [request.code]
    admitted = client.post(f"/api/v1/receptions/bookings/{request.uuid}/admit/")
    assert admitted.status_code == 200 and admitted.json()["state"] == "confirmed"
    with time_machine.travel("2026-11-02 10:01 +05:00", tick=False):
        # signed in again: hours without a request end a session (docs/security.md 10)
        client.force_login(cast.gpo_user)
        assert client.post(f"/api/v1/receptions/bookings/{request.uuid}/arrive/").status_code == 200
        done = client.post(
            f"/api/v1/receptions/bookings/{request.uuid}/outcome/",
            {"outcome": "appeal_accepted", "summary": "Unpaid wages"},
            content_type="application/json",
        ).json()
    assert done["state"] == "received" and done["appeal"].startswith("GPO/2026/")
    figures = client.get("/api/v1/receptions/figures/?date_from=2026-11-01&date_to=2026-11-30")
    assert figures.json()["total"]["appeals_accepted"] == 1
    refused = client.post(
        f"/api/v1/receptions/bookings/{request.uuid}/refuse/",
        {"ground": "already_received", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "wrong_state"


def test_the_staff_api_writes_schedules(client, cast):
    client.force_login(cast.region_user)
    created = client.post(
        "/api/v1/receptions/schedules/",
        {
            "official": cast.region_user.pk,
            "kind": "appointment",
            "weekdays": [1, 3],
            "starts_on": "2026-11-02",
            "start_time": "15:00",
            "end_time": "17:00",
            "slot_minutes": 20,
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["weekdays"] == [1, 3]
    uuid = created.json()["uuid"]
    assert client.get(f"/api/v1/receptions/schedules/{uuid}/slots/").json()
    client.force_login(cast.b_user)
    assert client.get(f"/api/v1/receptions/schedules/{uuid}/").status_code == 404


def test_the_schema_describes_the_reception_api(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/receptions/public/bookings/",
        "/api/v1/receptions/public/slots/",
        "/api/v1/receptions/bookings/{uuid}/refuse/",
        "/api/v1/receptions/schedules/",
        "/api/v1/receptions/figures/",
    ):
        assert path in paths, path


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def test_the_staff_lists_cost_the_same_queries_for_one_booking_or_six(request, client, cast):
    """docs/style.md: queries are counted. The screening queue, the day's list and the API list read
    their rows in a fixed number of queries, however many rows. The clock stands still: the
    session's last-seen time is written at most once a minute (accounts/sessions.py), and a
    minute turning between the two counts would add that write to one of them."""
    traveller = time_machine.travel(timezone.now(), tick=False)
    traveller.start()
    request.addfinalizer(traveller.stop)
    screener = make_staff("gpo_reception", cast.gpo, Position.RECEPTION_OFFICER)
    schedule = appointment(cast.gpo_user)
    book(schedule, who=1)
    client.force_login(screener)
    urls = [
        reverse("reception:staff-requests"),
        f"{reverse('reception:staff-day')}?official={cast.gpo_user.pk}",
        "/api/v1/receptions/bookings/",
    ]
    once = [_queries(client, url) for url in urls]
    for n in range(2, 7):
        book(schedule, who=n)
    assert [_queries(client, url) for url in urls] == once


def test_staff_keep_the_timetable_on_the_schedule_page(client, cast):
    officer = make_staff("akmola_reception", cast.region, Position.RECEPTION_OFFICER)
    client.force_login(officer)
    english(client)
    page = client.post(
        reverse("reception:staff-schedule-new"),
        {
            "official": cast.region_user.pk,
            "kind": "appointment",
            "place": "office",
            "recurrence": "weekly",
            "weekdays": ["1", "4"],
            "interval_weeks": "1",
            "starts_on": "2026-11-02",
            "start_time": "15:00",
            "end_time": "17:00",
            "slot_minutes": "20",
        },
    )
    assert page.status_code == 302
    schedule = cast.region_user.reception_schedules.get()
    assert schedule.weekdays == (1 << 1) | (1 << 4) and schedule.created_by == officer
    bad = client.post(
        reverse("reception:staff-schedule", args=[schedule.uuid]),
        {
            "official": cast.region_user.pk,
            "kind": "appointment",
            "place": "office",
            "recurrence": "weekly",
            "weekdays": ["1"],
            "interval_weeks": "1",
            "starts_on": "2026-11-02",
            "start_time": "07:00",
            "end_time": "08:00",
            "slot_minutes": "20",
        },
    )
    assert bad.status_code == 400 and "within the office&#x27;s hours" in bad.content.decode()


def test_a_walk_in_is_recorded_on_the_day_page(client, cast):
    officer = make_staff("akmola_reception", cast.region, Position.RECEPTION_OFFICER)
    walk_in = appointment(
        officer,
        by=officer,
        kind="walk_in",
        slot_minutes=None,
        weekdays=127,
        start_time=time(9),
        end_time=time(18, 30),
    )
    client.force_login(officer)
    day_page = client.get(reverse("reception:staff-day")).content.decode()
    assert reverse("reception:staff-walk-in", args=[walk_in.uuid]) in day_page
    with time_machine.travel("2026-11-02 11:00 +05:00", tick=False):
        # signed in again: hours without a request end a session (docs/security.md 10)
        client.force_login(officer)
        client.post(
            reverse("reception:staff-walk-in", args=[walk_in.uuid]),
            {"last_name": "Сериков", "language": "kk", "matter": "Консультация по алиментам."},
        )
        html = client.get(reverse("reception:staff-day")).content.decode()
    assert "Сериков" in html and 'data-testid="outcome-form"' in html
