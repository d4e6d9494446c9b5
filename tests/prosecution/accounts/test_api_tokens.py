"""API tokens end, and what a signed-in person is shown is cached nowhere (docs/security.md 28;
issue 14: a token worked after the web sign-out and never expired; unused for 16 minutes it
still answered 200; authenticated pages, the API and exports sent no Cache-Control)."""

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token

from prosecution.accounts import tokens

pytestmark = pytest.mark.django_db

START = "2026-11-02 09:00 +05:00"


def _get(client, token: str, path: str = "/api/v1/staff/"):
    return client.get(path, HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def token(cast):
    with time_machine.travel(START, tick=False):
        return tokens.issue(cast.a_user)[0].key


def test_a_token_unused_longer_than_the_idle_limit_ends(client, token, settings):
    with time_machine.travel("2026-11-02 09:14 +05:00", tick=False):
        assert _get(client, token).status_code == 200
    with time_machine.travel("2026-11-02 09:28 +05:00", tick=False):
        assert _get(client, token).status_code == 200  # 14 minutes after its last use
    with time_machine.travel("2026-11-02 09:44 +05:00", tick=False):
        answer = _get(client, token)  # 16 minutes
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "authentication_failed"
    assert not Token.objects.filter(key=token).exists()


def test_a_token_in_use_ends_at_the_absolute_limit(client, token, settings):
    assert settings.API_TOKEN_MAX_AGE_SECONDS == 10 * 60 * 60
    for minutes in range(10, 10 * 60, 10):
        with time_machine.travel(f"2026-11-02 {9 + minutes // 60:02d}:{minutes % 60:02d} +05:00"):
            assert _get(client, token).status_code == 200
    with time_machine.travel("2026-11-02 19:01 +05:00", tick=False):
        assert _get(client, token).status_code == 401


def test_signing_out_of_the_website_ends_the_token(client, cast, token):
    with time_machine.travel("2026-11-02 09:05 +05:00", tick=False):
        client.force_login(cast.a_user)
        client.post(reverse("logout"))
        assert _get(client, token).status_code == 401


def test_a_new_token_is_issued_once_the_old_one_ended(cast, token):
    with time_machine.travel("2026-11-02 10:00 +05:00", tick=False):
        fresh, created = tokens.issue(cast.a_user)
    assert created and fresh.key != token


@pytest.mark.parametrize(
    "path", ["/api/v1/staff/", "/work/", "/dashboard/export.csv", "/appeals/"], ids=str
)
def test_what_a_signed_in_person_is_shown_is_cached_nowhere(client, cast, path):
    key = tokens.issue(cast.region_user)[0].key
    if path.startswith("/api/"):
        answer = client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
    else:
        client.force_login(cast.region_user)
        answer = client.get(path)
    assert answer.status_code == 200, path
    assert "no-store" in answer["Cache-Control"]


def test_a_public_page_may_be_cached(client):
    answer = client.get("/reception/")
    assert "no-store" not in answer.get("Cache-Control", "")
