"""The timers engine (prosecution/terms/engine.py): every kind of statutory term can be opened,
extended within its maximum, suspended, resumed, met and missed. Each test cites its article."""

from datetime import date, timedelta

import pytest
import time_machine

from prosecution import workdays
from prosecution.lib.errors import RuleViolation
from prosecution.models import (
    CalendarDay,
    Term,
    TermEvent,
    TermEventKind,
    TermKind,
    TermState,
)
from prosecution.terms import engine as terms
from tests.conftest import make_day_off, make_staff

pytestmark = pytest.mark.django_db


def _open(cast, kind, start, **kwargs):
    kwargs.setdefault("office", cast.district_a)
    kwargs.setdefault("responsible", cast.a_user)
    return terms.open_term(
        subject=kwargs.pop("subject", cast.district_a),
        kind=kind,
        start_date=start,
        start_event="received",
        **kwargs,
    )


def test_an_appeal_is_answered_in_15_working_days_art_24_3(cast):
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    assert term.legal_basis == "Art. 24(3)"
    # Nauryz 2026 (23-25 March) is not counted.
    assert term.due_date == date(2026, 4, 15)
    assert workdays.working_days_between(term.start_date, term.due_date) == 15


def test_the_head_extends_an_appeal_and_the_applicant_must_be_told_in_3_working_days(cast):
    """Art. 24(4): by a reasoned decision of the head or a deputy; Art. 24(5): the applicant is
    told within 3 working days of the extension."""
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    term = terms.extend_term(
        term,
        by=cast.region_user,
        reason="Information awaited from the akimat",
        until=date(2026, 5, 15),
        on=date(2026, 4, 10),
    )
    assert term.due_date == date(2026, 5, 15)
    notice = term.__class__.objects.get(kind=TermKind.APPEAL_EXTENSION_NOTICE)
    assert notice.legal_basis == "Art. 24(5)"
    assert notice.due_date == workdays.add_working_days(date(2026, 4, 10), 3) == date(2026, 4, 15)
    event = term.events.get(kind=TermEventKind.EXTENDED)
    assert (event.old_due, event.new_due, event.by) == (
        date(2026, 4, 15),
        date(2026, 5, 15),
        cast.region_user,
    )


def test_an_appeal_is_never_extended_beyond_two_months_from_receipt_art_24_4(cast):
    """Reading chosen to protect the applicant: two months in all, from receipt."""
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    with pytest.raises(RuleViolation) as refusal:
        terms.extend_term(
            term,
            by=cast.region_user,
            reason="more time",
            until=date(2026, 5, 21),
            on=date(2026, 4, 1),
        )
    assert refusal.value.article == "Art. 24(4)"
    assert refusal.value.code == "extension_beyond_maximum"
    # 20 May 2026 is exactly two months after 20 March: allowed.
    terms.extend_term(
        term, by=cast.region_user, reason="more time", until=date(2026, 5, 20), on=date(2026, 4, 1)
    )


def test_only_the_head_or_a_deputy_extends_and_only_with_reasons_art_24_4(cast):
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    with pytest.raises(RuleViolation):
        terms.extend_term(
            term, by=cast.a_user, reason="busy", until=date(2026, 5, 1), on=date(2026, 4, 1)
        )
    with pytest.raises(RuleViolation):
        terms.extend_term(
            term, by=cast.region_user, reason="  ", until=date(2026, 5, 1), on=date(2026, 4, 1)
        )
    with pytest.raises(RuleViolation):  # the head of a sibling region is outside the scope
        pavlodar_head = make_staff("pavlodar_head", cast.other_region, "head")
        terms.extend_term(
            term, by=pavlodar_head, reason="x", until=date(2026, 5, 1), on=date(2026, 4, 1)
        )


def test_a_missed_term_cannot_be_extended_after_the_fact(cast):
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    with pytest.raises(RuleViolation):
        terms.extend_term(
            term, by=cast.region_user, reason="late", until=date(2026, 5, 1), on=date(2026, 4, 16)
        )


def test_final_answer_after_a_check_within_10_working_days_art_24_4(cast):
    term = _open(cast, TermKind.APPEAL_FINAL_AFTER_CHECK, date(2026, 4, 30))
    # 1 May, 7 May and 11 May (Victory Day moved from Saturday) 2026 are days off.
    assert term.due_date == workdays.add_working_days(date(2026, 4, 30), 10) == date(2026, 5, 19)


