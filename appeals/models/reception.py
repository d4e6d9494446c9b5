"""Personal reception of citizens (docs/sources.md, seed 002: the 2017 reception rules;
docs/rules.md "Personal reception").

- A `ReceptionSchedule` says when and where an official receives: by appointment (the leadership
  of the GPO at least once a month, of regional offices at least once a week), daily without
  appointment (reception staff, 09:00-18:30), or in a detention facility (duty prosecutors).
- A `Booking` is a citizen's appointment in one slot of an appointment schedule. Slots are not
  rows: they are computed from the schedule, the working-day calendar and the office's hours
  (appeals/reception/slots.py); a slot is "the official at this minute". The database keeps one
  booking per slot in every state that holds it (`booking_one_per_slot`), so no race, retry or
  second door ever books a slot twice (docs/security.md 16).
- A `CitizenKey` is the row a booking locks while it counts the bookings of the same proof (the
  phone or e-mail that got the code, or the IIN staff checked: appeals/reception/booking.py), so
  the cap on active bookings holds under concurrency.
"""

import uuid
from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appeals.models.appeal import Appeal
from appeals.models.choices import Channel
from prosecution.models import Office

_USER = settings.AUTH_USER_MODEL


class ReceptionKind(models.TextChoices):
    APPOINTMENT = "appointment", _("By appointment")
    WALK_IN = "walk_in", _("Daily, without appointment")
    DETENTION = "detention", _("In a detention or penitentiary facility")


class ReceptionPlace(models.TextChoices):
    OFFICE = "office", _("At the office")
    SERVICE_CENTER = "service_center", _("Center for Law Enforcement Services")
    FACILITY = "facility", _("Detention or penitentiary facility")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week or every few weeks")
    MONTHLY = "monthly", _("Once a month, on the n-th weekday")


