"""What every reception service shares: its errors, the booking's history, the notices to the
citizen and the signed link that lets them move or cancel their booking."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from appeals.models import Booking, BookingEvent
from appeals.services import ApplicantData
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind
from prosecution.notices import outbox

# The source the reception's refusals cite (RuleViolation.article); marked for translation
# (prosecution/lib/articles.py reads it in the reader's language) but kept as the key.
RULES = gettext_noop("Rules of personal reception, 2017 (seed 002)")
LANGUAGES = ("kk", "ru", "en")
MATTER_MAX = 2000
MANAGE_SALT = "appeals.reception.manage"


class SlotTaken(RuleViolation):
    """Someone else booked the slot first. `nearest` holds the free slots nearest to it."""

    def __init__(self, nearest: list):
        super().__init__(
            _("Someone has just booked this time. Here are the nearest free times."),
            code="slot_taken",
        )
        self.nearest = nearest


class LimitReached(RuleViolation):
    """The cap on bookings still to come (appeals/reception/booking.py): online it is the phone's
    or the address's, which the citizen has just proved; through staff, the IIN's."""

    def __init__(self, *, online: bool = False) -> None:
        limit = {"limit": settings.RECEPTION_MAX_ACTIVE_BOOKINGS}
        if online:
            message = (
                _(
                    "At most %(limit)s bookings still to come may be made with one phone or e-mail "
                    "address. Cancel one through the link in its message, then book again."
                )
                % limit
            )
        else:
            message = (
                _(
                    "A citizen may hold at most %(limit)s bookings still to come. Cancel one "
                    "through the link in its message, then book again."
                )
                % limit
            )
        super().__init__(message, code="booking_limit")


def lock(booking: Booking) -> Booking:
    """Re-read under a row lock: two changes of one booking never interleave."""
    return Booking.objects.select_for_update().select_related("schedule").get(pk=booking.pk)


def expect(booking: Booking, *states: str) -> None:
    if booking.state not in states:
        raise RuleViolation(
            _("Not possible while the booking is “%(state)s”.")
            % {"state": booking.get_state_display()},
            code="wrong_state",
        )


def log(
    booking: Booking, kind: str, *, by: User | None = None, note: str = "", **data: Any
) -> BookingEvent:
    """The booking's history, and the audit log (every change of a booking passes here)."""
    plain = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    event = BookingEvent.objects.create(booking=booking, kind=kind, by=by, note=note, data=plain)
    # Labelled by its time, not by str(): the booking's code is the citizen's key to it.
    label = f"{timezone.localtime(booking.starts_at):%Y-%m-%d %H:%M}"
    audit.record(
        f"booking.{kind}",
        target=("appeals.booking", booking.pk, label),
        actor=by,
        event=event.pk,
        state=booking.state,
        data=plain,
    )
    return event


@dataclass
class CitizenData:
    """The citizen as a booking holds them: who, how to reach them, their language and matter."""

    iin: str = ""
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "kk"
    matter: str = ""

    @classmethod
    def of(cls, source: dict[str, Any] | Booking) -> CitizenData:
        """From a form's or a serializer's cleaned data (a dict), or from a booking."""
        get = source.get if isinstance(source, dict) else lambda name, _d: getattr(source, name)
        # Every field has a default (mypy's fields() allows for one that has none).
        values: dict[str, Any] = {
            f.name: get(f.name, f.default) or f.default for f in dataclass_fields(cls)
        }
        return cls(**values)

    def fields(self) -> dict:
        return asdict(self)

    def applicant(self) -> ApplicantData:
        """The citizen as the applicant of an appeal."""
        data = self.fields()
        del data["language"], data["matter"]
        return ApplicantData(**data)

    def cleaned(self, *, walk_in: bool = False) -> CitizenData:
        """Validated and normalised, every error at once (nothing the citizen typed is lost);
        ValidationError with the field's name otherwise. The IIN's check digit and the phone
        are checked by prosecution/lib/identifiers.py, through the appeals' ApplicantData."""
        errors: dict[str, str] = {}
        try:
            person = self.applicant().cleaned(iin_required=not walk_in)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            person = self.applicant()
        matter = (self.matter or "").strip()
        if not matter:
            errors["matter"] = _("Describe your matter in a few lines.")
        elif len(matter) > MATTER_MAX:
            errors["matter"] = _("At most %(n)s characters.") % {"n": MATTER_MAX}
        if self.language not in LANGUAGES:
            errors["language"] = _("Choose a language.")
        if not walk_in and not (person.email or person.phone):
            errors["phone"] = _("Give a phone or an e-mail address: we send the code there.")
        if errors:
            raise ValidationError(errors)
        return CitizenData.of({**asdict(person), "language": self.language, "matter": matter})


def booking_applicant(booking: Booking) -> ApplicantData:
    """The citizen of a booking as the applicant of an appeal."""
    return CitizenData.of(booking).applicant()


# Signed links ----------------------------------------------------------------------------------


def manage_token(booking: Booking) -> str:
    """The citizen's key to their booking: its UUID (never the sequential id), signed."""
    return signing.dumps(str(booking.uuid), salt=MANAGE_SALT)


def booking_from_token(token: str) -> Booking | None:
    """The booking a signed link names; None for a forged, damaged or unknown link (one answer
    for all three: docs/security.md 9)."""
    try:
        value = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    # The link shows the citizen's name and matter to whoever holds it (a forwarded SMS, a shared
    # phone): it works until RECEPTION_LINK_DAYS after the reception, then answers as any
    # unknown link does.
    until = timezone.now() - timedelta(days=settings.RECEPTION_LINK_DAYS)
    return (
        Booking.objects.select_related("schedule__official", "schedule__delegate", "office")
        .filter(uuid=value, starts_at__gte=until)
        .first()
    )


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("reception:manage", args=[manage_token(booking)])


def local_text(moment: datetime) -> str:
    """A time as every language writes it here (the notices are rendered later, by a worker)."""
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


# Notices to the citizen ------------------------------------------------------------------------


def tell(booking: Booking, kind: NoticeKind, *, stage: str, **extra: Any) -> None:
    """A notice to the citizen by e-mail and SMS, in the language they chose, written in the
    transaction of the change it reports. `stage` makes the key (a booking is moved, reminded
    twice ...): each notice once, and a second one for a second change."""
    schedule = booking.schedule
    context = {
        "code": booking.code,
        "when": local_text(booking.starts_at),
        "office_id": booking.office_id,
        "official": schedule.receiver.get_full_name() or schedule.receiver.get_username(),
        "place": schedule.place,
        "address": schedule.place_detail or booking.office.address,
        "manage_url": manage_url(booking),
        "cutoff_hours": settings.RECEPTION_CUTOFF_HOURS,
        "screening": booking.state == "screening",
        **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in extra.items()},
    }
    recipients = outbox.applicant_recipients(
        language=booking.language, email=booking.email, phone=booking.phone
    )
    key = outbox.notice_key(Booking._meta.label_lower, booking.pk, kind, stage)
    outbox.save(
        outbox.build(kind=kind, key=key, recipients=recipients, context=context, subject=booking)
    )