def test_a_complaint_against_a_prosecutor_is_decided_in_20_working_days_art_25_1(cast):
    term = _open(cast, TermKind.COMPLAINT_DECISION, date(2026, 6, 1), office=cast.region)
    assert term.legal_basis == "Art. 25(1)"
    assert workdays.working_days_between(date(2026, 6, 1), term.due_date) == 20


def test_a_check_lasts_30_working_days_and_extends_by_at_most_30_art_18_4(cast):
    term = _open(cast, TermKind.CHECK_DURATION, date(2026, 2, 2))
    assert workdays.working_days_between(date(2026, 2, 2), term.due_date) == 30
    term = terms.extend_term(
        term, by=cast.region_user, reason="large volume", length=20, on=date(2026, 3, 2)
    )
    assert workdays.working_days_between(date(2026, 2, 2), term.due_date) == 50
    with pytest.raises(RuleViolation) as refusal:
        terms.extend_term(term, by=cast.region_user, reason="more", length=11, on=date(2026, 3, 3))
    assert refusal.value.article == "Art. 18(4)"
    terms.extend_term(term, by=cast.region_user, reason="more", length=10, on=date(2026, 3, 3))


def test_a_suspended_check_counts_on_from_the_day_it_resumes_art_18_4(cast):
    start = date(2026, 2, 2)
    term = _open(cast, TermKind.CHECK_DURATION, start)
    suspended_on = workdays.add_working_days(start, 10)  # the 10th working day
    term = terms.suspend_term(term, on=suspended_on, reason="expert examination", by=cast.a_user)
    assert term.state == TermState.SUSPENDED
    assert term.counted_before == 10
    resumed_on = date(2026, 4, 6)  # a Monday, weeks later
    term = terms.resume_term(term, on=resumed_on, by=cast.a_user, reason="expert opinion in")
    # The day of resumption is day 1 of the remaining 20.
    assert workdays.working_days_between(resumed_on - timedelta(days=1), term.due_date) == 20
    assert term.due_date == workdays.add_working_days(resumed_on, 19)
    kinds = list(term.events.values_list("kind", flat=True))
    assert kinds == ["opened", "suspended", "resumed"]


def test_a_suspended_check_counts_the_day_of_suspension_once_art_18_4(cast):
    """Art. 18(4) (docs/rules.md "Readings"): the day of the suspension is a day of the check, the
    day of the resumption the first day counted again, and no day is counted twice. Started
    Monday 3 March 2025 (day 0), suspended Friday 14 March (8 working days used: 10 March is the
    day off for 8 March), resumed Monday 14 April: the 22 days left end on 16 May 2025 (1, 7 and 9
    May are days off)."""
    term = _open(cast, TermKind.CHECK_DURATION, date(2025, 3, 3))
    term = terms.suspend_term(
        term, on=date(2025, 3, 14), reason="expert examination", by=None, system=True
    )
    assert term.counted_before == 8
    term = terms.resume_term(term, on=date(2025, 4, 14), by=None, system=True)
    assert term.due_date == date(2025, 5, 16)


def test_a_check_resumed_on_the_day_it_was_suspended_loses_no_day_art_18_4(cast):
    """Art. 18(4): suspended and resumed on the same day, the day counts once, so the due date
    does not move."""
    term = _open(cast, TermKind.CHECK_DURATION, date(2025, 3, 3))
    due = term.due_date
    term = terms.suspend_term(
        term, on=date(2025, 3, 14), reason="expert examination", by=None, system=True
    )
    term = terms.resume_term(term, on=date(2025, 3, 14), by=None, system=True)
    assert term.due_date == due


def test_a_resumption_is_never_before_the_suspension_nor_in_the_future(cast):
    term = _open(cast, TermKind.CHECK_DURATION, date(2026, 2, 2))
    term = terms.suspend_term(term, on=date(2026, 2, 10), reason="foreign request", by=cast.a_user)
    with pytest.raises(RuleViolation):
        terms.resume_term(term, on=date(2026, 2, 9), by=cast.a_user)
    with pytest.raises(RuleViolation):
        terms.resume_term(term, on=date.today() + timedelta(days=1), by=cast.a_user)


def test_only_a_check_can_be_suspended(cast):
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    with pytest.raises(RuleViolation):
        terms.suspend_term(term, on=date(2026, 3, 25), reason="x", by=cast.a_user)


