"""docs/security.md 6: staff sign in with a password and a TOTP code (django-otp); a code works
once; staff without an authenticator set one up on their first sign-in; the API token needs the code
too. Demo accounts are exempt only in demo mode."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from prosecution.accounts import signin
from prosecution.models import StaffProfile
from tests.conftest import last_audit_record, sealed_audit_log
from tests.signin_helpers import (
    PASSWORD,
    code_of,
    code_step,
    device_of,
    password_step,
    person,
    sign_in,
)

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
NOON = datetime(2026, 6, 2, 7, 0, 5, tzinfo=UTC)  # 12:00:05 in Almaty, early in a 30-second step
STAFF_PAGE = "/work/"


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(cast):
    return person("aigerim", cast.district_a)


def test_the_password_alone_does_not_reach_staff_pages(staff, client, clock):
    response = password_step(client, "aigerim")
    assert response.status_code == 302 and response.url == reverse("login-code")
    assert client.get(STAFF_PAGE).status_code == 302
    assert client.get("/api/v1/offices/").status_code in (401, 403)
    assert "_auth_user_id" not in client.session


def test_a_valid_code_reaches_staff_pages(staff, client, clock):
    response = sign_in(client, staff)
    assert response.status_code == 302 and response.url == STAFF_PAGE
    assert client.get(STAFF_PAGE).status_code == 200
    assert client.get("/api/v1/offices/").status_code == 200


def test_the_code_step_returns_to_where_the_visitor_was_going(staff, client, clock):
    response = client.post(
        reverse("login"), {"username": "aigerim", "password": PASSWORD, "next": "/notices/"}
    )
    assert response.url == reverse("login-code")
    assert code_step(client, code_of(device_of(staff))).url == "/notices/"


def test_a_wrong_code_is_refused(staff, client, clock):
    password_step(client, "aigerim")
    wrong = f"{(int(code_of(device_of(staff))) + 1) % 1_000_000:06d}"
    response = code_step(client, wrong, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert client.get(STAFF_PAGE).status_code == 302


def test_a_code_works_once(staff, client, clock):
    code = code_of(device_of(staff))
    password_step(client, "aigerim")
    assert code_step(client, code).status_code == 302
    client.post(reverse("logout"))

    # The same code again, in the same 30 seconds: refused (django-otp's last_t).
    password_step(client, "aigerim")
    response = code_step(client, code, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "This code is not valid" in response.content.decode()
    assert client.get(STAFF_PAGE).status_code == 302


def test_the_next_code_works_after_thelast_audit_record(staff, client, clock):
    assert sign_in(client, staff).status_code == 302
    client.post(reverse("logout"))
    clock.shift(timedelta(seconds=30))
    assert sign_in(client, staff).url == STAFF_PAGE


def test_a_pending_sign_in_expires(staff, client, clock, settings):
    password_step(client, "aigerim")
    clock.shift(timedelta(seconds=settings.SIGNIN_PENDING_SECONDS + 1))
    response = code_step(client, code_of(device_of(staff)))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(STAFF_PAGE).status_code == 302


def test_staff_without_an_authenticator_set_one_up_at_first_sign_in(cast, client, clock):
    newcomer = person("newcomer", cast.district_a, device=False)
    response = password_step(client, "newcomer")
    assert response.status_code == 302 and response.url == reverse("login-enrol")

    page = client.get(reverse("login-enrol"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    assert signin.secret_of(device) in html
    assert "otpauth://totp/" in html and "<svg" in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )  # the QR code is drawn here, nothing fetched
    # Reloading the page shows the same key.
    client.get(reverse("login-enrol"))
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1

    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    assert client.post(reverse("login-enrol"), {"code": wrong}).status_code == 200
    assert client.get(STAFF_PAGE).status_code == 302

    clock.shift(timedelta(seconds=5))  # past django-otp's throttle after the wrong code
    response = client.post(reverse("login-enrol"), {"code": code_of(device)})
    assert response.status_code == 302 and response.url == STAFF_PAGE
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(STAFF_PAGE).status_code == 200


def test_staff_with_an_authenticator_cannot_enrol_another(staff, client, clock):
    password_step(client, "aigerim")
    assert client.get(reverse("login-enrol")).url == reverse("login-code")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_the_code_and_enrolment_pages_need_the_password_first(client):
    assert client.get(reverse("login-code")).url == reverse("login")
    assert client.get(reverse("login-enrol")).url == reverse("login")


def test_a_session_logged_in_without_the_second_factor_is_signed_out(staff, client):
    """Django's own force_login (or admin login) logs in with the password alone: the session
    guard signs such a session out before any page sees it."""
    client.force_login(staff)
    assert client.get(STAFF_PAGE).status_code == 302
    assert "_auth_user_id" not in client.session


def test_removing_a_lost_authenticator_ends_its_sessions(staff, client, clock):
    sign_in(client, staff)
    assert client.get(STAFF_PAGE).status_code == 200
    device_of(staff).delete()
    assert client.get(STAFF_PAGE).status_code == 302


def test_the_admin_signs_in_through_the_staff_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/admin/"


def test_public_pages_stay_public(client):
    for url in ("/", "/appeal/", "/reception/", reverse("login")):
        assert client.get(url).status_code == 200, url


# --- demo accounts ------------------------------------------------------------------------


@pytest.fixture
def demo_user(cast):
    user = person("demo.someone", cast.district_a, device=False)
    user.password = make_password(None)  # as seed_demo makes them: unusable
    user.save()
    StaffProfile.objects.filter(user=user).update(is_demo=True)
    return user


def test_demo_accounts_in_demo_mode_sign_in_without_a_code(demo_user, client, settings):
    settings.DEMO_LOGIN_ENABLED = True
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "demo accounts sign in with the password alone" in page.content.decode()
    response = password_step(client, "demo.someone", settings.DEMO_PASSWORD)
    assert response.status_code == 302 and response.url == STAFF_PAGE
    assert client.get(STAFF_PAGE).status_code == 200


def test_outside_demo_mode_no_account_is_exempt(demo_user, client, settings):
    settings.DEMO_LOGIN_ENABLED = False
    assert signin.needs_second_factor(demo_user)
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "demo-exemption" not in page.content.decode()
    client.force_login(demo_user)  # a password-only session of a demo account ...
    assert client.get(STAFF_PAGE).status_code == 302  # ... is signed out


def test_staff_in_demo_mode_still_need_the_code(staff, client, settings, clock):
    settings.DEMO_LOGIN_ENABLED = True
    assert password_step(client, "aigerim").url == reverse("login-code")


# --- the API token ---------------------------------------------------------------------------

TOKEN = "/api/v1/auth/token/"


def post_token(client, data, **extra):
    """The token endpoint takes JSON, as the whole API (settings.REST_FRAMEWORK)."""
    return client.post(TOKEN, data, content_type="application/json", **extra)


def test_the_token_endpoint_needs_the_code(staff, client, clock):
    answer = post_token(client, {"username": "aigerim", "password": PASSWORD})
    assert answer.status_code == 400
    assert "otp" in answer.json()["error"]["fields"]
    assert not Token.objects.filter(user=staff).exists()

    code = code_of(device_of(staff))
    answer = post_token(client, {"username": "aigerim", "password": PASSWORD, "otp": code})
    assert answer.status_code == 200
    assert answer.json()["token"] == Token.objects.get(user=staff).key

    # The same code a second time: refused.
    again = post_token(client, {"username": "aigerim", "password": PASSWORD, "otp": code})
    assert again.status_code == 400 and "otp" in again.json()["error"]["fields"]


def test_the_token_endpoint_refuses_a_wrong_password_whatever_the_code(staff, client, clock):
    code = code_of(device_of(staff))
    answer = post_token(client, {"username": "aigerim", "password": "wrong", "otp": code})
    assert answer.status_code == 400
    assert "non_field_errors" in answer.json()["error"]["fields"]


def test_staff_without_an_authenticator_get_no_token(cast, client, clock):
    person("newcomer", cast.district_a, device=False)
    answer = post_token(client, {"username": "newcomer", "password": PASSWORD, "otp": "123456"})
    assert answer.status_code == 400
    assert not Token.objects.exists()


def test_demo_accounts_in_demo_mode_get_a_token_without_a_code(demo_user, client, settings):
    settings.DEMO_LOGIN_ENABLED = True
    answer = post_token(client, {"username": "demo.someone", "password": settings.DEMO_PASSWORD})
    assert answer.status_code == 200 and answer.json()["token"]


# --- the audit log of the second factor (docs/security.md 24: every auth event)
# -----------------------


def test_a_wrong_code_and_a_lockout_are_in_the_audit_log_without_the_code(
    staff, client, clock, settings
):
    password_step(client, "aigerim")
    wrong = f"{(int(code_of(device_of(staff))) + 1) % 1_000_000:06d}"
    code_step(client, wrong, REMOTE_ADDR="10.7.7.7")
    failed = last_audit_record("auth.code_failed")
    assert (failed.outcome, failed.target_id, failed.actor_id) == ("failed", str(staff.pk), None)
    assert failed.address == "10.7.7.7" and wrong not in str(failed.details)
    for _ in range(settings.LOCKOUT_FAILURES):
        code_step(client, wrong, REMOTE_ADDR="10.7.7.7")
    locked = last_audit_record("auth.locked_out")
    assert locked.outcome == "denied"
    assert locked.details == {"username": "aigerim", "step": "code"}


def test_a_token_issued_and_an_authenticator_enrolled_are_in_the_audit_log(cast, client, clock):
    newcomer = person("newcomer", cast.district_a, device=False)
    password_step(client, "newcomer")
    client.get(reverse("login-enrol"))  # the device is made, not yet confirmed
    device = TOTPDevice.objects.get(user=newcomer)
    assert not sealed_audit_log().filter(action="auth.authenticator_enrolled").exists()
    client.post(reverse("login-enrol"), {"code": code_of(device)})
    enrolled = last_audit_record("auth.authenticator_enrolled")
    assert (enrolled.actor_id, enrolled.target_id) == (newcomer.pk, str(newcomer.pk))

    clock.shift(timedelta(seconds=30))  # the next code
    answer = post_token(
        client, {"username": "newcomer", "password": PASSWORD, "otp": code_of(device)}
    )
    assert answer.status_code == 200
    issued = last_audit_record("auth.token_issued")
    assert (issued.actor_id, issued.target_id, issued.details) == (
        newcomer.pk,
        str(newcomer.pk),
        {"new": True},
    )
    assert answer.json()["token"] not in str(issued.details)


def test_an_authenticator_removed_by_an_administrator_is_in_the_audit_log(staff, client, clock):
    """A lost phone: the administrator deletes the device (the admin's TOTP devices); the person
    sets up a new one at their next sign-in."""
    device_of(staff).delete()
    removed = last_audit_record("auth.authenticator_removed")
    assert removed.target_id == str(staff.pk)
    assert removed.details == {"device": "phone", "confirmed": True}
    response = password_step(client, "aigerim")
    assert response.url == reverse("login-enrol")
