"""API tokens that end (docs/security.md 28; issue 14: a token worked after the web sign-out and
never expired; unused for 16 minutes it still answered 200).

A token ends, as a staff session does (prosecution/accounts/sessions.py):
- API_TOKEN_MAX_AGE_SECONDS after it was issued, whatever the activity (absolute);
- API_TOKEN_IDLE_SECONDS after its last use (idle). The last use is kept in the cache, keyed by a
  hash of the token: a cache that lost it (Redis restarted) counts from the token's issue, so a
  loss ends tokens early, never late;
- at the person's sign-out from the website, and when their session ends for time (the
  user_logged_out receiver in sessions.py calls `revoke`).
- when the person revokes it on their page of tokens (/accounts/tokens/: `held` and
  `revoke_one`), where each is shown with its issue, its last use and when it ends.
An ended token is deleted; the client obtains a new one (POST /api/v1/auth/token/).

A token is named on that page, and in its revocation's URL, by a keyed hash of its key (`handle`),
never by the key, which is the credential. It is looked up among the person's own tokens only,
so another person's handle is "no such token" (404), as for any record outside one's scope.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from prosecution.accounts.signin import SEEN_RESOLUTION_SECONDS
from prosecution.lib.hashing import keyed_hash


def _seen_key(token_key: str) -> str:
    return f"api-token-seen:{keyed_hash(token_key)}"


def _last_used(token: Token) -> datetime:
    return cache.get(_seen_key(token.key)) or token.created


def _seen(token: Token, now: datetime) -> None:
    cache.set(_seen_key(token.key), now, timeout=settings.API_TOKEN_IDLE_SECONDS + 60)


def has_ended(token: Token, now: datetime, last_used: datetime | None = None) -> bool:
    if now - token.created > timedelta(seconds=settings.API_TOKEN_MAX_AGE_SECONDS):
        return True
    last_used = last_used or _last_used(token)
    return now - last_used > timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS)


def issue(user) -> tuple[Token, bool]:
    """The person's token: the one they hold while it lives, a new one otherwise."""
    now = timezone.now()
    token = Token.objects.filter(user=user).first()
    if token is not None and has_ended(token, now):
        token.delete()
        token = None
    created = token is None
    if token is None:
        token = Token.objects.create(user=user)
    _seen(token, now)
    return token, created


@dataclass(frozen=True)
class HeldToken:
    handle: str
    created: datetime
    last_used: datetime
    ends: datetime


def handle(token: Token) -> str:
    return keyed_hash(f"api-token:{token.key}")[:24]


def ends_at(token: Token, last_used: datetime) -> datetime:
    """The earlier of its absolute and its idle end."""
    return min(
        token.created + timedelta(seconds=settings.API_TOKEN_MAX_AGE_SECONDS),
        last_used + timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS),
    )


def held(user) -> list[HeldToken]:
    """The person's living tokens, newest first (an ended one is deleted on the way, as at use)."""
    now = timezone.now()
    living = []
    for token in Token.objects.filter(user=user).order_by("-created"):
        last_used = _last_used(token)
        if has_ended(token, now, last_used):
            token.delete()
            continue
        living.append(HeldToken(handle(token), token.created, last_used, ends_at(token, last_used)))
    return living


def revoke_one(user, token_handle: str) -> bool:
    """Revoke the person's token named by `token_handle`; False if they hold none so named."""
    for token in Token.objects.filter(user=user):
        if hmac.compare_digest(handle(token), token_handle):
            token.delete()
            return True
    return False


def revoke(user) -> int:
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        now = timezone.now()
        last_used = _last_used(token)
        if has_ended(token, now, last_used):
            token.delete()
            raise AuthenticationFailed(_("The token has expired. Obtain a new one."))
        # The last use is written at most once a minute, as a session's (sessions.py): not a
        # cache write on every call of a busy client. The idle limit may come that much early.
        if now - last_used >= timedelta(seconds=SEEN_RESOLUTION_SECONDS):
            _seen(token, now)
        return user, token
