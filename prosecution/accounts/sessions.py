"""The limits of a signed-in session (docs/security.md 6, 10), applied to every request in one
place.

- A session logged in without the second factor, for an account that needs one, is signed out:
  prosecution/accounts/signin.py never creates such a session, but Django's admin login or a test's
  force_login would.
- Absolute limit: SESSION_COOKIE_AGE after the login, whatever the activity. The time of login is
  stored in the session at login (the user_logged_in signal below), because the cookie's and the
  session row's expiry are renewed on every save of the session.
- Idle limit: STAFF_IDLE_SECONDS without a request.

A session ended for time leaves its reason in the fresh session for the login page to tell.
Every answer to a signed-in person is `Cache-Control: no-store`; signing out ends their API token.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from prosecution.accounts import signin, tokens


@receiver(user_logged_in, dispatch_uid="prosecution.accounts.sessions.stamp_login")
def stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[signin.LOGIN_AT_KEY] = now
        request.session[signin.SEEN_AT_KEY] = now


@receiver(user_logged_out, dispatch_uid="prosecution.accounts.sessions.revoke_tokens")
def revoke_tokens(sender, request, user, **kwargs):
    """Signing out of the website (or a session ended for time) ends the person's API token
    too (docs/security.md 28)."""
    if user is not None:
        tokens.revoke(user)


def end_reason(session, now: float) -> str | None:
    login_at = session.get(signin.LOGIN_AT_KEY)
    seen_at = session.get(signin.SEEN_AT_KEY, login_at)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return "expired"  # a session from before these limits, or tampered with: start again
    if now - login_at > settings.SESSION_COOKIE_AGE:
        return "expired"
    if now - seen_at > settings.STAFF_IDLE_SECONDS:
        return "idle"
    return None


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            reason = end_reason(request.session, now)
            if reason is not None:
                logout(request)
                request.session[signin.ENDED_KEY] = reason
            # is_verified: put on the user by django-otp's OTPMiddleware, unknown to the stubs.
            elif signin.needs_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
                logout(request)
            elif now - request.session.get(signin.SEEN_AT_KEY, 0) >= signin.SEEN_RESOLUTION_SECONDS:
                request.session[signin.SEEN_AT_KEY] = int(now)
        response = self.get_response(request)
        # What a signed-in person is shown (pages, the API by token, exports) is kept by no
        # cache, shared or the browser's (docs/security.md 28). DRF sets request.user for a
        # token, so it is read again here.
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
