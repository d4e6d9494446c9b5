"""docs/security.md 7 and 9: repeated failures lock an account at one address for a cool-off, on the
password step, the code step and the API token endpoint; a colleague behind the same address is
not locked; one address failing across many accounts is slowed; the locked answer is the same for
known and unknown accounts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from prosecution.accounts import lockout
from tests.signin_helpers import (
    PASSWORD,
    code_of,
    code_step,
    device_of,
    password_step,
    person,
)

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
# 12:00:05 in Almaty, at the start of a 15-minute window: the window's edge does not fall inside
# a test unless it moves the clock.
START = datetime(2026, 6, 2, 7, 0, 5, tzinfo=UTC)
OFFICE_NAT = "10.20.30.40"
ELSEWHERE = "10.99.0.1"
LOCKED = "Too many attempts. Please try again later."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def colleagues(cast):
    return person("aigerim", cast.district_a), person("bolat", cast.district_a)


def fail_passwords(client, username: str, times: int, address: str = OFFICE_NAT):
    for _ in range(times):
        response = password_step(client, username, "wrong-password", REMOTE_ADDR=address)
        assert response.status_code == 200


def answer(client, username: str, password: str = PASSWORD, address: str = OFFICE_NAT):
    return password_step(client, username, password, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def is_locked(response) -> bool:
    return response.status_code == 200 and LOCKED in response.content.decode()


def test_five_failures_lock_the_account_at_that_address(colleagues, client, clock):
    fail_passwords(client, "aigerim", 5)
    response = answer(client, "aigerim")  # the right password, now refused unchecked
    assert is_locked(response)
    assert client.get("/work/").status_code == 302


def test_four_failures_do_not_lock(colleagues, client, clock):
    fail_passwords(client, "aigerim", 4)
    assert answer(client, "aigerim").url == reverse("login-code")


def test_a_colleague_behind_the_same_address_is_not_locked(colleagues, client, clock):
    fail_passwords(client, "aigerim", 5)
    assert is_locked(answer(client, "aigerim"))
    assert answer(client, "bolat").url == reverse("login-code")
    # And the locked account from another address.
    assert answer(client, "aigerim", address=ELSEWHERE).url == reverse("login-code")


def test_the_lock_lasts_a_cool_off_then_ends(colleagues, client, clock, settings):
    fail_passwords(client, "aigerim", 5)
    clock.shift(timedelta(seconds=settings.LOCKOUT_WINDOW_SECONDS - 10))
    assert is_locked(answer(client, "aigerim"))
    # Hammering a locked account does not prolong the lock: refused attempts are not counted.
    for _ in range(10):
        assert is_locked(answer(client, "aigerim"))
    clock.shift(timedelta(seconds=settings.LOCKOUT_WINDOW_SECONDS + 20))
    assert answer(client, "aigerim").url == reverse("login-code")


def test_the_cool_off_holds_across_the_edge_of_a_window(colleagues, client, clock, settings):
    """Failures just before a window ends still lock for a whole window after them."""
    clock.shift(timedelta(seconds=settings.LOCKOUT_WINDOW_SECONDS - 20))  # 12:14:45
    fail_passwords(client, "aigerim", 5)
    clock.shift(timedelta(seconds=settings.LOCKOUT_WINDOW_SECONDS - 60))  # 12:28:45
    assert is_locked(answer(client, "aigerim"))


def test_the_locked_answer_is_the_same_for_known_and_unknown_accounts(colleagues, client, clock):
    fail_passwords(client, "aigerim", 5)
    fail_passwords(client, "nobody-by-this-name", 5)
    known = answer(client, "aigerim")
    unknown = answer(client, "nobody-by-this-name")
    assert is_locked(known) and is_locked(unknown)
    # The same page but for the username typed back into the form (and the CSRF token).
    assert known.content.decode().replace("aigerim", "X").count(LOCKED) == 1
    assert _without_varying(known, "aigerim") == _without_varying(unknown, "nobody-by-this-name")


def _without_varying(response, username: str) -> str:
    import re

    html = response.content.decode().replace(username, "USERNAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_wrong_password_answer_is_the_same_for_known_and_unknown_accounts(
    colleagues, client, clock
):
    known = answer(client, "aigerim", "wrong-password")
    unknown = answer(client, "nobody-by-this-name", "wrong-password")
    assert _without_varying(known, "aigerim") == _without_varying(unknown, "nobody-by-this-name")


def test_one_address_failing_across_many_accounts_is_slowed(colleagues, client, clock, settings):
    settings.LOCKOUT_ADDRESS_FAILURES = 12
    for n in range(12):
        fail_passwords(client, f"guess-{n}", 1)
    # Every account from that address is now refused, the colleagues' too ...
    assert is_locked(answer(client, "bolat"))
    # ... and from elsewhere they sign in.
    assert answer(client, "bolat", address=ELSEWHERE).url == reverse("login-code")


def test_the_code_step_locks_after_five_wrong_codes(colleagues, client, clock):
    aigerim = colleagues[0]
    assert answer(client, "aigerim").url == reverse("login-code")
    right = code_of(device_of(aigerim))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        clock.shift(timedelta(seconds=20))  # past django-otp's own throttle of the device
        code_step(client, wrong, REMOTE_ADDR=OFFICE_NAT)
    clock.shift(timedelta(seconds=1))
    response = code_step(
        client, code_of(device_of(aigerim)), REMOTE_ADDR=OFFICE_NAT, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert is_locked(response)
    assert client.get("/work/").status_code == 302


def test_a_successful_sign_in_gives_its_attempt_back(colleagues, client, clock):
    fail_passwords(client, "aigerim", 4)
    for _ in range(3):  # three right passwords: not failures
        assert answer(client, "aigerim").url == reverse("login-code")
    fail_passwords(client, "aigerim", 1)  # the fifth failure
    assert is_locked(answer(client, "aigerim"))


# --- the API token ---------------------------------------------------------------------------

TOKEN = "/api/v1/auth/token/"


def post_token(client, data, **extra):
    """The token endpoint takes JSON, as the whole API (settings.REST_FRAMEWORK)."""
    return client.post(TOKEN, data, content_type="application/json", **extra)


def test_the_token_endpoint_locks_after_five_failures(colleagues, client, clock):
    for _ in range(5):
        response = post_token(
            client, {"username": "aigerim", "password": "wrong"}, REMOTE_ADDR=OFFICE_NAT
        )
        assert response.status_code == 400
    code = code_of(device_of(colleagues[0]))
    locked = post_token(
        client,
        {"username": "aigerim", "password": PASSWORD, "otp": code},
        REMOTE_ADDR=OFFICE_NAT,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert locked.status_code == 429
    assert locked.json()["error"]["message"] == LOCKED
    assert 0 < int(locked["Retry-After"]) <= 2 * 15 * 60
    # The colleague behind the same address gets a token.
    bolat_code = code_of(device_of(colleagues[1]))
    ok = post_token(
        client,
        {"username": "bolat", "password": PASSWORD, "otp": bolat_code},
        REMOTE_ADDR=OFFICE_NAT,
    )
    assert ok.status_code == 200


def test_the_form_and_the_token_endpoint_share_one_count(colleagues, client, clock):
    fail_passwords(client, "aigerim", 3)
    for _ in range(2):
        post_token(client, {"username": "aigerim", "password": "wrong"}, REMOTE_ADDR=OFFICE_NAT)
    assert is_locked(answer(client, "aigerim"))


def test_the_token_endpoint_locks_wrong_codes_too(colleagues, client, clock):
    for _ in range(5):
        clock.shift(timedelta(seconds=20))
        post_token(
            client,
            {"username": "aigerim", "password": PASSWORD, "otp": "000000"},
            REMOTE_ADDR=OFFICE_NAT,
        )
    code = code_of(device_of(colleagues[0]))
    locked = post_token(
        client, {"username": "aigerim", "password": PASSWORD, "otp": code}, REMOTE_ADDR=OFFICE_NAT
    )
    assert locked.status_code == 429


# --- the counters ------------------------------------------------------------------------------


def test_attempts_are_counted_before_they_are_checked(rf, db, clock):
    """Five attempts pass for one pair; the sixth is refused before any check, whether or not the
    five have finished (the count is taken first, atomically)."""
    request = rf.post("/", REMOTE_ADDR=OFFICE_NAT)
    taken = [lockout.begin(request, step="password", username="aigerim") for _ in range(5)]
    with pytest.raises(lockout.LockedOut):
        lockout.begin(request, step="password", username="aigerim")
    taken[0].succeeded()  # one of the five was right: its place is free again
    lockout.begin(request, step="password", username="aigerim")