def test_a_protest_is_considered_in_10_calendar_days_ending_on_a_working_day_art_33_3(cast):
    # 4 Nov 2026 + 10 days is Saturday 14 Nov: the term ends on Monday 16 Nov.
    term = _open(cast, TermKind.PROTEST_CONSIDERATION, date(2026, 11, 4))
    assert term.due_date == date(2026, 11, 16)


def test_a_prosecutor_may_set_a_protest_term_of_at_least_3_working_days_art_33_3(cast):
    with pytest.raises(RuleViolation) as refusal:
        _open(cast, TermKind.PROTEST_CONSIDERATION, date(2026, 11, 4), set_due=date(2026, 11, 6))
    assert refusal.value.code == "term_below_minimum"
    term = _open(cast, TermKind.PROTEST_CONSIDERATION, date(2026, 11, 4), set_due=date(2026, 11, 9))
    assert term.due_date == date(2026, 11, 9)


def test_a_submission_is_considered_in_30_calendar_days_and_reported_in_3_working_days_art_36(
    cast,
):
    term = _open(cast, TermKind.SUBMISSION_CONSIDERATION, date(2026, 6, 1))
    assert term.due_date == workdays.add_calendar_days(date(2026, 6, 1), 30) == date(2026, 7, 1)
    report = _open(cast, TermKind.SUBMISSION_RESULTS, date(2026, 7, 3))
    assert report.due_date == date(2026, 7, 9)  # 6 July is Capital Day


def test_a_submission_term_set_by_the_prosecutor_is_never_longer_than_30_days_art_36_2(cast):
    """Art. 36(2): the prosecutor's term exists to be shorter than the 30 calendar days; a date
    90 days on is refused (the engine took it before)."""
    with pytest.raises(RuleViolation) as refusal:
        _open(
            cast,
            TermKind.SUBMISSION_CONSIDERATION,
            date(2026, 6, 1),
            set_due=date(2026, 8, 31),
            reason="Irreversible harm",
        )
    assert refusal.value.code == "term_above_maximum"
    assert refusal.value.article == "Art. 36(2)"


def test_a_shorter_submission_term_needs_the_irreversible_consequences_art_36_2(cast):
    """Art. 36(2): a term shorter than 30 calendar days only where irreversible consequences
    threaten life, health or the security of the state; the reason is kept in the history."""
    with pytest.raises(RuleViolation) as refusal:
        _open(cast, TermKind.SUBMISSION_CONSIDERATION, date(2026, 6, 1), set_due=date(2026, 6, 10))
    assert refusal.value.code == "reason_required"
    term = _open(
        cast,
        TermKind.SUBMISSION_CONSIDERATION,
        date(2026, 6, 1),
        set_due=date(2026, 6, 10),
        reason="A collapsing roof over a school",
    )
    assert term.due_date == date(2026, 6, 10)
    assert "collapsing roof" in term.events.get(kind=TermEventKind.OPENED).reason


def test_the_statutory_date_set_by_the_prosecutor_needs_no_reason_art_36_2(cast):
    term = _open(
        cast, TermKind.SUBMISSION_CONSIDERATION, date(2026, 6, 1), set_due=date(2026, 7, 1)
    )
    assert term.due_date == date(2026, 7, 1)


def test_a_resolution_suspends_an_act_for_at_most_3_working_days_art_37_1_9(cast):
    # Friday 6 Nov 2026: 3 working days on is Wednesday 11 Nov; 4 is Thursday 12 Nov.
    with pytest.raises(RuleViolation) as refusal:
        _open(cast, TermKind.ACT_SUSPENSION, date(2026, 11, 6), set_due=date(2026, 11, 12))
    assert refusal.value.code == "term_above_maximum"
    assert refusal.value.article == "Art. 37(1)(9)"
    term = _open(cast, TermKind.ACT_SUSPENSION, date(2026, 11, 6), set_due=date(2026, 11, 11))
    assert term.due_date == date(2026, 11, 11)


def test_a_request_for_information_gives_at_least_3_working_days_art_26_3(cast):
    with pytest.raises(RuleViolation):
        _open(cast, TermKind.INFORMATION_REQUEST, date(2026, 3, 20), set_due=date(2026, 3, 27))
    term = _open(cast, TermKind.INFORMATION_REQUEST, date(2026, 3, 20), set_due=date(2026, 3, 30))
    assert term.due_date == date(2026, 3, 30)
    with pytest.raises(RuleViolation):  # the prosecutor must set it
        _open(cast, TermKind.INFORMATION_REQUEST, date(2026, 3, 20), subject=cast.district_b)


