"""The reception itself (appeals/reception/day.py), docs/sources.md, seed 002: arrived or not; the
outcome; an appeal accepted at the reception; a refusal explained in person; walk-ins; the
figures."""

from datetime import date, time

import pytest
import time_machine
from django.db import IntegrityError, transaction

from appeals import services
from appeals.models import (
    Appeal,
    AppealState,
    Booking,
    BookingState,
    Channel,
    Outcome,
    ReceptionKind,
    ReceptionOutcome,
)
from appeals.reception import day, selectors
from prosecution.lib.errors import RuleViolation
from tests.reception_helpers import MONDAY, appointment, book, citizen, first_free, leader

pytestmark = pytest.mark.django_db

AT_TEN = "2026-11-02 10:05 +05:00"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def head(cast):
    return leader(cast.region, "akmola_head")


@pytest.fixture
def booked(head):
    return book(appointment(head))  # 10:00 today


def test_the_official_sees_the_days_list(head, booked, cast):
    listed = selectors.day_list(head, day=date(2026, 11, 2), official=head)
    assert list(listed) == [booked]
    assert not selectors.day_list(cast.b_user, day=date(2026, 11, 2), official=head).exists()


def test_a_citizen_arrives_only_on_the_day(head, booked):
    with time_machine.travel("2026-11-01 10:00 +05:00", tick=False), pytest.raises(RuleViolation):
        day.mark_arrived(booked, by=head)
    with time_machine.travel(AT_TEN, tick=False):
        assert day.mark_arrived(booked, by=head).state == BookingState.ARRIVED


def test_nobody_is_marked_absent_before_their_time(head, booked):
    with pytest.raises(RuleViolation) as early:
        day.mark_no_show(booked, by=head)
    assert early.value.code == "too_early_for_no_show"
    with time_machine.travel(AT_TEN, tick=False):
        assert day.mark_no_show(booked, by=head).state == BookingState.NO_SHOW


def test_an_appeal_accepted_at_the_reception_is_registered_with_the_citizens_data(head, booked):
    """Issue 5: "appeal accepted" creates an appeal with the channel "personal reception", the
    citizen's data and the matter prefilled, and links it to the booking."""
    with time_machine.travel(AT_TEN, tick=False):
        day.mark_arrived(booked, by=head)
        received = day.record_outcome(
            booked, by=head, outcome=ReceptionOutcome.APPEAL_ACCEPTED, summary="Unpaid wages"
        )
    appeal = Appeal.objects.get(pk=received.appeal_id)
    assert appeal.channel == Channel.RECEPTION and appeal.received_on == date(2026, 11, 2)
    assert appeal.summary == "Unpaid wages" and appeal.text.startswith(booked.matter)
    assert appeal.language == "ru" and appeal.office == booked.office
    applicant = appeal.applicants.get()
    assert (applicant.iin, applicant.last_name, applicant.phone) == (
        booked.iin,
        booked.last_name,
        "+77011112233",
    )
    assert received.state == BookingState.RECEIVED and received.received_by == head


def test_a_refused_reception_appeal_then_needs_a_personal_answer(head, booked, cast):
    """docs/sources.md, seed 002: an appeal accepted at a personal reception and refused needs a
    personal answer explaining the reasons (appeals/services/answer.py)."""
    with time_machine.travel(AT_TEN, tick=False):
        day.mark_arrived(booked, by=head)
        appeal = day.record_outcome(
            booked, by=head, outcome=ReceptionOutcome.APPEAL_ACCEPTED
        ).appeal
        with transaction.atomic():
            services.assign_appeal(appeal, by=head, executor=head)
        decided = services.decide_appeal(
            Appeal.objects.get(pk=appeal.pk),
            by=head,
            outcome=Outcome.REFUSED,
            answer_text="No violation found.",
            legislation="Labour Code",
        )
    assert decided.state == AppealState.DECIDED and decided.personal_answer_required


