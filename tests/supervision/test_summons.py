"""Summons (supervision/functions/summons.py): notices by the means of Art. 26(9), SMS and e-mail
through the outbox with its delivery status, the others recorded by staff; forced delivery on a
reasoned decision (Art. 26(11)), never at night (Art. 26(13)), nor for the people of
Art. 26(14)."""

from datetime import date

import pytest

from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeKind, NoticeState
from prosecution.notices import outbox
from supervision.functions import summons as service
from supervision.models import (
    DeliveryStatus,
    ForcedDelivery,
    ForcedDeliveryState,
    SummonsChannel,
    SummonsState,
)
from tests.conftest import last_audit_record, make_staff
from tests.dashboard_terms import on_day
from tests.supervision.function_helpers import FRIDAY, almaty, summoned

pytestmark = pytest.mark.django_db

AFTER = date(2026, 3, 30)  # the Monday after the time to appear


def _absent(cast, **changes):
    with on_day(FRIDAY):
        s = summoned(cast.a_user, **changes)
    with on_day(AFTER):
        service.record_appearance(s, by=cast.a_user, outcome=SummonsState.NOT_APPEARED)
    return s


def _force(s, head, **changes):
    values = {
        "deliver_at": almaty(2026, 3, 31, 10, 0),
        "reason": "Did not appear twice; explanations needed for the check",
        "executing_body": "Esil district police department",
    }
    values.update(changes)
    with on_day(AFTER):
        return service.order_forced_delivery(s, by=head, **values)


def _refused(s, head, article: str, **changes) -> RuleViolation:
    with pytest.raises(RuleViolation) as refusal:
        _force(s, head, **changes)
    assert refusal.value.article == article, refusal.value.message
    return refusal.value


@on_day(FRIDAY)
def test_an_sms_goes_through_the_outbox_and_its_status_is_the_outbox_s_art_26_9(cast):
    s = summoned(cast.a_user)
    sms = service.notify_summons(s, by=cast.a_user, channel=SummonsChannel.SMS)
    assert sms.address == "+77012345678"
    assert sms.notice.kind == NoticeKind.SUMMONS and sms.notice.channel == "sms"
    assert service.delivery_of(sms) == DeliveryStatus.PENDING
    assert outbox.deliver(sms.notice.pk) == "sent"
    sms.refresh_from_db()
    assert service.delivery_of(sms) == DeliveryStatus.DELIVERED
    assert "room 12" in Notice.objects.get(pk=sms.notice.pk).body
    assert last_audit_record("summons.notified").target_id == str(s.pk)


@on_day(FRIDAY)
def test_a_failed_e_mail_shows_as_not_delivered_art_26_9(cast):
    s = summoned(cast.a_user)
    mail = service.notify_summons(s, by=cast.a_user, channel=SummonsChannel.EMAIL)
    Notice.objects.filter(pk=mail.notice_id).update(state=NoticeState.FAILED)
    mail.refresh_from_db()
    assert service.delivery_of(mail) == DeliveryStatus.NOT_DELIVERED


@on_day(FRIDAY)
def test_a_classified_summons_tells_no_purpose_by_sms_docs_rules_secrecy(cast):
    with pytest.raises(RuleViolation) as refusal:
        summoned(cast.a_user, is_classified=True)  # no clearance
    assert refusal.value.code == "forbidden"
    cleared = make_staff("cleared_a", cast.district_a, has_clearance=True)
    s = summoned(cleared, is_classified=True)
    sms = service.notify_summons(s, by=cleared, channel=SummonsChannel.SMS)
    assert sms.notice.context["purpose"] == ""
    assert "tariffs" not in outbox.render(sms.notice)[1]


