"""API tokens that end (docs/security.md 28; issue 14: a token worked after the web sign-out and
never expired; unused for 16 minutes it still answered 200).

A token ends, as a staff session does (prosecution/accounts/sessions.py):
- API_TOKEN_MAX_AGE_SECONDS after it was issued, whatever the activity (absolute);
- API_TOKEN_IDLE_SECONDS after its last use (idle). The last use is kept in the cache, keyed by a
  hash of the token: a cache that lost it (Redis restarted) counts from the token's issue, so a
  loss ends tokens early, never late;
- at the person's sign-out from the website, and when their session ends for time (the
  user_logged_out receiver in sessions.py calls `revoke`).
An ended token is deleted; the client obtains a new one (POST /api/v1/auth/token/).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from prosecution.lib.hashing import keyed_hash


def _seen_key(token_key: str) -> str:
    return f"api-token-seen:{keyed_hash(token_key)}"


def has_ended(token: Token, now: datetime) -> bool:
    if now - token.created > timedelta(seconds=settings.API_TOKEN_MAX_AGE_SECONDS):
        return True
    last_used = cache.get(_seen_key(token.key)) or token.created
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
    cache.set(_seen_key(token.key), now, timeout=settings.API_TOKEN_IDLE_SECONDS + 60)
    return token, created


def revoke(user) -> int:
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        now = timezone.now()
        if has_ended(token, now):
            token.delete()
            raise AuthenticationFailed(_("The token has expired. Obtain a new one."))
        cache.set(_seen_key(token.key), now, timeout=settings.API_TOKEN_IDLE_SECONDS + 60)
        return user, token
