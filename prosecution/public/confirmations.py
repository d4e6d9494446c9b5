"""One-time codes that prove a citizen holds the e-mail address or phone they gave (filing an
appeal online, booking a reception). docs/security.md 6, 9: only a keyed hash of the code is stored,
a code works once, it expires, and it allows a few tries; every check of a code is one conditional
UPDATE, so two requests racing with the right code confirm it once.

Each phone and each e-mail address gets at most CONFIRMATION_CODES_PER_HOUR codes an hour and
CONFIRMATION_CODES_PER_DAY a day, whatever door, client address or IIN asks (docs/security.md
27): the limits per client address and per IIN (prosecution/public/ratelimit.py: check) let 16
filings from two addresses with 16 IINs send 15 SMS to one phone in a minute (issue 14)."""

import hmac
import secrets
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from prosecution.lib.hashing import keyed_hash
from prosecution.lib.identifiers import normalize_phone
from prosecution.models import ConfirmationCode, NoticeKind
from prosecution.notices import outbox
from prosecution.public import ratelimit

CODE_DIGITS = 6


def _hash(code_uuid: UUID | str, code: str) -> str:
    return keyed_hash(f"{code_uuid}:{code}")


@transaction.atomic
def issue(*, purpose: str, address: str, language: str) -> ConfirmationCode:
    """Create a code for `address` (an e-mail address, or a phone) and send it there through the
    outbox, in the citizen's language. The code itself is returned to nobody. Raises RateLimited
    once the address has had its codes for the hour or the day (counted in the caller's
    transaction: a refused or rolled-back request sends nothing and counts nothing)."""
    _count_code_to(address)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    now = timezone.now()
    record = ConfirmationCode.objects.create(
        purpose=purpose,
        address=address,
        code_hash="-",
        created_at=now,
        expires_at=now + timedelta(seconds=settings.CONFIRMATION_CODE_SECONDS),
    )
    record.code_hash = _hash(record.uuid, code)
    record.save(update_fields=["code_hash"])
    email, phone = (address, "") if "@" in address else ("", normalize_phone(address))
    minutes = settings.CONFIRMATION_CODE_SECONDS // 60
    outbox.notify_applicant(
        kind=NoticeKind.ONE_TIME_CODE,
        subject=record,
        term=None,
        language=language,
        email=email,
        phone=phone,
        context={"code": code, "minutes": minutes},
    )
    return record


def _count_code_to(address: str) -> None:
    """One more code to `address` in this hour's and this day's window (keyed hashes: the table
    never holds the address)."""
    key = keyed_hash(f"code-to:{address.strip().lower()}")
    hourly, daily = settings.CONFIRMATION_CODES_PER_HOUR, settings.CONFIRMATION_CODES_PER_DAY
    ratelimit.hit(f"code-to:hour:{key}", limit=hourly, window_seconds=3600)
    ratelimit.hit(f"code-to:day:{key}", limit=daily, window_seconds=86400)


@transaction.atomic
def reissue(record: ConfirmationCode, *, language: str) -> ConfirmationCode | None:
    """ "Send the code again" (issue 13): a new code to the same address for the same purpose, and
    the old one stops working, so that only the latest message counts. None if the old code was
    already used (the filing or booking it confirms is made). The caller limits how often."""
    live = ConfirmationCode.objects.filter(pk=record.pk, confirmed_at__isnull=True)
    # Spent, as after the last wrong try: verify() refuses it from now on.
    if not live.update(attempts=settings.CONFIRMATION_CODE_TRIES):
        return None
    return issue(purpose=record.purpose, address=record.address, language=language)


def verify(*, code_uuid: UUID | str, code: str, purpose: str) -> bool:
    """True once, for the right code within its time and its tries; False otherwise (which of
    the reasons is not told: it would help a guesser)."""
    now = timezone.now()
    live = ConfirmationCode.objects.filter(
        uuid=code_uuid,
        purpose=purpose,
        confirmed_at__isnull=True,
        expires_at__gt=now,
        attempts__lt=settings.CONFIRMATION_CODE_TRIES,
    )
    if not live.update(attempts=F("attempts") + 1):
        return False
    stored = ConfirmationCode.objects.filter(uuid=code_uuid).values_list("code_hash", flat=True)
    if not hmac.compare_digest(stored.get(), _hash(code_uuid, (code or "").strip())):
        return False
    unconfirmed = ConfirmationCode.objects.filter(uuid=code_uuid, confirmed_at__isnull=True)
    return bool(unconfirmed.update(confirmed_at=now))


def purge(now: datetime | None = None) -> int:
    """Codes that expired more than a day ago."""
    now = now or timezone.now()
    deleted, _ = ConfirmationCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return deleted