@on_day(FRIDAY)
def test_a_call_or_a_letter_is_recorded_by_staff_art_26_9(cast):
    s = summoned(cast.a_user)
    letter = service.notify_summons(
        s, by=cast.a_user, channel=SummonsChannel.REGISTERED_MAIL, address="Astana, Abai st. 1"
    )
    assert letter.notice is None and service.delivery_of(letter) == DeliveryStatus.PENDING
    service.record_delivery(letter, by=cast.a_user, delivered=True, note="Notice returned")
    letter.refresh_from_db()
    assert service.delivery_of(letter) == DeliveryStatus.DELIVERED
    sms = service.notify_summons(s, by=cast.a_user, channel=SummonsChannel.SMS)
    with pytest.raises(RuleViolation) as refusal:
        service.record_delivery(sms, by=cast.a_user, delivered=True)
    assert refusal.value.article == "Art. 26(9)"


@on_day(FRIDAY)
def test_an_absence_is_recorded_only_after_the_time_art_26_10(cast):
    s = summoned(cast.a_user)
    with pytest.raises(RuleViolation):
        service.record_appearance(s, by=cast.a_user, outcome=SummonsState.NOT_APPEARED)
    with pytest.raises(RuleViolation):
        service.record_appearance(s, by=cast.a_user, outcome="lost")


def test_forced_delivery_on_a_reasoned_decision_of_the_head_art_26_11(cast, head_a):
    s = _absent(cast)
    refusal = _refused(s, cast.a_user, "Art. 26(11)")
    assert refusal.code == "forbidden"
    _refused(s, head_a, "Art. 26(11)", reason=" ")
    delivery = _force(s, head_a)
    assert delivery.state == ForcedDeliveryState.ORDERED
    assert last_audit_record("summons.forced_delivery_ordered").target_id == str(s.pk)


def test_forced_delivery_follows_only_an_absence_without_a_valid_reason_art_26_11(cast, head_a):
    with on_day(FRIDAY):
        s = summoned(cast.a_user)
    with on_day(AFTER):
        service.record_appearance(
            s, by=cast.a_user, outcome=SummonsState.EXCUSED, reason="In hospital"
        )
    assert _refused(s, head_a, "Art. 26(11)").code == "not_absent"


@pytest.mark.parametrize("hour", [22, 23, 0, 5])
def test_forced_delivery_is_refused_at_night_art_26_13(cast, head_a, hour):
    s = _absent(cast)
    when = almaty(2026, 3, 31, hour, 30) if hour < 22 else almaty(2026, 3, 30, hour, 30)
    _refused(s, head_a, "Art. 26(13)", deliver_at=when)
    # The refusal is kept with its article: the attempt stays on the record.
    kept = ForcedDelivery.objects.get(summons=s)
    assert (kept.state, kept.refusal_article) == (ForcedDeliveryState.REFUSED, "Art. 26(13)")


def test_six_in_the_morning_is_no_longer_night_art_26_13(cast, head_a):
    s = _absent(cast)
    assert _force(s, head_a, deliver_at=almaty(2026, 3, 31, 6, 0)).state == "ordered"


def test_a_child_under_fourteen_is_not_delivered_art_26_14(cast, head_a):
    s = _absent(cast, person_iin="", birth_date=date(2012, 4, 1))  # 13 on 31 March 2026
    _refused(s, head_a, "Art. 26(14)", legal_representative_told=True)


def test_a_minor_without_the_legal_representative_told_art_26_14(cast, head_a):
    s = _absent(cast, person_iin="", birth_date=date(2010, 1, 1))  # 16
    _refused(s, head_a, "Art. 26(14)")
    assert _force(s, head_a, legal_representative_told=True).state == "ordered"


def test_a_pregnant_woman_is_not_delivered_art_26_14(cast, head_a):
    _refused(_absent(cast), head_a, "Art. 26(14)", is_pregnant=True)


def test_a_person_a_doctor_certifies_cannot_leave_is_not_delivered_art_26_14(cast, head_a):
    _refused(_absent(cast), head_a, "Art. 26(14)", doctor_certified_unable=True)


def test_forced_delivery_needs_the_date_of_birth_for_the_age_rule_art_26_14(cast, head_a):
    s = _absent(cast, person_iin="", birth_date=None)
    assert _refused(s, head_a, "Art. 26(14)").code == "birth_date_needed"
    assert not ForcedDelivery.objects.exists()
