"""Every read of receptions: the public directory, staff lists scoped by the access policy, the
supervisors' check of the minimum frequencies (docs/sources.md, seed 002), and the figures for legal
statistics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from appeals.models import (
    Booking,
    BookingState,
    CancelledReceptionDay,
    ReceptionKind,
    ReceptionOutcome,
    ReceptionSchedule,
)
from appeals.reception import slots
from appeals.reception.schedules import REGIONAL_LEVEL_KINDS
from appeals.reception.screening import GPO_LEADERSHIP
from prosecution import workdays
from prosecution.models import Office, OfficeKind, Position, StaffProfile
from prosecution.offices import access, selectors
from prosecution.offices.access import Reader, Viewer

# Offices a citizen does not come to for a reception.
NOT_RECEIVING_KINDS = (OfficeKind.ACADEMY, OfficeKind.ASSET_RECOVERY)
SEARCH_LIMIT = 50

# Public --------------------------------------------------------------------------------------


def reception_offices() -> QuerySet[Office]:
    return selectors.public_offices().exclude(kind__in=NOT_RECEIVING_KINDS)


def search_offices(q: str) -> QuerySet[Office]:
    """Offices by any of their names or their address, in any language."""
    q = (q or "").strip()[:100]
    match = (
        Q(name_kk__icontains=q)
        | Q(name_ru__icontains=q)
        | Q(name_en__icontains=q)
        | Q(address__icontains=q)
        | Q(code__iexact=q)
    )
    return reception_offices().filter(match)[:SEARCH_LIMIT]


def top_offices() -> QuerySet[Office]:
    """Where browsing starts: the GPO and the offices right below it."""
    return reception_offices().filter(depth__lte=1)


def public_office(uuid: UUID | str) -> Office:
    office = reception_offices().filter(uuid=uuid).first()
    if office is None:
        raise Http404
    return office


def _with_people(queryset: QuerySet[ReceptionSchedule]) -> QuerySet[ReceptionSchedule]:
    return queryset.select_related(
        "office", "official__staff_profile", "delegate__staff_profile"
    ).order_by("kind", "official__last_name", "start_time")


def office_schedules(office: Office) -> QuerySet[ReceptionSchedule]:
    """The office's active schedules of every kind, current or to come."""
    today = timezone.localdate()
    return _with_people(
        ReceptionSchedule.objects.filter(office=office, is_active=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
    )


def public_schedule(uuid: UUID | str) -> ReceptionSchedule:
    """An active appointment schedule of an office a citizen may come to; otherwise 404."""
    schedule = (
        _with_people(ReceptionSchedule.objects.all())
        .filter(
            uuid=uuid,
            is_active=True,
            kind=ReceptionKind.APPOINTMENT,
            office__is_active=True,
        )
        .exclude(office__kind__in=NOT_RECEIVING_KINDS)
        .first()
    )
    if schedule is None:
        raise Http404
    return schedule


def slots_by_day(slot_list: list[slots.Slot]) -> list[tuple[date, list[slots.Slot]]]:
    days: dict[date, list] = defaultdict(list)
    for slot in slot_list:
        days[timezone.localdate(slot.starts_at)].append(slot)
    return sorted(days.items())


# Staff ---------------------------------------------------------------------------------------


def visible_schedules(user: Viewer) -> QuerySet[ReceptionSchedule]:
    return access.visible_to(user, _with_people(ReceptionSchedule.objects.all()))


def visible_bookings(user: Viewer) -> QuerySet[Booking]:
    return access.visible_to(
        user,
        Booking.objects.select_related(
            "schedule__official", "schedule__delegate", "office", "appeal", "passed_to"
        ),
    )


def screening_queue(user: Viewer) -> QuerySet[Booking]:
    """Requests to the GPO's leadership waiting for screening, the soonest first
    (booking_office_idx)."""
    return (
        visible_bookings(user)
        .filter(state=BookingState.AWAITING_SCREENING)
        .order_by("starts_at", "pk")
    )


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time(0, 0)), tz)
    return start, start + timedelta(days=1)


