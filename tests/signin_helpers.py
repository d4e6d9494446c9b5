"""Signing staff in through the real pages (docs/security.md 6, 7, 10): a password, then a TOTP code
computed from the device's key as an authenticator app would."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from prosecution.models import Position
from tests.conftest import make_staff

PASSWORD = "a-long-test-password-42"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def person(username: str, office, *, device: bool = True, position: str = Position.PROSECUTOR):
    user = make_staff(username, office, position, language="en")
    user.set_password(PASSWORD)
    user.save()
    if device:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def device_of(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user)


def password_step(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code_step(client, code: str, **extra):
    return client.post(reverse("login-code"), {"code": code}, **extra)


def sign_in(client, user, **extra):
    """Both steps; returns the answer of the code step."""
    response = password_step(client, user.username, **extra)
    assert response.status_code == 302 and response.url == reverse("login-code"), response
    return code_step(client, code_of(device_of(user)), **extra)