class OfficeHours(models.Model):
    """The hours an office receives the public. Without a row: 09:00-18:30 (docs/sources.md, seed
    002: reception staff receive daily from 9 am to 6.30 pm) with a break 13:00-14:30."""

    office = models.OneToOneField(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="reception_hours"
    )
    opens = models.TimeField(_("opens"), default=time(9, 0))
    closes = models.TimeField(_("closes"), default=time(18, 30))
    break_starts = models.TimeField(_("break starts"), null=True, blank=True)
    break_ends = models.TimeField(_("break ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="hours_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(break_starts__isnull=True, break_ends__isnull=True)
                | Q(
                    break_starts__gte=models.F("opens"),
                    break_ends__gt=models.F("break_starts"),
                    break_ends__lte=models.F("closes"),
                ),
                name="hours_break_inside_the_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.opens:%H:%M}-{self.closes:%H:%M}"


class ReceptionSchedule(models.Model):
    """When and where one official receives citizens. Weekdays are a bit set (Monday = 1,
    Sunday = 64): a day gets a reception only if it is a working day of the calendar, so holidays
    never have one and a Saturday made a working day has one if the schedule names Saturdays."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    official = models.ForeignKey(
        _USER,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="reception_schedules",
    )
    # docs/sources.md, seed 002: "if necessary, regional prosecutors may instruct their deputies to
    # receive".
    delegate = models.ForeignKey(
        _USER,
        verbose_name=_("deputy receiving instead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegated_reception_schedules",
    )
    delegation_note = models.CharField(_("instruction"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ReceptionKind.choices)
    place = models.CharField(
        _("place"), max_length=20, choices=ReceptionPlace.choices, default=ReceptionPlace.OFFICE
    )
    place_detail = models.CharField(_("place (name and address)"), max_length=300, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    weekdays = models.PositiveSmallIntegerField(_("weekdays"))
    interval_weeks = models.PositiveSmallIntegerField(
        _("every n weeks"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # Monthly: the 1st-4th such weekday of the month, or 5 for the last one.
    week_of_month = models.PositiveSmallIntegerField(
        _("which weekday of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    start_time = models.TimeField(_("from (time)"))
    end_time = models.TimeField(_("until (time)"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per citizen"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        ordering = ["office__path", "official__last_name", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="schedule_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=127), name="schedule_has_weekdays"
            ),
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1, interval_weeks__lte=4),
                name="schedule_interval_1_to_4_weeks",
            ),
            models.CheckConstraint(
                condition=(Q(recurrence="weekly") & Q(week_of_month__isnull=True))
                | (Q(recurrence="monthly") & Q(week_of_month__gte=1, week_of_month__lte=5)),
                name="schedule_monthly_names_the_week",
            ),
            # Only appointments are cut into slots; the others are shown as opening hours.
            models.CheckConstraint(
                condition=(Q(kind="appointment") & Q(slot_minutes__gte=5, slot_minutes__lte=120))
                | (~Q(kind="appointment") & Q(slot_minutes__isnull=True)),
                name="schedule_slots_only_for_appointments",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="schedule_period_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(place="facility") | ~Q(place_detail=""),
                name="schedule_facility_is_named",
            ),
            models.CheckConstraint(
                condition=~Q(delegate=models.F("official")), name="schedule_delegate_is_another"
            ),
        ]
        indexes = [
            # Public pages: the active schedules of an office; the frequency check.
            models.Index(fields=["office", "is_active"], name="schedule_office_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.official} ({self.get_kind_display()})"

    @property
    def receiver(self):
        """Who receives: the deputy when instructed (docs/sources.md, seed 002), otherwise the
        official."""
        return self.delegate or self.official


class BookingState(models.TextChoices):
    HELD = "held", _("Held while the citizen confirms")
    AWAITING_SCREENING = "screening", _("Awaiting screening")
    CONFIRMED = "confirmed", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    RECEIVED = "received", _("Received")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Refused")
    PASSED = "passed", _("Passed to the competent office")
    EXPIRED = "expired", _("Not confirmed in time")


# Every state in which the booking occupies its slot: the unique constraint covers all of them
# (Cal.com's lesson, docs/peers.md: a key that forgets one active state lets a slot be taken twice).
SLOT_HOLDING_STATES = (
    BookingState.HELD,
    BookingState.AWAITING_SCREENING,
    BookingState.CONFIRMED,
    BookingState.ARRIVED,
    BookingState.RECEIVED,
)
# A booking still to come: counted for the cap, reminded, movable and cancellable.
UPCOMING_STATES = (BookingState.AWAITING_SCREENING, BookingState.CONFIRMED)


class RefusalGround(models.TextChoices):
    """docs/sources.md, seed 002 (the 2017 rules): the only grounds to refuse an appointment with
    the leadership of the General Prosecutor's Office. Each label names its source."""

    ALREADY_RECEIVED = (
        "already_received",
        _(
            "Already received by, or answered by, the General Prosecutor's Office or its deputy "
            "head (Rules of 2017)"
        ),
    )
    FOR_THE_COURTS = (
        "for_the_courts",
        _(
            "A matter for the courts (Art. 106(1) CPC), or a criminal case already sent to court "
            "(Rules of 2017)"
        ),
    )
    APPEAL_TERM_MISSED = (
        "appeal_term_missed",
        _("The term to appeal the judicial act was missed (Rules of 2017)"),
    )
    OUTSIDE_ART_54 = (
        "outside_art_54",
        _("Appeal of judicial acts in cases not provided for by Art. 54(2) CPC (Rules of 2017)"),
    )
    NOT_CASSATION = (
        "not_cassation",
        _(
            "Judicial acts not subject to cassation review: Art. 429(7), 434(2) CPC, Art. 484(2) "
            "CrPC (Rules of 2017)"
        ),
    )


class ReceptionOutcome(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation given")
    APPEAL_ACCEPTED = "appeal_accepted", _("Appeal accepted")
    REDIRECTED = "redirected", _("Redirected to another body")
    REFUSED = "refused", _("Refused, reasons explained in person")
    MATERIALS_RECEIVED = "materials", _("Materials received")


class Booking(models.Model):
    """One citizen at one reception: booked online or by staff (the 115 call centre, the
    e-government portal, a written request, the Center), or a walk-in recorded on the day."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("booking code"), max_length=12, unique=True, editable=False)
    schedule = models.ForeignKey(
        ReceptionSchedule,
        verbose_name=_("schedule"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    # Copied from the schedule: the office is the access policy's scope; the official and the
    # start are the slot, which the unique constraint below keeps to one booking.
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    official = models.ForeignKey(
        _USER, verbose_name=_("official"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    walk_in = models.BooleanField(_("walk-in"), default=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=12, choices=BookingState.choices)
    hold_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation = models.ForeignKey(
        "prosecution.ConfirmationCode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The citizen: validated (prosecution/lib/identifiers.py) before anything is stored.
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    matter = models.TextField(_("matter"), max_length=2000)

    # Screening of requests to the leadership of the GPO (docs/sources.md, seed 002).
    needs_screening = models.BooleanField(default=False, editable=False)
    screened_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    refusal_ground = models.CharField(
        _("ground of refusal"), max_length=30, choices=RefusalGround.choices, blank=True
    )
    refusal_reason = models.TextField(_("reason"), blank=True)
    passed_to = models.ForeignKey(
        Office,
        verbose_name=_("passed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # The reception itself.
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    received_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReceptionOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("note"), blank=True)
    redirected_to = models.CharField(_("redirected to"), max_length=300, blank=True)
    appeal = models.OneToOneField(
        Appeal,
        verbose_name=_("appeal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reception_booking",
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)
    # What proved the citizen, as a keyed hash: the phone or e-mail address that got the one-time
    # code (online), or the IIN that staff checked (their channels). The cap on bookings counts
    # by it, never by an IIN typed online (appeals/reception/booking.py; docs/security.md 27).
    proof_key = models.CharField(max_length=40, blank=True, editable=False)

    # docs/security.md 18: the form's idempotency key; a second submit (double click, retry) of the
    # same form finds the booking the first one made.
    request_key = models.CharField(max_length=40, blank=True, editable=False)
    # Reminders: claimed by a conditional UPDATE, cleared when the booking moves.
    eve_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    morning_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Counts the changes the citizen is told of, so that each notice has a key of its own.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reception booking")
        verbose_name_plural = _("reception bookings")
        ordering = ["starts_at", "pk"]
        constraints = [
            # docs/security.md 16: one slot, one booking, in every state that holds a slot. A
            # walk-in is recorded at the minute the citizen came and holds no slot.
            models.UniqueConstraint(
                fields=["official", "starts_at"],
                condition=Q(state__in=SLOT_HOLDING_STATES, walk_in=False),
                name="booking_one_per_slot",
            ),
            models.UniqueConstraint(
                fields=["request_key"], condition=~Q(request_key=""), name="booking_request_key"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(state="held") | Q(hold_expires_at__isnull=False),
                name="booking_hold_expires",
            ),
            models.CheckConstraint(
                condition=Q(walk_in=True) | ~Q(email="") | ~Q(phone=""),
                name="booking_has_a_contact",
            ),
            # docs/sources.md, seed 002: a refusal names its ground and gives a reason.
            models.CheckConstraint(
                condition=~Q(state="refused") | (~Q(refusal_ground="") & ~Q(refusal_reason="")),
                name="booking_refusal_names_ground_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="passed") | Q(passed_to__isnull=False),
                name="booking_passed_names_the_office",
            ),
            models.CheckConstraint(
                condition=~Q(state="received") | ~Q(outcome=""),
                name="booking_received_has_an_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="appeal_accepted") | Q(appeal__isnull=False),
                name="booking_accepted_appeal_is_linked",
            ),
            # docs/sources.md, seed 002: a refusal at a reception is explained to the citizen in
            # person.
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(outcome_note=""),
                name="booking_refusal_in_person_is_explained",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="redirected") | ~Q(redirected_to=""),
                name="booking_redirect_names_the_body",
            ),
        ]
        indexes = [
            # Staff lists and the screening queue: an office's bookings by state and time.
            models.Index(fields=["office", "state", "starts_at"], name="booking_office_idx"),
            # The official's day (and the slots taken, with booking_one_per_slot).
            models.Index(fields=["official", "starts_at"], name="booking_official_idx"),
            # The cap on active bookings per proof (appeals/reception/booking.py: _at_limit).
            models.Index(
                fields=["proof_key"],
                condition=Q(state__in=UPCOMING_STATES),
                name="booking_upcoming_proof_idx",
            ),
            # The reminder sweep: bookings still to come, by start.
            models.Index(
                fields=["starts_at"],
                condition=Q(state__in=UPCOMING_STATES),
                name="booking_reminder_idx",
            ),
            # The purge of holds never confirmed.
            models.Index(
                fields=["hold_expires_at"], condition=Q(state="held"), name="booking_hold_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def citizen_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def is_upcoming(self) -> bool:
        return self.state in UPCOMING_STATES


class BookingEventKind(models.TextChoices):
    HELD = "held", _("Slot held, code sent")
    CODE_SENT_AGAIN = "code_sent_again", _("Code sent again")
    CONFIRMED = "confirmed", _("Confirmed")
    BOOKED_BY_STAFF = "booked_by_staff", _("Booked by staff")
    MOVED = "moved", _("Moved")
    CANCELLED = "cancelled", _("Cancelled")
    APPROVED = "approved", _("Screened: admitted")
    REFUSED = "refused", _("Screened: refused")
    PASSED = "passed", _("Passed to the competent office")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("Did not come")
    OUTCOME = "outcome", _("Outcome recorded")


class BookingEvent(models.Model):
    """The booking's history: who did what, when. Append-only."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=BookingEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")
        ordering = ["booking", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CancelledReceptionDay(models.Model):
    """A reception day of one official called off by staff (illness, a trip): the slots of that
    day are no longer offered (appeals/reception/slots.py) and the bookings already made are
    moved or cancelled, the citizens told (appeals/reception/days.py). One row per official and
    day: a second cancellation of the same day is refused by the database, not only the code."""

    official = models.ForeignKey(
        _USER,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="cancelled_reception_days",
    )
    # The official's office when the day was called off: the access policy's scope of the row.
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=300)
    cancelled_by = models.ForeignKey(
        _USER,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cancelled reception day")
        verbose_name_plural = _("cancelled reception days")
        ordering = ["day", "pk"]
        constraints = [
            # Also the index of the slot computation's read: the official's cancelled days in
            # a range of dates.
            models.UniqueConstraint(
                fields=["official", "day"], name="reception_day_cancelled_once"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="reception_day_cancellation_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} {self.day:%Y-%m-%d}"


class CitizenKey(models.Model):
    """One row per proof that has ever booked (a Booking's proof_key: a keyed hash, so the table
    never holds who). A booking locks it (SELECT ... FOR UPDATE) while it counts the active
    bookings of that proof, so two bookings at once are counted one after the other."""

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key[:12]
