"""A person lists their own API tokens and revokes any of them (issue 14; docs/security.md 28):
the page shows when each was issued, last used and ends; a revoked token answers 401 at once;
another person's token cannot be revoked (404, as anything outside one's scope); revocations
are audited; the page is linked from the user menu."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from prosecution.accounts import tokens
from tests.conftest import last_audit_record

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def _api(client, key: str):
    return client.get("/api/v1/offices/", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_page_lists_the_persons_token_with_its_dates(cast, client):
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        token = tokens.issue(cast.a_user)[0]
    with time_machine.travel(issued + timedelta(minutes=5), tick=False):
        assert _api(client, token.key).status_code == 200  # its last use
        client.force_login(cast.a_user)
        page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    [held] = page.context["tokens"]
    assert held.created == token.created and held.last_used == issued + timedelta(minutes=5)
    assert held.ends == held.last_used + timedelta(seconds=900)  # idle comes before absolute
    text = page.content.decode()
    assert held.handle in text and token.key not in text  # the credential is never shown
    assert 'data-testid="nav-api-tokens"' in text


def test_a_revoked_token_answers_401_and_the_revocation_is_audited(cast, client):
    key = tokens.issue(cast.a_user)[0].key
    assert _api(client, key).status_code == 200
    client.force_login(cast.a_user)
    [held] = client.get(PAGE).context["tokens"]
    answer = client.post(reverse("api-token-revoke", args=[held.handle]))
    assert answer.status_code == 302 and answer["Location"] == PAGE
    assert _api(client, key).status_code == 401
    assert not Token.objects.filter(key=key).exists()
    record = last_audit_record("auth.token_revoked")
    assert (record.actor_id, record.target_id) == (cast.a_user.pk, str(cast.a_user.pk))
    assert client.get(PAGE).context["tokens"] == []


def test_another_persons_token_cannot_be_revoked(cast, client):
    theirs = tokens.issue(cast.b_user)[0]
    tokens.issue(cast.a_user)
    client.force_login(cast.a_user)
    answer = client.post(reverse("api-token-revoke", args=[tokens.handle(theirs)]))
    assert answer.status_code == 404
    assert _api(client, theirs.key).status_code == 200
    # Nor is the key itself a handle.
    assert client.post(reverse("api-token-revoke", args=[theirs.key])).status_code == 404


def test_the_page_wants_a_signed_in_person_and_revoking_wants_post(cast, client):
    assert client.get(PAGE).status_code == 302
    token = tokens.issue(cast.a_user)[0]
    client.force_login(cast.a_user)
    assert client.get(reverse("api-token-revoke", args=[tokens.handle(token)])).status_code == 405
    assert Token.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize(
    ("language", "title"),
    [("kk", "Менің API токендерім"), ("ru", "Мои API-токены"), ("en", "My API tokens")],
)
def test_the_page_speaks_the_readers_language(cast, client, language, title):
    tokens.issue(cast.a_user)
    client.force_login(cast.a_user)
    client.cookies["django_language"] = language
    text = client.get(PAGE).content.decode()
    assert f"<h1>{title}</h1>" in text
