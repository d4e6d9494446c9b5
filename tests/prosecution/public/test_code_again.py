""" "Send the code again" on both confirm pages (issue 13): a citizen whose code did not come, or
came too late, asks for a new one instead of filling the whole form again. The new code works,
the earlier one no longer does, and a few requests per address and hour are all a page grants
(docs/security.md 17)."""

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from appeals import services
from appeals.models import Appeal, Booking, BookingState, OnlineFiling
from appeals.reception import views_public
from appeals.views import public
from prosecution.models import Notice, NoticeKind
from tests.appeal_helpers import citizen
from tests.reception_helpers import MONDAY, appointment, code_for, hold, leader

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _codes(confirmation_ids) -> list[str]:
    notices = Notice.objects.filter(kind=NoticeKind.ONE_TIME_CODE, subject_id__in=confirmation_ids)
    return [n.context["code"] for n in notices.order_by("pk")]


@pytest.fixture
def filing(cast):
    with transaction.atomic():
        return services.start_online_filing(
            office=cast.district_a,
            applicant=citizen(),
            language="kk",
            summary="Жалақы",
            text="Жалақы үш ай төленбейді.",
            confirm_by="email",
        )


def test_the_appeal_confirm_page_offers_the_code_again(client, filing):
    html = client.get(reverse("appeal-confirm", args=[filing.uuid])).content.decode()
    assert reverse("appeal-code-again", args=[filing.uuid]) in html
    assert "Send the code again" in html


def test_a_new_code_for_an_appeal_works_and_the_first_no_longer_does(client, filing):
    first = filing.confirmation_id
    page = client.post(reverse("appeal-code-again", args=[filing.uuid]), follow=True)
    assert "We sent a new code" in page.content.decode()
    filing.refresh_from_db()
    assert filing.confirmation_id != first
    old, new = _codes([first]), _codes([filing.confirmation_id])
    assert len(new) == 1 and Notice.objects.get(subject_id=filing.confirmation_id).language == "kk"
    assert services.confirm_online_filing(filing, code=old[0]) is None
    assert services.confirm_online_filing(filing, code=new[0]) is not None
    assert Appeal.objects.count() == 1


def test_the_appeal_code_is_sent_again_three_times_an_hour_at_most(client, filing):
    url = reverse("appeal-code-again", args=[filing.uuid])
    statuses = [client.post(url).status_code for _ in range(public.CODE_AGAIN_PER_ADDRESS + 1)]
    assert statuses == [302] * public.CODE_AGAIN_PER_ADDRESS + [429]
    codes = Notice.objects.filter(kind=NoticeKind.ONE_TIME_CODE).count()
    assert codes == 1 + public.CODE_AGAIN_PER_ADDRESS
    assert OnlineFiling.objects.count() == 1


@pytest.fixture
def held(cast):
    with transaction.atomic():
        return hold(appointment(leader(cast.region, "akmola_head")))


def test_the_booking_confirm_page_offers_the_code_again(client, held):
    html = client.get(reverse("reception:confirm", args=[held.uuid])).content.decode()
    assert reverse("reception:code-again", args=[held.uuid]) in html


def test_a_new_booking_code_works_and_keeps_the_slot_as_long_as_it_lives(client, held):
    first_code, expires = code_for(held), held.hold_expires_at
    with time_machine.travel("2026-11-02 08:08 +05:00", tick=False):
        page = client.post(reverse("reception:code-again", args=[held.uuid]), follow=True)
        assert "We sent a new code" in page.content.decode()
        held.refresh_from_db()
        assert held.hold_expires_at > expires
        wrong = client.post(reverse("reception:confirm", args=[held.uuid]), {"code": first_code})
        assert wrong.status_code == 400
    with time_machine.travel("2026-11-02 08:15 +05:00", tick=False):  # the first code's hold ended
        done = client.post(reverse("reception:confirm", args=[held.uuid]), {"code": code_for(held)})
    assert done.status_code == 302
    assert Booking.objects.get().state == BookingState.CONFIRMED


def test_the_booking_code_is_sent_again_three_times_an_hour_at_most(client, held):
    url = reverse("reception:code-again", args=[held.uuid])
    limit = views_public.CODE_AGAIN_PER_ADDRESS
    statuses = [client.post(url).status_code for _ in range(limit + 1)]
    assert statuses == [302] * limit + [429]


def test_no_code_again_once_the_hold_has_run_out(client, held):
    with time_machine.travel("2026-11-02 08:11 +05:00", tick=False):
        page = client.post(reverse("reception:code-again", args=[held.uuid]), follow=True)
    assert "Please book again" in page.content.decode()
    assert Notice.objects.filter(kind=NoticeKind.ONE_TIME_CODE).count() == 1