def test_a_refusal_at_the_reception_records_the_reasons_explained(head, booked):
    """docs/sources.md, seed 002: a refusal is explained to the citizen in person."""
    with time_machine.travel(AT_TEN, tick=False):
        day.mark_arrived(booked, by=head)
        with pytest.raises(RuleViolation):
            day.record_outcome(booked, by=head, outcome=ReceptionOutcome.REFUSED)
        with pytest.raises(RuleViolation):
            day.record_outcome(booked, by=head, outcome=ReceptionOutcome.REDIRECTED)
        done = day.record_outcome(
            booked, by=head, outcome=ReceptionOutcome.REFUSED, note="Time limit for a claim."
        )
    assert done.outcome_note == "Time limit for a claim."
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=done.pk).update(outcome_note="")


def test_an_outcome_is_recorded_once_and_only_after_arrival(head, booked):
    with pytest.raises(RuleViolation):
        day.record_outcome(booked, by=head, outcome=ReceptionOutcome.CONSULTATION)
    with time_machine.travel(AT_TEN, tick=False):
        day.mark_arrived(booked, by=head)
        day.record_outcome(booked, by=head, outcome=ReceptionOutcome.CONSULTATION)
        with pytest.raises(RuleViolation):
            day.record_outcome(booked, by=head, outcome=ReceptionOutcome.CONSULTATION)


def test_a_walk_in_citizen_is_received_without_an_iin(cast):
    """docs/sources.md, seed 002: reception staff receive daily without appointment; nobody is
    turned away at the door for the lack of an IIN or a phone."""
    officer = leader(cast.region, "reception_officer", position="reception_officer")
    walk_in = appointment(
        officer,
        kind=ReceptionKind.WALK_IN,
        slot_minutes=None,
        start_time=time(9),
        end_time=time(18, 30),
    )
    with time_machine.travel(AT_TEN, tick=False):
        visitor = day.record_walk_in(
            schedule=walk_in, citizen=citizen(iin="", phone="", email=""), by=officer
        )
        day.record_outcome(visitor, by=officer, outcome=ReceptionOutcome.CONSULTATION)
    assert visitor.walk_in and visitor.channel == Channel.RECEPTION


def test_the_figures_count_receptions_citizens_and_appeals_by_office(head, cast):
    """For legal statistics: receptions held (an official's day at the reception), citizens
    received, appeals accepted, by office and period."""
    schedule = appointment(head)
    first, second, third = (book(schedule, first_free(schedule), who=n) for n in (1, 2, 3))
    with time_machine.travel("2026-11-02 11:30 +05:00", tick=False):
        for made in (first, second, third):
            day.mark_arrived(made, by=head)
        day.record_outcome(first, by=head, outcome=ReceptionOutcome.APPEAL_ACCEPTED)
        day.record_outcome(second, by=head, outcome=ReceptionOutcome.CONSULTATION)
    rows, total = selectors.figures(cast.gpo_user, cast.gpo, date(2026, 11, 1), date(2026, 11, 30))
    assert [
        (r.office.code, r.receptions_held, r.citizens_received, r.appeals_accepted) for r in rows
    ] == [("R-AKMOLA", 1, 2, 1)]
    assert total.citizens_received == 2
    _rows, nothing = selectors.figures(
        cast.b_user, cast.district_b, date(2026, 11, 1), date(2026, 11, 30)
    )
    assert nothing.citizens_received == 0


def test_a_day_whose_citizen_did_not_come_was_held(head, cast):
    """Seed 002-4, as the receptions report reads it (legal_statistics/reports/receptions.py): the
    official sat at the reception, and marked there that the citizen did not come: a reception
    held, nobody received."""
    schedule = appointment(head)
    booked = book(schedule, first_free(schedule), who=1)
    with time_machine.travel("2026-11-02 11:30 +05:00", tick=False):
        day.mark_no_show(booked, by=head)
    rows, total = selectors.figures(cast.gpo_user, cast.gpo, date(2026, 11, 1), date(2026, 11, 30))
    assert [(r.office.code, r.receptions_held, r.citizens_received, r.no_shows) for r in rows] == [
        ("R-AKMOLA", 1, 0, 1)
    ]
    assert total.receptions_held == 1
