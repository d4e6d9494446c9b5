"""Summons (Art. 26(7)-(14)): a person is summoned to give explanations at a time and place,
notified by telephone, SMS, e-mail, telegram or registered mail with the record of delivery
(Art. 26(9)); SMS and e-mail go through the outbox (prosecution/notices/outbox.py), whose notice
carries the delivery status; a call, a telegram or a letter is recorded by staff. Whoever does not
appear without a valid reason may be delivered by force on a reasoned decision (Art. 26(11)),
never at night (Art. 26(13)) and never a child under 14, a minor whose legal representative was
not told, a pregnant woman, or a person a doctor certifies cannot or should not leave
(Art. 26(14))."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prosecution.lib.errors import RuleViolation
from prosecution.lib.identifiers import normalize_phone, validate_iin
from prosecution.models import Notice, NoticeKind
from prosecution.notices import outbox
from prosecution.offices import access
from supervision.functions.common import (
    acting_office,
    lock,
    log,
    on_check_under_way,
    require_change,
    required,
)
from supervision.models import (
    OUTBOX_CHANNELS,
    Check,
    DeliveryStatus,
    ForcedDelivery,
    ForcedDeliveryState,
    FunctionEventKind,
    Summons,
    SummonsChannel,
    SummonsNotification,
    SummonsState,
)

ART_26_7 = "Art. 26(7)"
ART_26_9 = "Art. 26(9)"
ART_26_10 = "Art. 26(10)"
ART_26_11 = "Art. 26(11)"
ART_26_12 = "Art. 26(12)"
ART_26_13 = "Art. 26(13)"
ART_26_14 = "Art. 26(14)"

# Art. 26(13): "at night": from 22:00 to 06:00, local time (Asia/Almaty), the night of the
# procedural codes.
NIGHT_STARTS = time(22, 0)
NIGHT_ENDS = time(6, 0)
# Art. 26(14): the ages of the rule.
CHILD_AGE = 14
ADULT_AGE = 18


def _iin(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if not value:
        return ""
    try:
        return validate_iin(value)
    except ValidationError as error:
        raise RuleViolation(
            _("The IIN of the person is not valid: %(error)s")
            % {"error": " ".join(error.messages)},
            article=ART_26_7,
            code="invalid",
        ) from None


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValidationError as error:
        raise RuleViolation(
            _("The phone number is not valid: %(error)s") % {"error": " ".join(error.messages)},
            article=ART_26_9,
            code="invalid",
        ) from None


def _email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise RuleViolation(
            _("Enter a valid e-mail address."), article=ART_26_9, code="invalid"
        ) from None
    return value


@transaction.atomic
def issue_summons(
    *,
    by: User,
    person_name: str,
    appear_at: datetime,
    place: str,
    purpose: str,
    person_iin: str = "",
    birth_date: date | None = None,
    phone: str = "",
    email: str = "",
    language: str = "ru",
    legality_check: Check | None = None,
    is_classified: bool = False,
) -> Summons:
    """Art. 26(7): on a check, an assessment of acts or an appeal, a person or an official appears
    at the time the prosecutor sets to give explanations; Art. 26(8): the summons leaves time
    enough to come, and is made by a notice."""
    # A summons on a classified check is classified with it (docs/rules.md "Secrecy").
    is_classified = is_classified or (legality_check is not None and legality_check.is_classified)
    office = acting_office(by, ART_26_7, classified=is_classified)
    if legality_check is not None:
        on_check_under_way(by, legality_check, ART_26_7)
    if appear_at <= timezone.now():
        raise RuleViolation(_("A person is summoned to a time still to come."), article=ART_26_7)
    if birth_date is not None and birth_date > timezone.localdate():
        raise RuleViolation(_("A date of birth is not in the future."), article=ART_26_7)
    summons = Summons.objects.create(
        office=office,
        office_path=office.path,
        legality_check=legality_check,
        person_name=required(person_name, _("Name the person summoned."), ART_26_7),
        person_iin=_iin(person_iin),
        birth_date=birth_date,
        phone=_phone(phone) if phone.strip() else "",
        email=_email(email) if email.strip() else "",
        language=language if language in dict(settings.LANGUAGES) else "ru",
        appear_at=appear_at,
        place=required(place, _("Say where to appear."), ART_26_7),
        purpose=required(purpose, _("Say why the person is summoned."), ART_26_7),
        issued_by=by,
        is_classified=is_classified,
    )
    log(summons, FunctionEventKind.ISSUED, by=by, appear_at=appear_at)
    return summons


def _notice_context(summons: Summons) -> dict[str, Any]:
    """What the SMS and the e-mail say: who summons, when and where; the purpose only if the
    summons is not classified (e-mail and SMS are not cleared channels: docs/rules.md
    "Secrecy")."""
    return {
        "person_name": summons.person_name,
        "appear_at": timezone.localtime(summons.appear_at).strftime("%d.%m.%Y %H:%M"),
        "place": summons.place,
        "purpose": "" if summons.is_classified else summons.purpose,
        "office_id": summons.office_id,
    }


@transaction.atomic
def notify_summons(
    summons: Summons, *, by: User, channel: str, address: str = "", note: str = ""
) -> SummonsNotification:
    """Art. 26(9): the notice goes by telephone, SMS, e-mail, telegram or registered mail with
    notice of delivery, by a means that records it. SMS and e-mail are written to the outbox in
    this transaction (their delivery is the outbox's record); the others are recorded by staff,
    their delivery later (record_delivery)."""
    summons = lock(summons)
    require_change(by, summons, ART_26_9)
    if summons.state != SummonsState.ISSUED:
        raise RuleViolation(_("This summons is no longer pending."), article=ART_26_9)
    if channel not in SummonsChannel.values:
        raise RuleViolation(_("Choose the means of notice."), article=ART_26_9)
    notice = None
    if channel == SummonsChannel.SMS:
        address = _phone(address or summons.phone)
    elif channel == SummonsChannel.EMAIL:
        address = _email(address or summons.email)
    else:
        address = required(
            address or summons.phone, _("Give the number or address used."), ART_26_9
        )
    if channel in OUTBOX_CHANNELS:
        outbox.notify_applicant(
            kind=NoticeKind.SUMMONS,
            subject=summons,
            term=None,
            language=summons.language,
            email=address if channel == SummonsChannel.EMAIL else "",
            phone=address if channel == SummonsChannel.SMS else "",
            context=_notice_context(summons),
        )
        key = outbox.notice_key(
            outbox.notice_key(summons._meta.label_lower, summons.pk, NoticeKind.SUMMONS, "-"),
            channel,
            address,
        )
        notice = Notice.objects.get(key=key)
    notification = SummonsNotification.objects.create(
        summons=summons,
        channel=channel,
        address=address,
        notice=notice,
        sent_at=timezone.now(),
        sent_by=by,
        note=note.strip(),
    )
    log(summons, FunctionEventKind.NOTIFIED, by=by, channel=channel)
    return notification


def delivery_of(notification: SummonsNotification) -> str:
    """The delivery status of a notice: an SMS or an e-mail as the outbox has it (sent, failed,
    still queued), the others as staff recorded them."""
    if notification.channel not in OUTBOX_CHANNELS or notification.notice is None:
        return notification.status
    state = notification.notice.state
    if state == "sent":
        return DeliveryStatus.DELIVERED
    if state == "failed":
        return DeliveryStatus.NOT_DELIVERED
    return DeliveryStatus.PENDING


@transaction.atomic
def record_delivery(
    notification: SummonsNotification,
    *,
    by: User,
    delivered: bool,
    at: datetime | None = None,
    note: str = "",
) -> SummonsNotification:
    """Art. 26(9): the call answered, the telegram or the letter's notice of delivery returned
    (or not), recorded by staff. An SMS or an e-mail has the outbox's record, not a person's."""
    notification = lock(notification)
    summons = notification.summons
    require_change(by, summons, ART_26_9)
    if notification.channel in OUTBOX_CHANNELS:
        raise RuleViolation(
            _("The delivery of an SMS or an e-mail is recorded by the system that sends it."),
            article=ART_26_9,
        )
    at = at or timezone.now()
    if at > timezone.now() or at < notification.sent_at:
        raise RuleViolation(_("A delivery is dated between the notice and now."), article=ART_26_9)
    notification.status = DeliveryStatus.DELIVERED if delivered else DeliveryStatus.NOT_DELIVERED
    notification.delivered_at = at if delivered else None
    notification.note = "\n".join(filter(None, [notification.note, note.strip()]))
    notification.save(update_fields=["status", "delivered_at", "note"])
    log(
        summons,
        FunctionEventKind.DELIVERY_RECORDED,
        by=by,
        channel=notification.channel,
        delivered=delivered,
    )
    return notification


@transaction.atomic
def record_appearance(summons: Summons, *, by: User, outcome: str, reason: str = "") -> Summons:
    """The person appeared, or did not: with a valid reason they told the prosecutor of
    (Art. 26(10)), or without one (which opens forced delivery: Art. 26(11))."""
    summons = lock(summons)
    require_change(by, summons, ART_26_10)
    if summons.state != SummonsState.ISSUED:
        raise RuleViolation(_("This summons is no longer pending."), article=ART_26_10)
    outcomes = {
        SummonsState.APPEARED: FunctionEventKind.APPEARED,
        SummonsState.EXCUSED: FunctionEventKind.EXCUSED,
        SummonsState.NOT_APPEARED: FunctionEventKind.NOT_APPEARED,
    }
    if outcome not in outcomes:
        raise RuleViolation(_("Choose what happened."), article=ART_26_10)
    if outcome != SummonsState.APPEARED and summons.appear_at > timezone.now():
        raise RuleViolation(
            _("An absence is recorded once the time to appear has passed."), article=ART_26_10
        )
    if outcome == SummonsState.EXCUSED:
        reason = required(reason, _("Record the reason the person gave."), ART_26_10)
    summons.state = outcome
    summons.absence_reason = reason.strip()
    summons.save(update_fields=["state", "absence_reason"])
    log(summons, outcomes[SummonsState(outcome)], by=by, reason=reason.strip())
    return summons


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_night(moment: datetime) -> bool:
    """Art. 26(13): 22:00-06:00 in Asia/Almaty."""
    local = timezone.localtime(moment).time()
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def forbidden(
    summons: Summons,
    *,
    deliver_at: datetime,
    legal_representative_told: bool,
    is_pregnant: bool,
    doctor_certified_unable: bool,
) -> RuleViolation | None:
    """What the law forbids of this forced delivery (the refusal to raise), or None."""

    def bar(message: str, article: str) -> RuleViolation:
        return RuleViolation(message, article=article, code="forced_delivery_forbidden")

    if is_night(deliver_at):
        return bar(_("Forced delivery is not performed at night (22:00-06:00)."), ART_26_13)
    assert summons.birth_date is not None  # order_forced_delivery asks for it first
    age = age_on(summons.birth_date, timezone.localtime(deliver_at).date())
    if age < CHILD_AGE:
        return bar(_("A child under fourteen is not delivered by force."), ART_26_14)
    if age < ADULT_AGE and not legal_representative_told:
        return bar(
            _("A minor is not delivered by force without telling the legal representative."),
            ART_26_14,
        )
    if is_pregnant:
        return bar(_("A pregnant woman is not delivered by force."), ART_26_14)
    if doctor_certified_unable:
        return bar(
            _("A person a doctor certifies cannot or should not leave is not delivered by force."),
            ART_26_14,
        )
    return None


def order_forced_delivery(
    summons: Summons,
    *,
    by: User,
    deliver_at: datetime,
    reason: str,
    executing_body: str,
    legal_representative_told: bool = False,
    is_pregnant: bool = False,
    doctor_certified_unable: bool = False,
) -> ForcedDelivery:
    """Art. 26(11): whoever does not appear without a valid reason may be delivered by force on
    a reasoned decision of the Prosecutor General, the deputies, the heads of offices and their
    deputies; Art. 26(12): the internal affairs body executes it; Art. 26(13)-(14): never at
    night, nor a child under 14, a minor whose legal representative was not told, a pregnant
    woman, a person a doctor certifies cannot or should not leave.

    A decision the law forbids is kept (state "refused", with its article) and then refused with
    a RuleViolation: the attempt stays on the record. So this function commits its own
    transaction before it raises; callers do not wrap it in theirs."""
    with transaction.atomic():
        summons = lock(summons)
        access.require(
            by,
            "order_forced_delivery",
            summons,
            article=ART_26_11,
            message=_(
                "Forced delivery is decided by the Prosecutor General, a deputy, or the head "
                "of an office or a deputy."
            ),
        )
        if summons.state != SummonsState.NOT_APPEARED:
            raise RuleViolation(
                _("Forced delivery follows only an absence without a valid reason."),
                article=ART_26_11,
                code="not_absent",
            )
        reason = required(reason, _("Forced delivery needs a reasoned decision."), ART_26_11)
        executing_body = required(
            executing_body, _("Name the internal affairs body that executes it."), ART_26_12
        )
        if deliver_at <= timezone.now():
            raise RuleViolation(_("Forced delivery is set for a time to come."), article=ART_26_11)
        if summons.birth_date is None:
            raise RuleViolation(
                _("Record the date of birth first: the age rule applies to forced delivery."),
                article=ART_26_14,
                code="birth_date_needed",
            )
        facts = {
            "legal_representative_told": legal_representative_told,
            "is_pregnant": is_pregnant,
            "doctor_certified_unable": doctor_certified_unable,
        }
        refusal = forbidden(summons, deliver_at=deliver_at, **facts)
        delivery = ForcedDelivery.objects.create(
            summons=summons,
            decided_by=by,
            deliver_at=deliver_at,
            reason=reason,
            executing_body=executing_body,
            state=ForcedDeliveryState.REFUSED if refusal else ForcedDeliveryState.ORDERED,
            refusal_article=refusal.article if refusal else "",
            refusal_reason=refusal.message if refusal else "",
            **facts,
        )
        log(
            summons,
            FunctionEventKind.FORCED_DELIVERY_REFUSED
            if refusal
            else FunctionEventKind.FORCED_DELIVERY_ORDERED,
            by=by,
            reason=reason,
            deliver_at=deliver_at,
            article=refusal.article if refusal else "",
        )
    if refusal:
        raise refusal
    return delivery


@transaction.atomic
def cancel_summons(summons: Summons, *, by: User, reason: str) -> Summons:
    """The prosecutor withdraws a summons not yet answered (a reason recorded)."""
    summons = lock(summons)
    require_change(by, summons, ART_26_7)
    if summons.state != SummonsState.ISSUED:
        raise RuleViolation(_("This summons is no longer pending."), article=ART_26_7)
    reason = required(reason, _("A cancellation needs a reason."), ART_26_7)
    summons.state = SummonsState.CANCELLED
    summons.save(update_fields=["state"])
    log(summons, FunctionEventKind.CANCELLED, by=by, reason=reason)
    return summons
