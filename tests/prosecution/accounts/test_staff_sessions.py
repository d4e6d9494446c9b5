"""docs/security.md 10: a new session key at sign-in; staff are signed out after 15 minutes without
a request and 10 hours after signing in whatever they do, and the login page says why; the session
cookie is Secure, HttpOnly, SameSite and __Host- prefixed in production. The clock is moved with
time-machine, never slept through."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from prosecution.models import StaffProfile
from tests.signin_helpers import code_of, code_step, device_of, password_step, person

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
START = datetime(2026, 6, 2, 3, 0, 5, tzinfo=UTC)  # 08:00:05 in Almaty
STAFF_PAGE = "/work/"
IDLE_MESSAGE = "You were signed out after 15 minutes without activity."
EXPIRED_MESSAGE = "Your session has reached its time limit."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(cast):
    return person("aigerim", cast.district_a)


def session_key(client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def signed_in(client, user):
    password_step(client, user.username)
    response = code_step(client, code_of(device_of(user)))
    assert response.url == STAFF_PAGE
    return response


def login_page(client) -> str:
    return client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_signing_in_gives_a_new_session_key(staff, client, clock):
    password_step(client, "aigerim")
    before = session_key(client)  # the session that held the pending sign-in
    code_step(client, code_of(device_of(staff)))
    after = session_key(client)
    assert after != before
    assert client.get(STAFF_PAGE).status_code == 200
    # The old key is no longer a session at all.
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before
    assert client.get(STAFF_PAGE).status_code == 302


def test_a_demo_sign_in_also_gives_a_new_session_key(cast, client, settings):
    settings.DEMO_LOGIN_ENABLED = True
    demo = person("demo.someone", cast.district_a, device=False)
    demo.password = make_password(None)
    demo.save()
    StaffProfile.objects.filter(user=demo).update(is_demo=True)
    client.get(reverse("login"))
    session = client.session
    session["anything"] = "before"
    session.save()
    before = session_key(client)
    password_step(client, "demo.someone", settings.DEMO_PASSWORD)
    assert session_key(client) != before


def test_fifteen_minutes_without_a_request_sign_out(staff, client, clock):
    signed_in(client, staff)
    for _ in range(3):  # activity keeps the session: 42 minutes in steps of 14
        clock.shift(timedelta(minutes=14))
        assert client.get(STAFF_PAGE).status_code == 200
    clock.shift(timedelta(minutes=15, seconds=1))
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert IDLE_MESSAGE in login_page(client)
    assert IDLE_MESSAGE not in login_page(client)  # said once
    assert client.get(STAFF_PAGE).status_code == 302


def test_the_idle_limit_holds_for_the_api_too(staff, client, clock):
    signed_in(client, staff)
    assert client.get("/api/v1/offices/").status_code == 200
    clock.shift(timedelta(minutes=16))
    assert client.get("/api/v1/offices/").status_code in (401, 403)


def test_ten_hours_after_signing_in_the_session_ends_whatever_the_activity(staff, client, clock):
    signed_in(client, staff)
    elapsed = timedelta(0)
    step = timedelta(minutes=14)
    while elapsed + step < timedelta(hours=10):
        clock.shift(step)
        elapsed += step
        assert client.get(STAFF_PAGE).status_code == 200, elapsed
    clock.shift(timedelta(hours=10) - elapsed + timedelta(seconds=1))
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert EXPIRED_MESSAGE in login_page(client)


def test_the_cookies_are_secure_httponly_samesite_and_host_prefixed_in_production(
    staff, client, clock
):
    """The tests run with DEBUG off, as production does (Makefile's TEST_ENV)."""
    assert not django_settings.DEBUG
    signed_in(client, staff)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 200
    session = client.cookies[django_settings.SESSION_COOKIE_NAME]
    csrf = client.cookies[django_settings.CSRF_COOKIE_NAME]
    for cookie in (session, csrf):
        # __Host-: Secure, Path=/ and no Domain, or the browser refuses the cookie.
        assert cookie.key.startswith("__Host-"), cookie.key
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
        assert cookie["samesite"] == "Lax"
    assert session["httponly"] is True
    assert int(session["max-age"]) == 10 * 60 * 60
