"""Reception schedules and the minimum frequencies (appeals/reception/schedules.py, selectors.py),
docs/sources.md, seed 002: who receives how, a deputy instructed to receive instead, office hours,
and the flag when the GPO's leadership goes a month, or a regional leadership a week, without a
reception."""

from dataclasses import fields as dataclass_fields
from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appeals.models import ReceptionKind, ReceptionPlace, Recurrence
from appeals.reception import schedules, selectors
from prosecution.lib.errors import RuleViolation
from prosecution.models import Position
from tests.conftest import make_staff
from tests.reception_helpers import MONDAY, appointment, leader

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


def test_appointments_are_for_the_leadership(cast):
    """docs/sources.md, seed 002: the leadership receives by appointment; other staff daily without
    one."""
    with pytest.raises(RuleViolation) as refused:
        appointment(cast.a_user, by=cast.region_user)
    assert refused.value.code == "position"
    walk_in = appointment(
        cast.a_user,
        by=cast.region_user,
        kind=ReceptionKind.WALK_IN,
        slot_minutes=None,
        start_time=time(9),
        end_time=time(18, 30),
    )
    assert walk_in.slot_minutes is None


def test_a_regional_prosecutor_may_instruct_a_deputy_to_receive_instead(cast):
    """docs/sources.md, seed 002: "if necessary, regional prosecutors may instruct their
    deputies"."""
    deputy = make_staff("akmola_deputy", cast.region, Position.DEPUTY_HEAD)
    schedule = appointment(cast.region_user, delegate=deputy, delegation_note="Order No. 12")
    assert schedule.receiver == deputy
    with pytest.raises(RuleViolation):  # without naming the instruction
        appointment(cast.region_user, delegate=deputy)
    with pytest.raises(RuleViolation):  # not a deputy
        appointment(cast.region_user, delegate=cast.a_user, delegation_note="x")
    head_a = leader(cast.district_a, "head_of_a")
    deputy_a = make_staff("deputy_of_a", cast.district_a, Position.DEPUTY_HEAD)
    with pytest.raises(RuleViolation) as refused:  # a district head is not a regional one
        appointment(head_a, delegate=deputy_a, delegation_note="x")
    assert refused.value.code == "delegate"


def test_a_reception_lies_within_the_office_hours(cast):
    with pytest.raises(RuleViolation) as refused:
        appointment(cast.region_user, start_time=time(8), end_time=time(10))
    assert refused.value.code == "office_hours"
    # A detention facility keeps its own posted hours, and must be named.
    with pytest.raises(RuleViolation):
        appointment(cast.a_user, by=cast.region_user, kind=ReceptionKind.DETENTION)
    duty = appointment(
        cast.a_user,
        by=cast.region_user,
        kind=ReceptionKind.DETENTION,
        slot_minutes=None,
        place=ReceptionPlace.FACILITY,
        place_detail="Temporary detention facility No. 1",
        start_time=time(19),
        end_time=time(20),
    )
    assert duty.kind == ReceptionKind.DETENTION


def test_one_person_receives_one_citizen_at_a_time(cast):
    """Two schedules of one official that share a day and an hour would offer the same official
    twice at overlapping times (20-minute slots from 10:00 and 30-minute ones from 11:00 start
    apart, so the one-booking-per-slot constraint cannot see them): refused, and the refusal
    names the other schedule's day and hours."""
    head = leader(cast.district_a, "head_of_a")
    first = appointment(head, ends_on=date(2026, 12, 31))  # Mon-Fri 10:00-12:00 from 2 Nov
    with pytest.raises(RuleViolation) as refused:
        appointment(head, weekdays=1 << 2, start_time=time(11), end_time=time(13), slot_minutes=30)
    assert refused.value.code == "overlap"
    assert "04.11.2026" in str(refused.value) and "10:00-12:00" in str(refused.value)
    appointment(head, start_time=time(14), end_time=time(16))  # other hours
    appointment(head, starts_on=date(2027, 1, 4))  # the same hours after the first has ended
    # A change of a schedule is not a clash with itself.
    data = schedules.ScheduleData(**{**_fields_of(first), "end_time": time(11, 40)})
    assert schedules.save_schedule(by=head, data=data, schedule=first).end_time == time(11, 40)


def test_every_other_week_schedules_in_turn_do_not_clash(cast):
    head = leader(cast.district_a, "head_of_a")
    mondays = {"weekdays": 1, "recurrence": Recurrence.WEEKLY, "interval_weeks": 2}
    appointment(head, **mondays)  # from Monday 2 Nov
    appointment(head, starts_on=date(2026, 11, 9), **mondays)  # the Mondays between
    with pytest.raises(RuleViolation) as refused:
        appointment(head, starts_on=date(2026, 11, 16), **mondays)
    assert refused.value.code == "overlap"


