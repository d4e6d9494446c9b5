"""Under concurrency on PostgreSQL (docs/security.md 6, 7): 40 guesses at once for one account at
one address let exactly the limit through to be checked; one TOTP code sent 10 times at once is
accepted once. Skipped with a reason on SQLite (the second pass of .ci/run)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from prosecution.accounts import lockout, signin
from tests.integration.test_postgres import run_at_once
from tests.signin_helpers import code_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Refused(Exception):
    pass


def test_concurrent_guesses_let_exactly_the_limit_through(settings):
    request = RequestFactory().post("/", REMOTE_ADDR="10.20.30.40")

    def guess():
        lockout.begin(request, step="password", username="aigerim")  # and never succeeds

    outcomes = run_at_once(40, guess, (lockout.LockedOut,))
    assert outcomes.count("done") == settings.LOCKOUT_FAILURES, outcomes


def test_one_code_sent_at_once_many_times_is_accepted_once():
    user = get_user_model().objects.create_user(username="aigerim", password=None)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = code_of(device)

    def use():
        if signin.check_code(user, code) is None:
            raise Refused

    outcomes = run_at_once(10, use, (Refused,))
    assert outcomes.count("done") == 1, outcomes