DAY_LIST_STATES = (
    BookingState.AWAITING_SCREENING,
    BookingState.CONFIRMED,
    BookingState.ARRIVED,
    BookingState.RECEIVED,
    BookingState.NO_SHOW,
)


def day_list(user: Viewer, *, day: date, official: User | None = None) -> QuerySet[Booking]:
    """The official's list for the day: their own receptions and those they hold instead of
    the official who instructed them (booking_official_idx)."""
    first, last = day_bounds(day)
    queryset = visible_bookings(user).filter(
        starts_at__gte=first, starts_at__lt=last, state__in=DAY_LIST_STATES
    )
    if official is not None:
        queryset = queryset.filter(Q(official=official) | Q(schedule__delegate=official))
    return queryset.order_by("starts_at", "pk")


def cancelled_day(official: User, day: date) -> CancelledReceptionDay | None:
    """The cancellation of the official's reception day, if staff called it off (shown on the
    day's list with its reason)."""
    return (
        CancelledReceptionDay.objects.select_related("cancelled_by")
        .filter(official=official, day=day)
        .first()
    )


def receiving_staff(user: Viewer) -> QuerySet[StaffProfile]:
    """Staff in the user's scope who hold an active schedule (the day page's choice)."""
    ids = visible_schedules(user).filter(is_active=True).values("official_id")
    delegated = visible_schedules(user).filter(is_active=True).values("delegate_id")
    return (
        selectors.visible_staff(user)
        .filter(Q(user_id__in=ids) | Q(user_id__in=delegated))
        .order_by("office__path", "user__last_name")
    )


# The minimum frequencies (docs/sources.md, seed 002) ------------------------------------------

MONTHS_AHEAD = 3
WEEKS_AHEAD = 8


@dataclass
class FrequencyFlag:
    profile: StaffProfile
    rule: str  # "month" (GPO leadership) or "week" (regional leadership)
    gaps: list[date] = field(default_factory=list)  # first day of each period without a day
    has_schedule: bool = True


def _months(today: date, count: int) -> list[tuple[date, date]]:
    periods, first = [], today.replace(day=1)
    for _ in range(count):
        following = (first + timedelta(days=32)).replace(day=1)
        periods.append((first, following - timedelta(days=1)))
        first = following
    return periods


def _weeks(today: date, count: int) -> list[tuple[date, date]]:
    monday = today - timedelta(days=today.weekday())
    periods = []
    for n in range(count):
        first = monday + timedelta(weeks=n)
        last = first + timedelta(days=6)
        # A week with no working day at all cannot hold a reception: not a gap.
        if workdays.working_days_between(first - timedelta(days=1), last):
            periods.append((first, last))
    return periods


# docs/sources.md, seed 002-4: who owes a reception day a month (the leadership of the GPO) and who
# a reception day a week (the leadership of regional and equated offices), as StaffProfile
# conditions; the report of receptions (legal_statistics/reports/receptions.py) reads the same.
MONTHLY_DUTY = Q(office__kind=OfficeKind.GPO, position__in=GPO_LEADERSHIP)
WEEKLY_DUTY = Q(
    office__kind__in=REGIONAL_LEVEL_KINDS, position__in=(Position.HEAD, Position.DEPUTY_HEAD)
)


def leadership(
    user: Reader, office: Office, duty: Q = MONTHLY_DUTY | WEEKLY_DUTY
) -> QuerySet[StaffProfile]:
    """The active leaders in the user's scope below `office` who owe reception days (`duty`:
    MONTHLY_DUTY, WEEKLY_DUTY or both)."""
    in_scope = selectors.visible_staff(user).filter(office__path__startswith=office.path)
    return in_scope.filter(duty, is_active=True, user__is_active=True).select_related(
        "office", "user"
    )


