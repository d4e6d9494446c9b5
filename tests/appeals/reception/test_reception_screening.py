"""Screening of requests to the leadership of the GPO (appeals/reception/screening.py),
docs/sources.md, seed 002: the grounds of refusal of the 2017 rules, named with a reason and told to
the citizen; passing to the competent office; and no screening of regional and district
receptions."""

import pytest
import time_machine
from django.db import IntegrityError, transaction

from appeals.models import (
    Appeal,
    AppealState,
    Booking,
    BookingState,
    Channel,
    RefusalGround,
)
from appeals.reception import screening
from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeKind, Position
from prosecution.notices import outbox
from tests.conftest import make_staff
from tests.reception_helpers import MONDAY, appointment, book, leader

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def gpo_request(cast):
    """A request for an appointment with a deputy Prosecutor General."""
    return book(appointment(cast.gpo_user), language="en")


@pytest.fixture
def screener(cast):
    return make_staff("gpo_reception", cast.gpo, Position.RECEPTION_OFFICER)


def test_a_request_to_the_gpo_leadership_waits_for_screening(gpo_request):
    assert gpo_request.needs_screening and gpo_request.state == BookingState.AWAITING_SCREENING
    notice = Notice.objects.get(kind=NoticeKind.BOOKING_CONFIRMED, channel="email")
    assert notice.context["screening"] is True


def test_the_refusal_grounds_are_those_of_the_2017_rules_with_their_source():
    """docs/sources.md, seed 002: already received or answered; for the courts (Art. 106(1) CPC) or
    a case in court; the appeal term missed; outside Art. 54(2) CPC; not subject to cassation (Art.
    429(7), 434(2) CPC, 484(2) CrPC)."""
    from django.utils import translation

    with translation.override("en"):
        labels = [str(label) for label in RefusalGround.labels]
    assert len(labels) == 5
    assert all("Rules of 2017" in label for label in labels)
    assert any("106(1)" in label for label in labels)
    assert any("54(2)" in label for label in labels)
    assert any("429(7)" in label and "484(2)" in label for label in labels)


def test_a_refusal_names_its_ground_and_reason_and_the_citizen_is_told(gpo_request, screener):
    refused = screening.refuse_request(
        gpo_request,
        by=screener,
        ground=RefusalGround.ALREADY_RECEIVED,
        reason="Received by the Deputy Prosecutor General on 12.10.2026.",
    )
    assert refused.state == BookingState.REFUSED and refused.screened_by == screener
    notice = Notice.objects.get(kind=NoticeKind.BOOKING_REFUSED, channel="email")
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    assert "Already received by, or answered by" in notice.body
    assert "12.10.2026" in notice.body
    sms = Notice.objects.get(kind=NoticeKind.BOOKING_REFUSED, channel="sms")
    assert outbox.deliver(sms.pk) == "sent"
    sms.refresh_from_db()
    assert "Ground:" in sms.body and "Reason:" in sms.body


def test_a_refusal_without_a_ground_or_a_reason_is_refused(gpo_request, screener):
    with pytest.raises(RuleViolation):
        screening.refuse_request(gpo_request, by=screener, ground="", reason="x")
    with pytest.raises(RuleViolation):
        screening.refuse_request(
            gpo_request, by=screener, ground=RefusalGround.APPEAL_TERM_MISSED, reason=" "
        )
    # And the database says the same.
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=gpo_request.pk).update(state=BookingState.REFUSED)


def test_regional_receptions_are_never_refused_on_these_grounds(cast):
    """docs/sources.md, seed 002: regional and district prosecutors receive "irrespective of their
    previous reply"."""
    regional = book(appointment(leader(cast.region, "akmola_head")))
    assert not regional.needs_screening and regional.state == BookingState.CONFIRMED
    with pytest.raises(RuleViolation) as refused:
        screening.refuse_request(
            regional,
            by=cast.region_user,
            ground=RefusalGround.ALREADY_RECEIVED,
            reason="answered before",
        )
    assert refused.value.code == "not_screened"


def test_only_staff_in_the_gpos_scope_with_the_role_screen(gpo_request, cast):
    with pytest.raises(RuleViolation):  # the region does not see the GPO's requests
        screening.admit_request(gpo_request, by=cast.region_user)
    clerk = make_staff("gpo_clerk", cast.gpo, Position.CLERK)
    with pytest.raises(RuleViolation):
        screening.admit_request(gpo_request, by=clerk)


def test_an_admitted_request_is_booked_and_the_citizen_is_told(gpo_request, screener):
    admitted = screening.admit_request(gpo_request, by=screener)
    assert admitted.state == BookingState.CONFIRMED
    told = Notice.objects.filter(kind=NoticeKind.BOOKING_CONFIRMED, channel="sms")
    assert told.count() == 2  # the request recorded, then admitted: two notices, two keys
    assert [n.context["screening"] for n in told.order_by("pk")] == [True, False]


def test_a_request_passed_to_the_competent_office_is_registered_there(gpo_request, screener, cast):
    passed = screening.pass_request(
        gpo_request, by=screener, office=cast.region, note="A matter for the region."
    )
    assert passed.state == BookingState.PASSED and passed.passed_to == cast.region
    appeal = Appeal.objects.get(pk=passed.appeal_id)
    assert appeal.office == cast.region and appeal.state == AppealState.REGISTERED
    assert appeal.channel == Channel.ONLINE
    assert appeal.applicants.get().iin == gpo_request.iin
    notice = Notice.objects.get(kind=NoticeKind.BOOKING_CHANGED, channel="email")
    assert notice.context["reference"] == appeal.reference
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    assert "Akmola" in notice.body and appeal.reference in notice.body