def test_irreversible_consequences_allow_an_immediate_request_art_26_4(cast):
    term = _open(
        cast,
        TermKind.INFORMATION_REQUEST,
        date(2026, 3, 20),
        set_due=date(2026, 3, 20),
        urgent=True,
    )
    assert term.due_date == date(2026, 3, 20)


def test_a_term_is_missed_the_day_after_its_due_date_and_only_once(cast):
    """docs/rules.md: "overdue" starts the day after the due date."""
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    assert terms.mark_missed(today=term.due_date) == 0
    assert terms.mark_missed(today=term.due_date + timedelta(days=1)) == 1
    assert terms.mark_missed(today=term.due_date + timedelta(days=2)) == 0
    term.refresh_from_db()
    assert term.state == TermState.MISSED
    assert TermEvent.objects.filter(term=term, kind=TermEventKind.MISSED).count() == 1
    term = terms.meet_term(term, on=date(2026, 4, 20), by=cast.a_user)
    assert term.state == TermState.MET and term.met_on > term.due_date  # met late


def test_a_met_or_cancelled_term_stays_closed(cast):
    term = _open(cast, TermKind.COMPLAINT_DECISION, date(2026, 6, 1))
    terms.meet_term(term, on=date(2026, 6, 10), by=cast.a_user)
    with pytest.raises(RuleViolation):
        terms.meet_term(term, on=date(2026, 6, 11), by=cast.a_user)
    other = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 6, 1))
    with pytest.raises(RuleViolation):
        terms.cancel_term(other, reason="", by=cast.region_user)
    terms.cancel_term(other, reason="redirected to the competent body", by=cast.region_user)
    with pytest.raises(RuleViolation):
        terms.cancel_term(other, reason="again", by=cast.region_user)


def test_a_change_of_the_calendar_recomputes_open_terms(cast):
    """Labour Code Art. 85(3): a day off moved by order changes the due dates of open terms."""
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    fixed = _open(cast, TermKind.INFORMATION_REQUEST, date(2026, 3, 20), set_due=date(2026, 4, 3))
    make_day_off(date(2026, 4, 2))
    changed = terms.recompute_after_calendar_change()
    assert [(m.term_id, m.old_due) for m in changed] == [(term.pk, date(2026, 4, 15))]
    term.refresh_from_db()
    fixed.refresh_from_db()
    assert term.due_date == date(2026, 4, 16)
    assert fixed.due_date == date(2026, 4, 3)  # a date set by a decision does not move
    assert term.events.filter(kind=TermEventKind.RECOMPUTED).count() == 1
    assert terms.recompute_after_calendar_change() == []


def test_a_change_of_the_calendar_reads_the_terms_a_chunk_at_a_time(
    cast, monkeypatch, django_assert_max_num_queries
):
    """Keyset chunks (prosecution/terms/engine.py): every open and suspended term is recomputed,
    whatever chunk it falls in; a closed one is not; the dashboard's tallies follow. Terms that
    do not move cost one query per chunk, not one per term."""
    from prosecution.terms import tallies

    monkeypatch.setattr(terms, "RECOMPUTE_CHUNK", 2)
    subjects = [make_staff(f"subject_{n}", cast.district_b) for n in range(7)]
    opened = [
        _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20), subject=subject)
        for subject in subjects
    ]
    check = _open(cast, TermKind.CHECK_DURATION, date(2026, 3, 20))
    terms.suspend_term(check, on=date(2026, 3, 25), reason="expertise", by=None, system=True)
    terms.meet_term(opened.pop(), on=date(2026, 4, 1), system=True)
    make_day_off(date(2026, 4, 2))
    changed = terms.recompute_after_calendar_change()
    assert sorted(m.term_id for m in changed) == sorted(t.pk for t in [*opened, check])
    assert all(m.new_due == m.old_due + timedelta(days=1) for m in changed if m.term_id != check.pk)
    # 7 terms, 2 a chunk: 4 chunks and the last, empty; and perhaps the calendar's version check.
    with django_assert_max_num_queries(6):
        assert terms.recompute_after_calendar_change() == []
    assert tallies.differences() == {}


