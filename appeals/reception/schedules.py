"""Reception schedules (docs/sources.md, seed 002): who receives, when, where, and who receives
instead.

- By appointment: the Prosecutor General and the deputies, the heads of regional and district
  offices and their deputies (the leadership positions).
- Daily without appointment: reception staff (09:00-18:30 by the approved timetable) and any
  other member of staff.
- In detention and penitentiary facilities: duty prosecutors, on a posted schedule.
- "If necessary, regional prosecutors may instruct their deputies to receive": a delegate, only
  for the head of a regional (or equated) office, and only a deputy of that office.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import ReceptionKind, ReceptionPlace, ReceptionSchedule, Recurrence
from appeals.reception import slots
from appeals.reception.common import RULES
from prosecution.lib.errors import RuleViolation
from prosecution.models import LEADERSHIP_POSITIONS, OfficeKind, Position, StaffProfile
from prosecution.offices import access

# Regional offices and those equated to them (docs/sources.md, seeds 002 and 004): one level below
# the GPO.
REGIONAL_LEVEL_KINDS = (
    OfficeKind.REGIONAL,
    OfficeKind.CITY_REPUBLICAN,
    OfficeKind.CHIEF_MILITARY,
    OfficeKind.CHIEF_TRANSPORT,
)
DEPUTY_POSITIONS = (Position.FIRST_DEPUTY, Position.DEPUTY, Position.DEPUTY_HEAD)
HEAD_POSITIONS = (Position.PROSECUTOR_GENERAL, Position.HEAD)
# Who may hold a schedule of each kind (None: any member of staff).
RECEIVERS: dict[str, tuple[str, ...] | None] = {
    ReceptionKind.APPOINTMENT: LEADERSHIP_POSITIONS,
    ReceptionKind.WALK_IN: None,
    ReceptionKind.DETENTION: (
        Position.PROSECUTOR,
        Position.SENIOR_PROSECUTOR,
        *LEADERSHIP_POSITIONS,
    ),
}


@dataclass
class ScheduleData:
    official: User
    kind: str
    weekdays: int
    starts_on: date
    start_time: time
    end_time: time
    place: str = ReceptionPlace.OFFICE
    place_detail: str = ""
    recurrence: str = Recurrence.WEEKLY
    interval_weeks: int = 1
    week_of_month: int | None = None
    ends_on: date | None = None
    slot_minutes: int | None = None
    delegate: User | None = None
    delegation_note: str = ""

    @classmethod
    def of(cls, data: dict) -> ScheduleData:
        """From a form's or a serializer's cleaned data: weekdays as a list (0 = Monday), the
        official and the delegate as users."""
        names = {f.name for f in dataclass_fields(cls)} - {"weekdays"}
        given = {name: data[name] for name in names if data.get(name) not in (None, "")}
        return cls(weekdays=sum(1 << day for day in set(data["weekdays"])), **given)


def _profile(user: User | None) -> StaffProfile | None:
    if user is None or not user.is_active:
        return None
    return (
        StaffProfile.objects.select_related("office")
        .filter(user=user, is_active=True, office__is_active=True)
        .first()
    )


def _check_delegate(data: ScheduleData, profile: StaffProfile) -> None:
    if data.delegate is None:
        return
    if profile.position not in HEAD_POSITIONS or profile.office.kind not in REGIONAL_LEVEL_KINDS:
        raise RuleViolation(
            _("Only the prosecutor of a regional or equated office instructs a deputy to receive."),
            article=RULES,
            code="delegate",
        )
    deputy = _profile(data.delegate)
    if deputy is None or deputy.office_id != profile.office_id:
        raise RuleViolation(
            _("The deputy serves in the same office."), article=RULES, code="delegate"
        )
    if deputy.position not in DEPUTY_POSITIONS:
        raise RuleViolation(_("Choose a deputy."), article=RULES, code="delegate")
    if not data.delegation_note.strip():
        raise RuleViolation(_("Name the instruction."), article=RULES, code="delegate")


def _check_times(data: ScheduleData, profile: StaffProfile) -> None:
    if data.kind == ReceptionKind.APPOINTMENT and not data.slot_minutes:
        raise RuleViolation(_("Say how many minutes each citizen has."), code="slot_minutes")
    if data.kind == ReceptionKind.DETENTION:
        if data.place != ReceptionPlace.FACILITY or not data.place_detail.strip():
            raise RuleViolation(_("Name the facility and its address."), code="facility")
        return  # the facility's posted hours, not the office's
    hours = slots.hours_of(profile.office)
    if data.start_time < hours.opens or data.end_time > hours.closes:
        raise RuleViolation(
            _("The reception lies within the office's hours, %(opens)s-%(closes)s.")
            % {"opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"},
            code="office_hours",
        )


@transaction.atomic
def save_schedule(
    *, by: User, data: ScheduleData, schedule: ReceptionSchedule | None = None
) -> ReceptionSchedule:
    """Create a schedule, or change one. Bookings already made keep their time: a change never
    takes an appointment from a citizen silently (staff move or cancel them, and the citizen is
    told)."""
    profile = _profile(data.official)
    if profile is None:
        raise RuleViolation(_("Choose an active member of staff."), code="official")
    access.require(by, "manage_reception_schedules", profile.office)
    if schedule is not None:
        access.require(by, "manage_reception_schedules", schedule)
    allowed = RECEIVERS.get(data.kind, ())
    if allowed is not None and profile.position not in allowed:
        raise RuleViolation(
            _("A %(position)s does not hold a schedule of this kind.")
            % {"position": profile.get_position_display()},
            article=RULES,
            code="position",
        )
    _check_delegate(data, profile)
    _check_times(data, profile)
    fields = asdict(data)
    fields.update(
        place_detail=data.place_detail.strip(),
        delegation_note=data.delegation_note.strip() if data.delegate else "",
        slot_minutes=data.slot_minutes if data.kind == ReceptionKind.APPOINTMENT else None,
        week_of_month=data.week_of_month if data.recurrence == Recurrence.MONTHLY else None,
        interval_weeks=data.interval_weeks if data.recurrence == Recurrence.WEEKLY else 1,
    )
    if schedule is None:
        schedule = ReceptionSchedule(created_by=by)
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.office = profile.office
    schedule.is_active = True
    schedule.full_clean()
    _check_overlap(schedule)
    schedule.save()
    return schedule


# How far ahead two schedules are compared day by day: every recurrence (weekly, every n weeks,
# the n-th or last week of a month) repeats within a year.
OVERLAP_DAYS = 366


def _check_overlap(schedule: ReceptionSchedule) -> None:
    """One person receives one citizen at a time, in one place: a schedule may not share a day
    and an hour with another active schedule that the same person receives by (their own, or one
    they receive for as a deputy instructed, docs/sources.md, seed 002). The slots of two such
    schedules would give two citizens the same person at overlapping times, with different starts
    that the one-booking-per-slot constraint cannot see. Compared day by day over the coming year
    (from the later start), days off included, so that a change of the calendar cannot make them
    clash later. (A head's own schedule beside one a deputy receives for them is two people
    receiving: allowed.)"""
    receiver = schedule.delegate_id or schedule.official_id
    others = (
        ReceptionSchedule.objects.filter(is_active=True)
        .filter(Q(delegate_id=receiver) | Q(official_id=receiver, delegate__isnull=True))
        .exclude(pk=schedule.pk)
        .select_related("official", "delegate")
    )
    today = timezone.localdate()
    for other in others:
        if not (schedule.start_time < other.end_time and other.start_time < schedule.end_time):
            continue
        day = max(schedule.starts_on, other.starts_on, today)
        last = min(
            d for d in (schedule.ends_on, other.ends_on, day + timedelta(days=OVERLAP_DAYS)) if d
        )
        while day <= last:
            if slots.follows_pattern(schedule, day) and slots.follows_pattern(other, day):
                raise RuleViolation(
                    _(
                        "%(name)s already receives on %(day)s at %(start)s-%(end)s by another "
                        "schedule. Choose other days or hours, or end that schedule first."
                    )
                    % {
                        "name": other.receiver.get_full_name() or other.receiver.get_username(),
                        "day": f"{day:%d.%m.%Y}",
                        "start": f"{other.start_time:%H:%M}",
                        "end": f"{other.end_time:%H:%M}",
                    },
                    article=RULES,
                    code="overlap",
                )
            day += timedelta(days=1)


@transaction.atomic
def deactivate_schedule(schedule: ReceptionSchedule, *, by: User) -> ReceptionSchedule:
    """No more slots are offered; bookings already made stand until staff move or cancel them."""
    access.require(by, "manage_reception_schedules", schedule)
    schedule.is_active = False
    schedule.save(update_fields=["is_active", "updated_at"])
    return schedule
