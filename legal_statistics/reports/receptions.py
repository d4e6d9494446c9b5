"""The receptions report (issue 17): reception days held, against the duty of the leadership
(docs/sources.md, seed 002-4: the leadership of the GPO receives at least once a month, that of
regional and equated offices at least once a week), citizens received, requests refused by
ground, and appeals accepted at receptions.

Every figure counts bookings (appeals/models/reception.py Booking), the one record a reception
leaves: a citizen received is a booking received; a refusal is a booking refused; an appeal
accepted at a reception is a booking whose outcome registered it (one appeal per booking, so the
list of bookings is as long as the list of appeals, each a link away). A reception day has no row
of its own (appeals/reception/slots.py computes the days from the schedules): a day held is an
official of an office who sat at the reception on that day, as a booking shows it: a citizen
received, or a citizen who did not come, which is marked only at the reception once their time has
begun (appeals/reception/day.py mark_no_show). A leader who sat while the citizens booked stayed
away held the day: the duty (seed 002-4) is to receive, and they were there to. Its record is the
day's first such booking (the smallest id), so that the list of days is a list of bookings, one
per day, each opening that day's first reception.

The duty is not a list of records: it is a Value (figures.py) beside the leadership's days held,
the number of reception days the leaders of the scope owed in the period (`owed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.models import Booking, BookingState, ReceptionOutcome, RefusalGround
from appeals.reception.common import RULES
from appeals.reception.selectors import MONTHLY_DUTY, WEEKLY_DUTY, leadership
from legal_statistics.reports.figures import Figure, Report, Value, Where
from legal_statistics.reports.periods import Period
from prosecution import workdays
from prosecution.models import Office, StaffProfile
from prosecution.offices.access import Reader

DAYS = _("Reception days")
CITIZENS = _("Citizens")
REFUSALS = _("Refusals")
APPEALS = _("Appeals")


# The duty (docs/sources.md, seed 002-4) -------------------------------------------------------


def months_owed(period: Period, today: date) -> int:
    """The months of `period` a leader of the GPO owes a reception day for (seed 002-4: at least
    once a month): those whose 15th falls in the period, so that the months of any division of a
    year into periods add up to its twelve, and that are over by `today` (a month still running
    is not yet missed)."""
    owed, first = 0, period.start.replace(day=1)
    while first <= period.end:
        following = (first + timedelta(days=32)).replace(day=1)
        if period.start <= first.replace(day=15) <= period.end and following <= today:
            owed += 1
        first = following
    return owed


def weeks_owed(period: Period, today: date) -> int:
    """The weeks (Monday to Sunday) of `period` a leader of a regional or equated office owes a
    reception day for (seed 002-4: at least once a week): those whose Thursday falls in the period
    (as ISO 8601 gives a week to the year of its Thursday: the weeks of any division of a year add
    up), that hold a working day (a week of holidays cannot hold a reception, as the frequency
    check reads it: appeals/reception/selectors.py), and that are over by `today`."""
    owed = 0
    monday = period.start - timedelta(days=period.start.weekday())
    while monday <= period.end:
        thursday, sunday = monday + timedelta(days=3), monday + timedelta(days=6)
        if (
            period.start <= thursday <= period.end
            and sunday < today
            and workdays.working_days_between(monday - timedelta(days=1), sunday) > 0
        ):
            owed += 1
        monday += timedelta(weeks=1)
    return owed


def _duty(rule: Q, owed) -> Value:
    """The reception days the leaders under `rule` in the scope owe in the period: one per leader
    and per month or week owed. The leaders are those in office now (the staff register keeps no
    history of positions)."""

    def compute(records: QuerySet, user: Reader, office: Office, period: Period) -> float:
        leaders = leadership(user, office, rule).count()
        return leaders * owed(period, timezone.localdate())

    return Value(_("owed at least"), compute)


# The figures -------------------------------------------------------------------------------------


def _received(period: Period) -> Q:
    return Q(state=BookingState.RECEIVED, starts_at__date__range=period.range)


def _sat(period: Period) -> Q:
    """The bookings that show an official at the reception on their day (the module's docstring):
    received, or marked as not come."""
    return Q(
        state__in=(BookingState.RECEIVED, BookingState.NO_SHOW),
        starts_at__date__range=period.range,
    )


def _leaders(rule: Q) -> QuerySet:
    """The users who owe reception days under `rule`: the same leaders the duty counts
    (appeals/reception/selectors.py leadership), here without the scope, which the report's
    records bring."""
    return StaffProfile.objects.filter(rule, is_active=True, user__is_active=True).values("user_id")


def _days(rule: Q | None = None) -> Where:
    """The reception days held (an official of an office at the reception on a day: a citizen
    received or marked as not come), each by its first such booking; `rule` narrows the officials
    to a leadership (the official whose schedule it is: a deputy instructed to receive holds the
    head's day, seed 002-9)."""

    def where(period: Period) -> Q:
        sat = Booking.objects.filter(_sat(period))
        if rule is not None:
            sat = sat.filter(official_id__in=_leaders(rule))
        first = (
            sat.order_by()
            .values("office_id", "official_id", day=TruncDate("starts_at"))
            .annotate(first=Min("pk"))
            .values("first")
        )
        return Q(pk__in=first)

    return where


def _citizens(**lookup) -> Where:
    def where(period: Period) -> Q:
        return _received(period) & Q(**lookup)

    return where


def _refused(**lookup) -> Where:
    """Requests to the GPO's leadership refused on screening (seed 002: only on its grounds), on
    the day of the refusal."""

    def where(period: Period) -> Q:
        return Q(state=BookingState.REFUSED, screened_at__date__range=period.range, **lookup)

    return where


def _figures() -> list[Figure]:
    figures = [
        Figure("days", _("Reception days held"), _days(), DAYS, RULES),
        Figure(
            "days-monthly",
            _("of them by the leadership of the General Prosecutor's Office (monthly)"),
            _days(MONTHLY_DUTY),
            DAYS,
            RULES,
            value=_duty(MONTHLY_DUTY, months_owed),
        ),
        Figure(
            "days-weekly",
            _("of them by the leadership of regional and equated offices (weekly)"),
            _days(WEEKLY_DUTY),
            DAYS,
            RULES,
            value=_duty(WEEKLY_DUTY, weeks_owed),
        ),
        Figure("received", _("Citizens received"), _citizens(), CITIZENS, RULES),
        Figure(
            "received-walk-in",
            _("of them without appointment"),
            _citizens(walk_in=True),
            CITIZENS,
            RULES,
        ),
        Figure("refused", _("Requests refused on screening"), _refused(), REFUSALS, RULES),
    ]
    figures += [
        Figure(f"refused-{g.value}", g.label, _refused(refusal_ground=g.value), REFUSALS, RULES)
        for g in RefusalGround
    ]
    figures += [
        Figure(
            "refused-in-person",
            _("Refused at the reception, the reasons explained in person"),
            _citizens(outcome=ReceptionOutcome.REFUSED),
            REFUSALS,
            RULES,
        ),
        Figure(
            "appeals",
            _("Appeals accepted at receptions"),
            _citizens(outcome=ReceptionOutcome.APPEAL_ACCEPTED),
            APPEALS,
            RULES,
        ),
    ]
    return figures


# Who is below the duty ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderDuty:
    """One leader's reception days held in the period against the days owed (seed 002-4)."""

    profile: StaffProfile
    weekly: bool  # the duty of a regional or equated office's leadership; else the GPO's monthly
    held: int
    owed: int

    @property
    def figure(self) -> str:
        """The figure whose list, narrowed to this leader, holds the days held (their door)."""
        return "days-weekly" if self.weekly else "days-monthly"

    @property
    def short(self) -> int:
        return max(self.owed - self.held, 0)


def duty_by_leader(user: Reader, office: Office, period: Period) -> list[LeaderDuty]:
    """Each leader of the scope with the reception days they held in the period (as the figure
    "reception days held" counts them: days at the reception, a citizen received or marked as not
    come, each official's own) and the days owed (months_owed, weeks_owed), those furthest below
    the duty first: the totals alone let a leader with no day hide behind a colleague with many.
    Their days are read from the report's own records, through the access policy."""
    today = timezone.localdate()
    rows = []
    for rule, owed, weekly in ((MONTHLY_DUTY, months_owed, False), (WEEKLY_DUTY, weeks_owed, True)):
        leaders = list(leadership(user, office, rule))
        held = dict(
            REPORT.base(user, office)
            .filter(_sat(period), official_id__in=[p.user_id for p in leaders])
            .order_by()
            .values("official_id")
            .annotate(days=Count(TruncDate("starts_at"), distinct=True))
            .values_list("official_id", "days")
        )
        due = owed(period, today)
        rows += [LeaderDuty(p, weekly, held.get(p.user_id, 0), due) for p in leaders]
    return sorted(rows, key=lambda row: (-row.short, row.profile.office.path, row.profile.pk))


REPORT = Report(
    key="receptions",
    title=_("Receptions"),
    model=Booking,
    figures=_figures(),
    record_url=lambda booking: reverse("reception:staff-booking", kwargs={"uuid": booking.uuid}),
    office_field="office__path",
    leaders=duty_by_leader,
    person_field="official",
)
