"""Issue 5 in a real browser: a citizen books, confirms with the code from their phone, is
reminded, moves and cancels; staff of the GPO screen a request and refuse it with a ground of the
2017 rules; an official marks a citizen arrived and records an outcome that registers an appeal."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from appeals.models import Booking, BookingState, Channel, ReceptionSchedule
from appeals.reception import reminders
from prosecution.models import Notice, NoticeKind, Office
from tests.reception_helpers import iin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = True
    return settings


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def test_a_citizen_books_confirms_moves_and_cancels(live_server, page: Page, demo):
    region = Office.objects.get(code="R-AKMOLA")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/reception/?q=Akmola")
    page.locator(f'a[href="/reception/office/{region.uuid}/"]').first.click()
    page.locator(".card", has_text="Айгүл Нұрланова").get_by_test_id("choose-time").click()
    # A time at least two days ahead, so that its reminder the day before can be sent.
    keys = page.locator("a.slot").evaluate_all("links => links.map(a => a.dataset.slot)")
    later = (timezone.localdate() + timedelta(days=2)).isoformat()
    wanted = next(key for key in keys if key >= later)
    page.locator(f'a.slot[data-slot="{wanted}"]').click()

    page.locator("#id_last_name").fill("Абаев")
    page.locator("#id_first_name").fill("Ерлан")
    page.locator("#id_iin").fill(iin(42))
    page.locator("#id_phone").fill("+7 701 111 22 33")
    page.select_option("#id_language", "en")
    page.locator("#id_matter").fill("My employer has not paid wages for three months.")
    page.get_by_test_id("booking-form").locator("button[type=submit]").click()

    expect(page.get_by_test_id("code-form")).to_be_visible()
    held = Booking.objects.get(iin=iin(42))
    code = (
        Notice.objects.filter(kind=NoticeKind.ONE_TIME_CODE, subject_id=held.confirmation_id)
        .latest("pk")
        .context["code"]
    )
    page.locator("#id_code").fill(code)
    page.get_by_test_id("code-form").locator("button[type=submit]").click()

    held.refresh_from_db()
    expect(page.get_by_test_id("booking-code")).to_have_text(held.code)
    assert held.state == BookingState.CONFIRMED
    assert timezone.localtime(held.starts_at).strftime("%Y-%m-%dT%H:%M") == wanted
    assert Notice.objects.filter(kind=NoticeKind.BOOKING_CONFIRMED, subject_id=held.pk).exists()

    # The day before at noon, the reminder goes out in the language the citizen chose.
    eve = timezone.localtime(held.starts_at).replace(hour=12, minute=0) - timedelta(days=1)
    assert reminders.send_reminders(now=eve) >= 1  # the demo's bookings of that day too
    reminded = Notice.objects.get(
        kind=NoticeKind.BOOKING_REMINDER, subject_id=held.pk, channel="sms"
    )
    assert reminded.language == "en" and reminded.context["stage_name"] == "eve"

    target = page.get_by_test_id("move-slots").locator("button.slot").nth(1)
    moved_to = target.get_attribute("data-slot")
    target.click()
    expect(page.get_by_test_id("booking-code")).to_have_text(held.code)
    held.refresh_from_db()
    assert timezone.localtime(held.starts_at).strftime("%Y-%m-%dT%H:%M") == moved_to

    page.get_by_test_id("cancel").click()
    expect(page.get_by_test_id("cancel")).to_have_count(0)
    held.refresh_from_db()
    assert held.state == BookingState.CANCELLED
    actions = Notice.objects.filter(kind=NoticeKind.BOOKING_CHANGED, subject_id=held.pk)
    assert {n.context["action"] for n in actions} == {"moved", "cancelled"}


def test_staff_screen_and_refuse_a_request_with_a_ground(live_server, page: Page, demo):
    request = Booking.objects.filter(state=BookingState.AWAITING_SCREENING).order_by("pk").first()
    sign_in(page, live_server.url, "demo.pg", demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reception/staff/requests/")
    card = page.locator(f'li.card[data-booking="{request.code}"]')
    card.locator("details summary").first.click()
    card.locator("select[name=ground]").select_option("for_the_courts")
    card.locator("textarea[name=reason]").fill("A civil case on the same matter is in court.")
    card.get_by_test_id("refuse").click()

    expect(page.locator(f'li.card[data-booking="{request.code}"]')).to_have_count(0)
    request.refresh_from_db()
    assert request.state == BookingState.REFUSED and request.refusal_ground == "for_the_courts"
    told = Notice.objects.filter(kind=NoticeKind.BOOKING_REFUSED, subject_id=request.pk)
    assert {n.channel for n in told} == {"email", "sms"}


def test_an_official_records_an_outcome_that_registers_an_appeal(live_server, page: Page, demo):
    schedule = ReceptionSchedule.objects.get(official__username="demo.akmola.head")
    now = timezone.now().replace(second=0, microsecond=0)
    booked = Booking.objects.create(
        code="TEST-0001",
        schedule=schedule,
        office=schedule.office,
        official=schedule.official,
        starts_at=now,
        ends_at=now + timedelta(minutes=20),
        channel=Channel.CALL_CENTRE,
        state=BookingState.CONFIRMED,
        iin=iin(43),
        last_name="Omarov",
        first_name="Kairat",
        phone="+77015550043",
        language="kk",
        matter="Жалақы үш ай бойы төленбейді.",
    )
    sign_in(page, live_server.url, "demo.akmola.head", demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reception/staff/day/")
    row = page.locator(f'tr[data-booking="{booked.code}"]')
    row.get_by_test_id("arrived").click()  # htmx: the row is swapped in place
    expect(row.get_by_test_id("outcome-form")).to_be_visible()
    row.locator("select[name=outcome]").select_option("appeal_accepted")
    row.locator("input[name=summary]").fill("Unpaid wages")
    row.get_by_test_id("record-outcome").click()

    expect(
        page.locator(f'tr[data-booking="{booked.code}"]').get_by_test_id("row-appeal")
    ).to_be_visible()
    booked.refresh_from_db()
    assert booked.state == BookingState.RECEIVED
    assert booked.appeal.channel == Channel.RECEPTION
    assert booked.appeal.summary == "Unpaid wages"
    assert booked.appeal.applicants.get().iin == iin(43)