def test_a_change_of_the_calendar_goes_on_in_the_next_task_when_time_is_up(cast, monkeypatch):
    """prosecution/terms/tasks.py: a decree that moves more terms than one task may recompute before
    its time limit; the task queues itself to go on after the last term it read."""
    from prosecution.terms import tasks

    monkeypatch.setattr(terms, "RECOMPUTE_CHUNK", 2)
    monkeypatch.setattr(tasks, "RECOMPUTE_SECONDS", 0)  # time is up after every chunk
    queued = []
    monkeypatch.setattr(tasks.recompute_terms_after_calendar_change, "delay", queued.append)
    subjects = [make_staff(f"subject_{n}", cast.district_b) for n in range(5)]
    opened = [
        _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20), subject=subject)
        for subject in subjects
    ]
    make_day_off(date(2026, 4, 2))
    moved, runs, after = 0, 0, 0
    while after is not None:
        moved += tasks.recompute_terms_after_calendar_change(after)
        runs += 1
        after = queued.pop() if queued else None
    assert moved == len(opened) == 5
    assert runs == 4  # 2, 2 and 1 terms, then the last one finds none left
    assert all(term.due_date == date(2026, 4, 16) for term in Term.objects.all())


def test_why_this_date_lists_the_days_skipped(cast):
    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    explanation = terms.explain_due(term)
    assert explanation.due == term.due_date
    assert {d.date for d in explanation.skipped} >= {date(2026, 3, 23), date(2026, 3, 24)}


def test_one_term_of_a_kind_per_record(cast):
    from django.db import IntegrityError, transaction

    _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 21))


def test_moving_an_office_moves_its_terms_on_the_dashboard(cast):
    from prosecution.offices.services import move_office

    term = _open(cast, TermKind.APPEAL_ANSWER, date(2026, 3, 20))
    move_office(office=cast.district_a, new_parent=cast.other_region)
    term.refresh_from_db()
    assert term.office_path == "GPO/R-PAVLODAR/R-AKMOLA-D1/"


def test_a_calendar_edit_queues_the_recomputation_once_committed(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        CalendarDay.objects.create(
            date=date(2026, 4, 2),
            kind="day_off",
            name_kk="x",
            name_ru="x",
            name_en="x",
            legal_source="Order (test)",
        )
    # Once each: the terms (prosecution) and the bookings on the day (appeals/signals.py); besides
    # them, the audit log chains the change's record after the commit (prosecution/audit/chain.py).
    tasks = [callback for callback in callbacks if callback.__module__ != "prosecution.audit.chain"]
    assert len(tasks) == len(callbacks) - 1
    assert sorted(callback.__self__.name for callback in tasks) == [
        "appeals.tasks.rehome_bookings_off_reception_days",
        "prosecution.tasks.recompute_terms_after_calendar_change",
    ]


def test_why_this_date_of_a_date_set_by_a_decision_shows_that_date(cast):
    """Art. 26(3): the prosecutor set 30 March; the explanation must not say 20 March."""
    term = _open(cast, TermKind.INFORMATION_REQUEST, date(2026, 3, 20), set_due=date(2026, 3, 30))
    explanation = terms.explain_due(term)
    assert explanation.due == date(2026, 3, 30)
    assert explanation.term == 3  # 26, 27 and 30 March; Nauryz and the weekends skipped
    assert date(2026, 3, 23) in {d.date for d in explanation.skipped}


def test_a_date_set_by_a_decision_moves_on_by_the_days_a_suspension_lasted_art_43_3(cast):
    """Art. 5(2), 43(3): a superior suspends an act; its clock stops. A resolution's own date
    (Art. 37(2)) moves on by the days it stood still once the suspension is lifted."""
    term = _open(cast, TermKind.SET_BY_PROSECUTOR, date(2026, 11, 2), set_due=date(2026, 11, 20))
    terms.suspend_term(term, on=date(2026, 11, 4), reason="Superior's review", by=None, system=True)
    with time_machine.travel("2026-11-09 10:00 +05:00", tick=False):
        term = terms.resume_term(term, on=date(2026, 11, 9), by=None, system=True)
    # Stood still from the 5th to the 8th (the 4th was counted): 4 days later, Tuesday 24th.
    assert term.due_date == term.fixed_due == date(2026, 11, 24)