def test_a_deputy_instructed_to_receive_is_not_given_two_citizens_at_once(cast):
    """docs/sources.md, seed 002: the deputy receives for the regional prosecutor; their own
    schedule at the same hours would make them receive twice."""
    deputy = make_staff("akmola_deputy", cast.region, Position.DEPUTY_HEAD)
    appointment(cast.region_user, delegate=deputy, delegation_note="Order No. 12")
    with pytest.raises(RuleViolation) as refused:
        appointment(deputy, by=cast.region_user, weekdays=1 << 1)
    assert refused.value.code == "overlap"
    appointment(deputy, by=cast.region_user, start_time=time(14), end_time=time(16))
    # The regional prosecutor receiving at the same hours as the deputy receives for them: two
    # people receiving, allowed.
    appointment(cast.region_user, weekdays=1 << 1)


def _fields_of(schedule) -> dict:
    names = {f.name for f in dataclass_fields(schedules.ScheduleData)}
    return {name: getattr(schedule, name) for name in names}


def test_the_database_refuses_a_schedule_that_makes_no_sense(cast):
    with pytest.raises(ValidationError):
        appointment(cast.region_user, start_time=time(12), end_time=time(10))


def test_staff_outside_the_scope_cannot_touch_a_schedule(cast):
    schedule = appointment(cast.region_user)
    data = schedules.ScheduleData(
        official=cast.region_user,
        kind=ReceptionKind.APPOINTMENT,
        weekdays=1,
        starts_on=date(2026, 11, 2),
        start_time=time(10),
        end_time=time(11),
        slot_minutes=20,
    )
    with pytest.raises(RuleViolation):
        schedules.save_schedule(by=cast.b_user, data=data, schedule=schedule)
    with pytest.raises(RuleViolation):  # in scope, but a prosecutor keeps no timetable
        schedules.save_schedule(by=cast.a_user, data=data)


def _flagged(user, office):
    return {flag.profile.user.username: flag for flag in selectors.frequency_flags(user, office)}


def test_gpo_leadership_without_a_reception_day_in_a_month_is_flagged(cast):
    """docs/sources.md, seed 002: GPO management receives at least once a month. The deputy PG
    (cast.gpo_user) receives on the 3rd Wednesday; December's is 16 December, Independence Day:
    December has no reception day and is flagged."""
    assert "gpo" in _flagged(cast.gpo_user, cast.gpo)  # no schedule at all
    assert not _flagged(cast.gpo_user, cast.gpo)["gpo"].has_schedule
    appointment(cast.gpo_user, weekdays=1 << 2, recurrence=Recurrence.MONTHLY, week_of_month=3)
    flag = _flagged(cast.gpo_user, cast.gpo)["gpo"]
    assert flag.rule == "month" and flag.gaps == [date(2026, 12, 1)]
    appointment(cast.gpo_user, weekdays=1 << 3, recurrence=Recurrence.MONTHLY, week_of_month=3)
    assert "gpo" not in _flagged(cast.gpo_user, cast.gpo)


def test_regional_leadership_without_a_reception_day_in_a_week_is_flagged(cast):
    """docs/sources.md, seed 002: regional management receives at least once a week. Every other
    Tuesday leaves every other week without one."""
    appointment(cast.region_user, weekdays=1 << 1, interval_weeks=2)
    flag = _flagged(cast.gpo_user, cast.gpo)["region"]
    assert flag.rule == "week"
    assert flag.gaps[:2] == [date(2026, 11, 9), date(2026, 11, 23)]
    appointment(cast.region_user, weekdays=1 << 3, interval_weeks=2, starts_on=date(2026, 11, 9))
    assert "region" not in _flagged(cast.gpo_user, cast.gpo)


def test_a_deputy_receiving_on_instruction_counts_for_the_regional_prosecutor(cast):
    deputy = make_staff("akmola_deputy", cast.region, Position.DEPUTY_HEAD)
    appointment(cast.region_user, delegate=deputy, delegation_note="Order No. 12")
    assert "region" not in _flagged(cast.gpo_user, cast.gpo)
    assert "akmola_deputy" in _flagged(cast.gpo_user, cast.gpo)  # their own duty remains


def test_the_flags_stay_within_the_viewers_scope(cast):
    """District staff and other regions see nothing of the region's leadership."""
    assert _flagged(cast.gpo_user, cast.gpo)
    assert not _flagged(cast.a_user, cast.district_a)
    assert set(_flagged(cast.region_user, cast.region)) == {"region"}