def frequency_flags(user: Viewer, office: Office, today: date | None = None) -> list[FrequencyFlag]:
    """docs/sources.md, seed 002: the leadership of the GPO receives by appointment at least once a
    month, the leadership of regional (and equated) offices at least once a week. Each leader in the
    scope whose appointment schedules (delegated ones included: the deputy receives in their stead)
    leave a month (this and the next two) or a week (this and the next seven) without a
    reception day is flagged, with those periods. A period already begun counts its past days."""
    today = today or timezone.localdate()
    profiles = list(leadership(user, office))
    if not profiles:
        return []
    by_person: dict[int, list[ReceptionSchedule]] = defaultdict(list)
    for schedule in ReceptionSchedule.objects.filter(
        official_id__in=[p.user_id for p in profiles],
        kind=ReceptionKind.APPOINTMENT,
        is_active=True,
    ):
        by_person[schedule.official_id].append(schedule)
    months, weeks = _months(today, MONTHS_AHEAD), _weeks(today, WEEKS_AHEAD)
    # A day staff called off is a day without a reception: read once for every leader.
    bounds = [day for period in months + weeks for day in period]
    cancelled = slots.cancelled_days(by_person, min(bounds), max(bounds))
    flags = []
    for profile in profiles:
        monthly = profile.office.kind == OfficeKind.GPO
        periods = months if monthly else weeks
        schedules = by_person.get(profile.user_id, [])
        gaps = [
            first
            for first, last in periods
            if not any(slots.reception_days(s, first, last, cancelled=cancelled) for s in schedules)
        ]
        if gaps:
            flags.append(
                FrequencyFlag(profile, "month" if monthly else "week", gaps, bool(schedules))
            )
    return flags


# Figures for legal statistics ------------------------------------------------------------------


@dataclass
class Figures:
    office: Office | None
    receptions_held: int = 0  # reception days (official and day) the official sat at the reception
    citizens_received: int = 0
    appeals_accepted: int = 0
    no_shows: int = 0
    requests_refused: int = 0


def figures(user: Viewer, office: Office, first: date, last: date) -> tuple[list[Figures], Figures]:
    """Receptions held, citizens received (walk-ins included), appeals accepted, no-shows and
    requests refused on screening, by office, for receptions between `first` and `last`, in the
    user's scope below `office`. Returns the rows (offices with something to count) and the
    total."""
    start, _end = day_bounds(first)
    _start, end = day_bounds(last)
    scoped = visible_bookings(user).filter(
        office__path__startswith=office.path, starts_at__gte=start, starts_at__lt=end
    )
    rows: dict[int, Figures] = {}

    def row(office_id: int) -> Figures:
        return rows.setdefault(office_id, Figures(None))

    # A reception is held on a day the official sat at it: a citizen received, or one marked as
    # not come (legal_statistics/reports/receptions.py counts the days alike).
    sat = (
        scoped.filter(state__in=[BookingState.RECEIVED, BookingState.NO_SHOW])
        .annotate(day=TruncDate("starts_at"))
        .values("office_id", "official_id", "day")
        .annotate(
            n=Count("id", filter=Q(state=BookingState.RECEIVED)),
            appeals=Count(
                "id",
                filter=Q(state=BookingState.RECEIVED, outcome=ReceptionOutcome.APPEAL_ACCEPTED),
            ),
        )
        .order_by()
    )
    for group in sat:
        figures_row = row(group["office_id"])
        figures_row.receptions_held += 1
        figures_row.citizens_received += group["n"]
        figures_row.appeals_accepted += group["appeals"]
    others = (
        scoped.filter(state__in=[BookingState.NO_SHOW, BookingState.REFUSED])
        .values("office_id")
        .annotate(
            no_shows=Count("id", filter=Q(state=BookingState.NO_SHOW)),
            refused=Count("id", filter=Q(state=BookingState.REFUSED)),
        )
        .order_by()
    )
    for group in others:
        figures_row = row(group["office_id"])
        figures_row.no_shows += group["no_shows"]
        figures_row.requests_refused += group["refused"]
    offices = Office.objects.in_bulk(list(rows))
    result = []
    for office_id in sorted(rows, key=lambda pk: offices[pk].path):
        figures_row = rows[office_id]
        figures_row.office = offices[office_id]
        result.append(figures_row)
    total = Figures(office)
    for figures_row in result:
        for name in (
            "receptions_held",
            "citizens_received",
            "appeals_accepted",
            "no_shows",
            "requests_refused",
        ):
            setattr(total, name, getattr(total, name) + getattr(figures_row, name))
    return result, total
