"""Rate limits on the public doors (docs/security.md 17): a fixed-window counter per key,
incremented by one atomic statement on SQLite and PostgreSQL alike, so that 200 concurrent requests
get exactly `limit` yeses. (A cache's get-then-set, or DRF's throttle, lets a burst through.)"""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prosecution.lib.addresses import client_ip
from prosecution.lib.errors import RuleViolation
from prosecution.lib.hashing import keyed_hash
from prosecution.models import RateCounter


class RateLimited(RuleViolation):
    """Too many tries from one address (or for one person): the page and the API answer 429."""

    def __init__(self, retry_after: int, scope: str = ""):
        super().__init__(str(_("Too many attempts. Please try again later.")), code="rate_limited")
        self.retry_after = retry_after
        self.scope = scope  # the door (the key's first part), for the audit log


def window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


# The table name comes from the model, never from input.
_TABLE = connection.ops.quote_name(RateCounter._meta.db_table)
_HIT_SQL = (
    f"INSERT INTO {_TABLE} (key, window_start, hits) VALUES (%s, %s, 1) "  # noqa: S608
    f"ON CONFLICT (key, window_start) DO UPDATE SET hits = {_TABLE}.hits + 1 "
    "RETURNING hits"
)


def count(key: str, start: datetime) -> int:
    """Add one to `key`'s counter of the window beginning at `start`, in one atomic statement;
    the count so far, this one included."""
    with connection.cursor() as cursor:
        cursor.execute(_HIT_SQL, [key[:200], connection.ops.adapt_datetimefield_value(start)])
        (hits,) = cursor.fetchone()
    return hits


def hit(key: str, *, limit: int, window_seconds: int, now: datetime | None = None) -> int:
    """Count one hit of `key` in the current window and return the hits so far, this one
    included. Raises RateLimited once the count passes `limit`."""
    now = now or timezone.now()
    start = window_start(now, window_seconds)
    hits = count(key, start)
    if hits > limit:
        retry_after = int((start + timedelta(seconds=window_seconds) - now).total_seconds()) + 1
        raise RateLimited(retry_after, scope=key.split(":", 1)[0])
    return hits


def check(
    request: HttpRequest,
    scope: str,
    *,
    limit: int,
    window_seconds: int,
    person: str = "",
    person_limit: int | None = None,
) -> None:
    """The limits of a public action: per client address, and per person if one is named (an
    IIN, an e-mail address): hashed, so the table never holds who asked. `person_limit`, if
    given, is the person's (lower than that of an address many may share)."""
    hit(f"{scope}:ip:{client_ip(request)}", limit=limit, window_seconds=window_seconds)
    if person:
        per_person = limit if person_limit is None else person_limit
        hit(f"{scope}:who:{keyed_hash(person)}", limit=per_person, window_seconds=window_seconds)


def purge(now: datetime | None = None) -> int:
    """Windows that ended more than a day ago are of no further use."""
    now = now or timezone.now()
    deleted, _ = RateCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return deleted
