"""Staff sign in with a password and then a TOTP code (docs/security.md 6).

Between the two steps the session holds only a pending sign-in (who, with which backend, where
to go, since when); the user is not logged in until the code is accepted, so every page and API
call that needs a user sees an anonymous visitor until then. prosecution/accounts/sessions.py
refuses any session that is logged in without the second factor (Django's admin login, a test's
force_login) for accounts that need one.

Demo accounts, while demo mode is on (DEMO_LOGIN_ENABLED, i.e. DEBUG and `make run`), sign in with
the password alone so that the demo stays usable; in production there is no exemption (and demo
accounts cannot sign in at all).
"""

import base64
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from prosecution.audit import log as audit
from prosecution.models import AuditOutcome

PENDING_KEY = "signin_pending"
LOGIN_AT_KEY = "signin_at"  # epoch seconds of the login (the absolute limit counts from it)
SEEN_AT_KEY = "signin_seen"  # epoch seconds of the last request (the idle limit)
# The last use of a session (sessions.py) or an API token (tokens.py) is written at most this
# often, not on every request; the idle limit is then kept to within this many seconds.
SEEN_RESOLUTION_SECONDS = 60
ENDED_KEY = "signin_ended"  # why the last session ended: "idle" or "expired"
DEVICE_NAME = "authenticator"


def needs_second_factor(user) -> bool:
    """Everyone who signs in is staff; only demo accounts in demo mode are exempt."""
    if not settings.DEMO_LOGIN_ENABLED:
        return True
    profile = getattr(user, "staff_profile", None)
    return not (profile is not None and profile.is_demo)


def confirmed_devices(user) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (the same one on every reload of the page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32, without padding."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _six_digits(code: str) -> str | None:
    """The code as typed (spaces allowed, as apps show it: "123 456"), if it can be one."""
    code = (code or "").strip().replace(" ", "")
    return code if code.isdigit() and len(code) == 6 else None


def check_code(user, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts `code`, or None. django-otp's verify_token locks the
    device row and refuses a time step at or before the last one used: a code works once."""
    digits = _six_digits(code)
    for device in confirmed_devices(user) if digits is not None else []:
        verified = verify_token(user, device.persistent_id, digits)
        if verified is not None:
            return verified
    audit.record("auth.code_failed", target=user, outcome=AuditOutcome.FAILED)
    return None


def confirm_enrolment(device: TOTPDevice, code: str) -> bool:
    """The first code from the new device confirms it (and is then used up, as any code)."""
    digits = _six_digits(code)
    verified = (
        verify_token(device.user, device.persistent_id, digits) if digits is not None else None
    )
    if verified is None:
        audit.record(
            "auth.code_failed", target=device.user, outcome=AuditOutcome.FAILED, enrolment=True
        )
        return False
    verified.confirmed = True
    verified.save(update_fields=["confirmed"])
    # A new authenticator is a new key to the account: who, when, from where (docs/security.md 24).
    audit.record("auth.authenticator_enrolled", target=device.user, actor=device.user)
    return True


@dataclass
class Pending:
    user: User
    backend: str
    next_url: str


def hold(session, *, user, backend: str, next_url: str) -> None:
    session[PENDING_KEY] = {
        "user": str(user.pk),
        "backend": backend,
        "next": next_url,
        "at": int(time.time()),
    }


def pending(session) -> Pending | None:
    """The sign-in waiting for its code, if it is recent and its user may still sign in."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > settings.SIGNIN_PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        session.pop(PENDING_KEY, None)
        return None
    return Pending(user=user, backend=data["backend"], next_url=data["next"])


def drop(session) -> None:
    session.pop(PENDING_KEY, None)
