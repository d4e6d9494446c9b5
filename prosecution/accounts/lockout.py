"""Lockout after repeated sign-in failures (docs/security.md 7, 9).

Failures are counted per account AND address: an attacker behind an office NAT who fails on
account A locks A from that address only, and a colleague signing in as B from the same address is
not affected. An address failing across many accounts meets a second, higher limit of its own.

The counters are the rate counters of prosecution/public/ratelimit.py (`count`: one atomic
INSERT ... ON CONFLICT ... RETURNING; docs/security.md 17), chosen over django-axes because the same
counter must cover three doors (the password form, the code form and the API token endpoint) with
two keys each, and axes counts only failed authenticate() calls, not second-factor codes. An
attempt is counted *before* the password or code is checked, so that concurrent guesses cannot
all pass the check before any failure is written; a success or a refusal gives its count back.

A pair is locked while its failures in this window and the one before reach the limit: the
cool-off lasts at least one window after the last counted failure. The username is counted
whether or not such an account exists, so the locked answer is the same for both (docs/security.md
9).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prosecution.audit import log as audit
from prosecution.lib.addresses import client_ip
from prosecution.lib.hashing import keyed_hash
from prosecution.models import AuditOutcome, RateCounter
from prosecution.public.ratelimit import RateLimited, count, window_start

# The rate limit's own words: the same for a known and an unknown account.
LOCKED_MESSAGE = _("Too many attempts. Please try again later.")

_TABLE = connection.ops.quote_name(RateCounter._meta.db_table)
_GIVE_BACK_SQL = (
    f"UPDATE {_TABLE} SET hits = hits - 1 "  # noqa: S608
    "WHERE key = %s AND window_start = %s AND hits > 0"
)


class LockedOut(RateLimited):
    """Too many failures for this account at this address, or from this address: pages say
    LOCKED_MESSAGE, the API answers 429 with Retry-After (prosecution/api/errors.py)."""


def _db_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _give_back(key: str, start: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_GIVE_BACK_SQL, [key, _db_time(start)])


def _earlier(key: str, start: datetime) -> int:
    previous = start - timedelta(seconds=settings.LOCKOUT_WINDOW_SECONDS)
    row = RateCounter.objects.filter(key=key, window_start=previous).values("hits").first()
    return row["hits"] if row else 0


def account_key(step: str, username: str, address: str) -> str:
    # Usernames are compared as Django's ModelBackend does (exactly); the hash keeps the table
    # free of who tried. The address is an IPv4 or IPv6 text: at most 45 characters.
    return f"lockout:{step}:{keyed_hash(username)}:{address}"


def address_key(address: str) -> str:
    return f"lockout:address:{address}"


@dataclass
class Attempt:
    """One counted attempt; `succeeded()` gives its count back."""

    taken: list[tuple[str, datetime]] = field(default_factory=list)

    def succeeded(self) -> None:
        for key, start in self.taken:
            _give_back(key, start)
        self.taken = []


def begin(request, *, step: str, username: str, now: datetime | None = None) -> Attempt:
    """Count an attempt at `step` ("password" or "code") for `username` from the client's address,
    or raise LockedOut (with nothing counted) if that pair or that address is locked."""
    now = now or timezone.now()
    window = settings.LOCKOUT_WINDOW_SECONDS
    start = window_start(now, window)
    address = client_ip(request)
    limits = (
        (account_key(step, username, address), settings.LOCKOUT_FAILURES),
        (address_key(address), settings.LOCKOUT_ADDRESS_FAILURES),
    )
    attempt = Attempt()
    for key, limit in limits:
        hits = count(key, start)
        attempt.taken.append((key, start))
        if hits + _earlier(key, start) > limit:
            attempt.succeeded()  # a refused attempt is not a failure: the cool-off still ends
            audit.record(
                "auth.locked_out", outcome=AuditOutcome.DENIED, username=username, step=step
            )
            retry_after = int((start + timedelta(seconds=2 * window) - now).total_seconds())
            raise LockedOut(max(retry_after, 1))
    return attempt
