"""The sweep's notices (prosecution/terms/reminders.py) and the outbox that delivers them
(prosecution/notices/outbox.py, prosecution/notices/channels.py): each notice once, in the
recipient's language, written in the same transaction as its cause, retried with backoff and failed
for the admins."""

import itertools
import json
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryMailBackend
from django.db import transaction

from prosecution import workdays
from prosecution.models import (
    CalendarDay,
    CalendarDayKind,
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeState,
    Position,
    TermKind,
    TermState,
)
from prosecution.notices import outbox
from prosecution.terms import engine as terms
from prosecution.terms import reminders
from prosecution.terms.tasks import sweep_terms
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
_subjects = itertools.count()


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def _term(cast, due: date, *, responsible="a", office=None, **kwargs):
    """A term whose due date is `due` (Art. 37: a date set by the prosecutor)."""
    subject = get_user_model().objects.create(username=f"subject-{next(_subjects)}")
    return terms.open_term(
        subject=subject,
        kind=TermKind.SET_BY_PROSECUTOR,
        office=office or cast.district_a,
        start_date=due - timedelta(days=20),
        start_event="instruction",
        responsible=cast.a_user if responsible == "a" else responsible,
        set_due=due,
        label=kwargs.pop("label", "Request to the akimat No. 7"),
        **kwargs,
    )


def _kinds(user=None, **filters):
    query = Notice.objects.filter(**filters)
    if user is not None:
        query = query.filter(recipient=user)
    return sorted(query.values_list("kind", "channel"))


@pytest.fixture
def heads(cast):
    """The head of district A; the region's head is cast.region_user."""
    cast.a_user.email = "a@prokuror.kz"
    cast.a_user.save()
    return make_staff("head_a", cast.district_a, Position.HEAD, language="ru")


# Reminders -------------------------------------------------------------------------------------


def test_reminders_come_3_and_1_working_days_before_and_on_the_due_date_each_once(cast):
    due = date(2026, 12, 1)  # a Tuesday
    term = _term(cast, due)
    # Thursday 26 Nov + 3 working days (Fri, Mon, Tue) = Tuesday 1 Dec: the weekend is not counted.
    assert workdays.add_working_days(date(2026, 11, 26), 3) == due
    for today, expected in (
        (date(2026, 11, 25), []),
        (date(2026, 11, 26), [NoticeKind.REMINDER_3_DAYS]),
        (date(2026, 11, 27), [NoticeKind.REMINDER_3_DAYS]),
        (date(2026, 11, 30), [NoticeKind.REMINDER_1_DAY, NoticeKind.REMINDER_3_DAYS]),
        (
            date(2026, 12, 1),
            [NoticeKind.DUE_TODAY, NoticeKind.REMINDER_1_DAY, NoticeKind.REMINDER_3_DAYS],
        ),
    ):
        reminders.send_reminders(today)
        reminders.send_reminders(today)  # a second sweep the same day adds nothing
        sent = sorted(set(Notice.objects.filter(term=term).values_list("kind", flat=True)))
        assert sent == sorted(expected), today
    # In the system only: district A's prosecutor has no e-mail address.
    assert Notice.objects.filter(term=term).count() == 3
    assert set(Notice.objects.values_list("channel", flat=True)) == {NoticeChannel.IN_APP}


def test_a_holiday_is_not_a_working_day_for_reminders(cast):
    """Independence Day, 16 December 2026, is a day off: 1 working day before Thursday the 17th
    is Tuesday the 15th."""
    term = _term(cast, date(2026, 12, 17))
    reminders.send_reminders(date(2026, 12, 15))
    assert _kinds(term=term) == [(NoticeKind.REMINDER_1_DAY, NoticeChannel.IN_APP)]


def test_a_term_first_seen_late_gets_only_the_nearest_reminder(cast):
    term = _term(cast, date(2026, 12, 1))
    reminders.send_reminders(date(2026, 12, 1))
    assert _kinds(term=term) == [(NoticeKind.DUE_TODAY, NoticeChannel.IN_APP)]


def _statutory(cast, kind: TermKind, start: date):
    """A term of `kind` counted by its article from `start`, on district A's prosecutor."""
    return terms.open_term(
        subject=get_user_model().objects.create(username=f"subject-{next(_subjects)}"),
        kind=kind,
        office=cast.district_a,
        start_date=start,
        start_event="registered",
        responsible=cast.a_user,
    )


def test_an_extended_term_is_reminded_again_for_its_new_date(cast):
    """Art. 18(4): a check extended by 10 more working days; the reminders follow the new date."""
    term = _statutory(cast, TermKind.CHECK_DURATION, date(2026, 10, 14))
    first_due = term.due_date
    reminders.send_reminders(first_due)
    term = terms.extend_term(
        term, by=cast.region_user, reason="expert examination", length=10, on=first_due
    )
    assert term.reminder_stage == 0
    reminders.send_reminders(term.due_date)
    dues = sorted(
        Notice.objects.filter(term=term, kind=NoticeKind.DUE_TODAY).values_list("key", flat=True)
    )
    assert (
        len(dues) == 2
        and str(first_due) in dues[0] + dues[1]
        and str(term.due_date) in "".join(dues)
    )


def test_a_term_with_nobody_named_reminds_the_head_of_the_office(cast, heads):
    term = _term(cast, date(2026, 12, 1), responsible=None)
    reminders.send_reminders(date(2026, 12, 1))
    assert _kinds(heads, term=term) == [(NoticeKind.DUE_TODAY, NoticeChannel.IN_APP)]


def test_suspended_met_and_cancelled_terms_get_no_reminders(cast):
    met = _term(cast, date(2026, 12, 1))
    terms.meet_term(met, on=date(2026, 11, 20), system=True)
    cancelled = _term(cast, date(2026, 12, 1))
    terms.cancel_term(cancelled, reason="withdrawn", by=None, system=True)
    reminders.send_reminders(date(2026, 12, 1))
    assert not Notice.objects.exists()


# Missed terms and escalation -------------------------------------------------------------------


def test_a_missed_term_goes_to_the_person_the_head_and_the_superior_office(cast, heads):
    """Overdue from the day after the due date (docs/rules.md); the superior office answers for the
    inferior (Art. 5(2))."""
    term = _term(cast, date(2026, 12, 1))
    assert terms.mark_missed(date(2026, 12, 1)) == 0  # the due day itself is still in time
    assert terms.mark_missed(date(2026, 12, 2)) == 1
    assert terms.mark_missed(date(2026, 12, 2)) == 0
    term.refresh_from_db()
    assert term.state == TermState.MISSED
    assert _kinds(cast.a_user, term=term) == [
        (NoticeKind.MISSED, NoticeChannel.EMAIL),
        (NoticeKind.MISSED, NoticeChannel.IN_APP),
    ]
    assert _kinds(heads, term=term) == [(NoticeKind.ESCALATION_HEAD, NoticeChannel.IN_APP)]
    assert _kinds(cast.region_user, term=term) == [
        (NoticeKind.ESCALATION_SUPERIOR, NoticeChannel.IN_APP)
    ]
    assert Notice.objects.count() == 4


def test_heads_hear_of_a_nights_missed_terms_in_one_list_each(cast, heads):
    """Art. 5(2): the person hears of each missed term; the head of the office and the head of
    the superior office get one notice listing them (with the dashboard's link), not one each.
    The head's own missed term reaches them as the person responsible, not in the list."""
    labels = ["Request No. 1", "Request No. 2", "Request No. 3"]
    for label in labels:
        _term(cast, date(2026, 12, 1), label=label)
    _term(cast, date(2026, 12, 1), responsible=heads, label="The head's own")
    assert terms.mark_missed(date(2026, 12, 2)) == 4
    assert _kinds(cast.a_user).count((NoticeKind.MISSED, NoticeChannel.IN_APP)) == 3
    (to_head,) = Notice.objects.filter(recipient=heads, kind=NoticeKind.ESCALATION_HEAD)
    (to_superior,) = Notice.objects.filter(
        recipient=cast.region_user, kind=NoticeKind.ESCALATION_SUPERIOR
    )
    assert to_head.term is None and to_head.context["count"] == 3
    assert [item["label"] for item in to_head.context["items"]] == labels
    assert to_superior.context["count"] == 4
    assert _kinds(heads, kind=NoticeKind.MISSED) == [(NoticeKind.MISSED, NoticeChannel.IN_APP)]
    to_superior.language = "en"
    title, body = outbox.render(to_superior)
    assert title == f"A subordinate office missed 4 terms: {cast.district_a.name_en}"
    assert all(label in body for label in [*labels, "The head's own"])
    assert f"/dashboard/?office={cast.district_a.code}&state=missed&list=1" in body
    title, body = outbox.render(to_head)  # in Russian, the head's language
    assert "3" in title and "Request No. 2" in body


def test_a_list_of_missed_terms_names_the_first_twenty_and_counts_the_rest(cast, heads):
    for n in range(23):
        _term(cast, date(2026, 12, 1), label=f"Request No. {n}")
    terms.mark_missed(date(2026, 12, 2))
    (to_head,) = Notice.objects.filter(recipient=heads, kind=NoticeKind.ESCALATION_HEAD)
    assert len(to_head.context["items"]) == 20 and to_head.context["more"] == 3
    to_head.language = "en"
    assert "… and 3 more" in outbox.render(to_head)[1]


def test_a_vacant_head_post_escalates_to_the_deputy(cast):
    deputy = make_staff("deputy_a", cast.district_a, Position.DEPUTY_HEAD)
    term = _term(cast, date(2026, 12, 1))
    terms.mark_missed(date(2026, 12, 2))
    assert _kinds(deputy, term=term) == [(NoticeKind.ESCALATION_HEAD, NoticeChannel.IN_APP)]


def test_notices_are_written_in_the_transaction_of_their_cause(cast, heads):
    _term(cast, date(2026, 12, 1))
    with pytest.raises(RuntimeError), transaction.atomic():
        terms.mark_missed(date(2026, 12, 2))
        assert Notice.objects.count() == 4
        raise RuntimeError("the sweep died before it committed")
    # Neither the state nor the notices: the next sweep does both, once.
    assert not Notice.objects.exists()
    assert terms.mark_missed(date(2026, 12, 2)) == 1
    assert Notice.objects.count() == 4


def test_a_classified_term_is_not_named_in_any_notice(cast, heads, settings):
    """docs/rules.md "Secrecy": e-mail and in-app lists are not cleared channels."""
    term = _term(cast, date(2026, 12, 1), label="Operation Steppe Wind", is_classified=True)
    terms.mark_missed(date(2026, 12, 2))
    for notice in Notice.objects.filter(term=term):
        outbox.deliver(notice.pk)
        notice.refresh_from_db()
        assert notice.state == NoticeState.SENT
        assert "Steppe" not in notice.title + notice.body + json.dumps(notice.context)
    assert mail.outbox and all("Steppe" not in m.subject + m.body for m in mail.outbox)


# Delivery --------------------------------------------------------------------------------------


def test_each_notice_is_rendered_in_its_recipients_language(cast, heads):
    cast.a_user.staff_profile.language = "kk"
    cast.a_user.staff_profile.save()
    _term(cast, date(2026, 12, 1))
    terms.mark_missed(date(2026, 12, 2))
    for notice in Notice.objects.all():
        assert outbox.deliver(notice.pk) == "sent"
    kk = Notice.objects.get(recipient=cast.a_user, channel=NoticeChannel.EMAIL)
    ru = Notice.objects.get(recipient=heads)
    assert kk.language == "kk" and "мерзім" in kk.title.lower()
    assert ru.language == "ru" and "срок" in ru.title.lower()
    assert "01.12.2026" in kk.body and "Request to the akimat No. 7" in kk.body
    (message,) = mail.outbox
    assert message.to == ["a@prokuror.kz"] and message.subject == kk.title
    assert message.extra_headers["Message-ID"] == f"<{kk.uuid}@prosecution.local>"


def test_a_citizen_is_told_in_the_language_of_the_appeal_by_email_and_sms(cast, settings, tmp_path):
    """Art. 24(5) and 24(7): the applicant hears of the extension, in the appeal's language."""
    settings.SMS_FILE_DIR = tmp_path
    outbox.channels.sms_gateway.cache_clear()
    texts = {}
    for n, language in enumerate(("kk", "ru", "en")):
        subject = get_user_model().objects.create(username=f"appeal-{language}")
        with transaction.atomic():
            outbox.notify_applicant(
                kind=NoticeKind.EXTENSION_TO_APPLICANT,
                subject=subject,
                term=None,
                language=language,
                email=f"citizen{n}@mail.kz",
                phone=f"+7701000000{n}",
                context={
                    "reference": f"A-{n}",
                    "received": "2026-11-02",
                    "due": "2026-12-30",
                    "reason": "Expert opinion awaited",
                    "office_id": cast.district_a.pk,
                },
            )
        for notice in Notice.objects.filter(subject_id=subject.pk):
            assert outbox.deliver(notice.pk) == "sent"
            notice.refresh_from_db()
            texts[language, notice.channel] = notice.body
    assert "ұзартылды" in texts["kk", "email"] and "30.12.2026" in texts["kk", "email"]
    assert "продлён до 30.12.2026" in texts["ru", "email"]
    assert "extended until 30.12.2026" in texts["en", "email"]
    assert "District A" in texts["en", "email"] and "District A (ru)" in texts["ru", "email"]
    sms = sorted(tmp_path.glob("*.json"))
    assert len(sms) == 3
    assert {json.loads(p.read_text())["to"] for p in sms} == {
        "+77010000000",
        "+77010000001",
        "+77010000002",
    }
    assert all(len(texts[lang, "sms"]) <= 160 for lang in ("ru", "en"))
    outbox.channels.sms_gateway.cache_clear()


def test_an_sms_delivered_again_is_not_sent_twice(cast, settings, tmp_path):
    """The gateway is given the notice's UUID as idempotency key: a retry after a worker died
    between the gateway and the outbox finds the message already there."""
    gateway = outbox.channels.FileSmsGateway(tmp_path)
    for _ in range(2):
        gateway.send(phone="+77010000000", text="x", idempotency_key="same")
    assert len(list(tmp_path.iterdir())) == 1


def _failing_notice(cast):
    _term(cast, date(2026, 12, 1))
    cast.a_user.email = "a@prokuror.kz"
    cast.a_user.save()
    reminders.send_reminders(date(2026, 12, 1))
    return Notice.objects.get(channel=NoticeChannel.EMAIL)


def test_a_failing_channel_is_retried_with_backoff_then_failed_for_the_admins(cast, settings):
    settings.EMAIL_BACKEND = "tests.prosecution.notices.test_notices.BrokenMailBackend"
    notice = _failing_notice(cast)
    now = notice.next_attempt_at
    waits = []
    for attempt in range(1, settings.NOTICE_MAX_ATTEMPTS + 1):
        result = outbox.deliver(notice.pk, now=now)
        notice.refresh_from_db()
        assert notice.attempts == attempt
        if attempt < settings.NOTICE_MAX_ATTEMPTS:
            assert result == "retry" and notice.state == NoticeState.QUEUED
            assert "mail server down" in notice.last_error
            waits.append(notice.next_attempt_at - now)
            assert outbox.deliver(notice.pk, now=now) == "not claimed"  # not before its time
            now = notice.next_attempt_at
    assert result == "failed" and notice.state == NoticeState.FAILED
    assert waits == [timedelta(minutes=m) for m in (1, 3, 9, 27, 81)]
    # An administrator fixes the mail server and retries.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.retry_failed(Notice.objects.all()) == 1
    notice.refresh_from_db()
    assert outbox.deliver(notice.pk, now=notice.next_attempt_at) == "sent"


def test_a_permanent_refusal_fails_at_once(cast, settings):
    settings.EMAIL_BACKEND = "tests.prosecution.notices.test_notices.RefusingMailBackend"
    notice = _failing_notice(cast)
    assert outbox.deliver(notice.pk) == "failed"
    notice.refresh_from_db()
    assert notice.attempts == 1 and notice.state == NoticeState.FAILED


def test_a_notice_of_a_dead_worker_is_rescued_after_its_lease(cast, settings):
    notice = _failing_notice(cast)
    claimed_at = notice.next_attempt_at
    # A worker claimed it and died before it could say how it went.
    Notice.objects.filter(pk=notice.pk).update(
        state=NoticeState.SENDING, claimed_at=claimed_at, attempts=1
    )
    assert outbox.rescue(claimed_at + timedelta(seconds=settings.NOTICE_LEASE_SECONDS - 1)) == 0
    assert outbox.rescue(claimed_at + timedelta(seconds=settings.NOTICE_LEASE_SECONDS + 1)) == 1
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    assert notice.attempts == 2 and len(mail.outbox) == 1


def test_a_worker_that_lost_its_lease_does_not_overwrite_the_new_claim(cast):
    notice = _failing_notice(cast)
    mine = Notice.objects.filter(
        pk=notice.pk, state=NoticeState.SENDING, claimed_at=notice.next_attempt_at
    )
    Notice.objects.filter(pk=notice.pk).update(
        state=NoticeState.SENDING, claimed_at=notice.created_at
    )
    assert mine.update(state=NoticeState.SENT) == 0


def test_dispatch_queues_a_notice_again_only_when_its_message_may_be_lost(
    cast, settings, monkeypatch
):
    """A message lost with a flushed broker or a dead worker is put on the broker again by a
    later sweep; within NOTICE_REQUEUE_SECONDS it is not, so a backlog is not multiplied."""
    from prosecution.notices import tasks

    notice = _failing_notice(cast)
    sent = []
    monkeypatch.setattr(tasks.deliver_notices, "delay", sent.extend)
    now = notice.next_attempt_at
    everything = sorted(Notice.objects.values_list("pk", flat=True))
    assert sorted(outbox.dispatch(now)) == everything
    assert outbox.dispatch(now + timedelta(seconds=10)) == []
    later = now + timedelta(seconds=settings.NOTICE_REQUEUE_SECONDS + 1)
    assert sorted(outbox.dispatch(later)) == everything
    assert sorted(sent) == sorted(everything * 2)


def test_dispatch_puts_a_batch_of_notices_on_the_broker_per_message(cast, monkeypatch):
    """One broker message per DELIVERY_BATCH notices, in the order their attempts came due (one
    per notice cost the morning sweep 6 s at a million terms: bench/README.md)."""
    from prosecution.notices import tasks

    for n in range(3):
        _term(cast, date(2026, 12, 1) + timedelta(days=n))
    cast.a_user.email = "a@prokuror.kz"
    cast.a_user.save()
    reminders.send_reminders(date(2026, 12, 1))  # 2 due today, 1 tomorrow: e-mail and in-app
    messages = []
    monkeypatch.setattr(tasks.deliver_notices, "delay", messages.append)
    monkeypatch.setattr(outbox, "DELIVERY_BATCH", 4)
    ids = outbox.dispatch()
    assert len(ids) == Notice.objects.count() == 6
    assert messages == [ids[:4], ids[4:]]


class CountingMailBackend(MemoryMailBackend):
    """The test's mail server: counts the connections opened, and drops the one after the
    first message (as a server that closes an idle or overloaded connection)."""

    opened = 0
    fail_next = False

    def open(self):
        type(self).opened += 1
        self.alive = True
        return True

    def close(self):
        self.alive = False

    def send_messages(self, messages):
        if not getattr(self, "alive", False):
            raise ConnectionRefusedError("not connected")
        if type(self).fail_next:
            type(self).fail_next = False
            self.alive = False
            raise ConnectionResetError("the server closed the connection")
        return super().send_messages(messages)


def _emails(cast, count: int) -> list[int]:
    for n in range(count):
        _term(cast, date(2026, 12, 1), label=f"Request No. {n}")
    cast.a_user.email = "a@prokuror.kz"
    cast.a_user.save()
    reminders.send_reminders(date(2026, 12, 1))
    return list(
        Notice.objects.filter(channel=NoticeChannel.EMAIL)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_a_batch_sends_its_emails_over_one_connection_and_reconnects_after_a_failure(
    cast, settings
):
    settings.EMAIL_BACKEND = "tests.prosecution.notices.test_notices.CountingMailBackend"
    CountingMailBackend.opened = 0
    ids = _emails(cast, 4)
    outcomes, rest = outbox.deliver_batch(ids, until=time.monotonic() + 60)
    assert outcomes == {"sent": 4} and rest == []
    assert CountingMailBackend.opened == 1 and len(mail.outbox) == 4
    # A connection the server drops fails that notice's attempt (retried with backoff); the next
    # e-mail of the batch goes over a new connection.
    Notice.objects.filter(pk__in=ids).update(state=NoticeState.QUEUED, body="")
    CountingMailBackend.opened, CountingMailBackend.fail_next = 0, True
    outcomes, _ = outbox.deliver_batch(ids, until=time.monotonic() + 60)
    assert outcomes == {"retry": 1, "sent": 3}
    assert CountingMailBackend.opened == 2
    assert "the server closed the connection" in Notice.objects.get(pk=ids[0]).last_error


def test_a_batch_whose_time_is_up_claims_nothing_more_and_hands_the_rest_on(
    cast, settings, monkeypatch
):
    """Exactly-once rests on this: a notice is claimed only while its task may still run, and the
    task's hard time limit (60 s) is below the lease, so no notice is rescued from a live worker
    and sent twice. What the batch did not reach goes to a new task at once."""
    from prosecution.notices import tasks

    ids = _emails(cast, 3)
    clock = iter([10.0, 20.0, 31.0])  # the third notice is reached after the 30 s allowed
    outcomes, rest = outbox.deliver_batch(ids, until=30.0, clock=lambda: next(clock))
    assert outcomes == {"sent": 2} and rest == ids[2:]
    assert Notice.objects.get(pk=ids[2]).state == NoticeState.QUEUED  # not claimed
    # The task hands what it did not reach to a new task at once.
    handed = []
    monkeypatch.setattr(tasks.deliver_notices, "delay", handed.append)
    monkeypatch.setattr(tasks, "DELIVERY_SECONDS", -1)
    assert tasks.deliver_notices(ids[2:]) == {"handed_on": 1}
    assert handed == [ids[2:]]
    assert tasks.deliver_notices.soft_time_limit > tasks.DELIVERY_SECONDS + settings.EMAIL_TIMEOUT
    for task in (tasks.deliver_notices, tasks.deliver_notice):
        assert task.time_limit < settings.NOTICE_LEASE_SECONDS


# The sweep, the digest and the calendar --------------------------------------------------------


def test_the_sweep_marks_reminds_and_delivers_in_one_run(cast, heads):
    _term(cast, date(2026, 12, 1))
    _term(cast, date(2026, 12, 3))
    with time_machine.travel(_at(date(2026, 12, 2), 8), tick=False):
        report = sweep_terms()
    # One missed (to the person by e-mail and in the system, the head, the region's head) and one
    # reminder 1 working day before (e-mail and in the system).
    assert report["missed"] == 1 and report["reminders"] == 2
    assert report["queued"] == Notice.objects.count() == 6
    assert set(Notice.objects.values_list("state", flat=True)) == {NoticeState.SENT}


def test_the_digest_goes_once_a_working_day_at_nine(cast, heads):
    cast.a_user.email = ""
    cast.a_user.save()
    _term(cast, date(2026, 12, 1))
    _term(cast, date(2026, 12, 10), label="Answer to Mr Abenov")
    monday = date(2026, 11, 30)
    with time_machine.travel(_at(monday, 8), tick=False):
        assert "digests" not in sweep_terms()
    with time_machine.travel(_at(monday, 9), tick=False):
        assert sweep_terms()["digests"] == 1
    with time_machine.travel(_at(monday, 15), tick=False):
        assert "digests" not in sweep_terms()
    with time_machine.travel(_at(date(2026, 12, 5), 10), tick=False):  # Saturday
        assert "digests" not in sweep_terms()
    digest = Notice.objects.get(kind=NoticeKind.DIGEST)
    assert digest.recipient == cast.a_user and digest.channel == NoticeChannel.IN_APP
    assert "Answer to Mr Abenov" in digest.body and "10.12.2026" in digest.body
    assert digest.state == NoticeState.SENT


def test_the_digest_counts_every_term_and_lists_the_20_most_urgent(cast, heads):
    """Counted and picked in the database (prosecution/terms/reminders.py), as the dashboard's
    bands: open and not yet due, suspended (whatever its stored date: its clock stands still, Art.
    18(4)), missed (marked, or open and due before today); the 20 earliest by due date, then by
    age, and how many more."""
    today = date(2026, 12, 14)  # a Monday
    opened = [_term(cast, today + timedelta(days=n % 9), label=f"Item {n}") for n in range(22)]
    missed = _term(cast, date(2026, 12, 9), label="Late one")
    terms.mark_missed(today=date(2026, 12, 10))
    overdue = _term(cast, date(2026, 12, 11), label="Not yet marked")
    check = terms.open_term(
        subject=get_user_model().objects.create(username="checked"),
        kind=TermKind.CHECK_DURATION,
        office=cast.district_a,
        start_date=date(2026, 10, 1),
        start_event="order",
        responsible=cast.a_user,
    )
    terms.suspend_term(check, on=date(2026, 10, 5), reason="expertise", by=None, system=True)
    assert check.due_date < today
    _term(cast, today, responsible=cast.b_user)  # someone else's
    terms.meet_term(opened.pop(), on=today, system=True)  # closed: not listed
    reminders.send_digests(today)
    context = Notice.objects.get(kind=NoticeKind.DIGEST, recipient=cast.a_user).context
    mine = sorted([*opened, missed, overdue, check], key=lambda t: (t.due_date, t.pk))
    assert (context["open"], context["suspended"], context["missed"]) == (21, 1, 2)
    assert [item["uuid"] for item in context["items"]] == [str(t.uuid) for t in mine[:20]]
    assert context["more"] == len(mine) - 20 == 4
    assert Notice.objects.filter(kind=NoticeKind.DIGEST, recipient=cast.b_user).exists()


def test_a_calendar_change_tells_the_person_the_old_and_new_date(cast):
    """A decree makes Monday 30 November 2026 a day off: a 15-working-day term moves a day."""
    term = _statutory(cast, TermKind.APPEAL_ANSWER, date(2026, 11, 20))
    old_due = term.due_date
    CalendarDay.objects.create(
        date=date(2026, 11, 30), kind=CalendarDayKind.DAY_OFF, legal_source="Decree (test)"
    )
    changed = terms.recompute_after_calendar_change()
    assert [(m.term_id, m.old_due) for m in changed] == [(term.pk, old_due)]
    notice = Notice.objects.get(kind=NoticeKind.DUE_DATE_CHANGED, channel=NoticeChannel.IN_APP)
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    term.refresh_from_db()
    assert (
        old_due.strftime("%d.%m.%Y") in notice.body
        and term.due_date.strftime("%d.%m.%Y") in notice.body
    )
    # Recomputed once: a second run changes nothing and tells nobody again.
    assert terms.recompute_after_calendar_change() == []
    assert Notice.objects.filter(kind=NoticeKind.DUE_DATE_CHANGED).count() == 1


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class RefusingMailBackend(BrokenMailBackend):
    def send_messages(self, messages):
        from prosecution.notices.channels import DeliveryError

        raise DeliveryError("recipient refused", permanent=True)


# The bell and the administrators ---------------------------------------------------------------


def _delivered_reminder(cast, heads):
    _term(cast, date(2026, 12, 1))
    terms.mark_missed(date(2026, 12, 2))
    for notice in Notice.objects.all():
        outbox.deliver(notice.pk)


def test_the_bell_counts_and_lists_only_my_delivered_notices(cast, heads, client):
    _delivered_reminder(cast, heads)
    client.force_login(cast.a_user)
    page = client.get("/notices/")
    assert page.status_code == 200
    assert page.context["unread_notices"]() == 1
    assert b'data-testid="unread-count">1<' in page.content
    assert [n.recipient for n in page.context["page"].object_list] == [cast.a_user]
    mine = Notice.objects.get(recipient=cast.a_user, channel=NoticeChannel.IN_APP)
    # The head's notice cannot be marked read by someone else.
    theirs = Notice.objects.get(recipient=heads)
    client.post("/notices/", {"notice": [str(theirs.uuid), "not-a-uuid"]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post("/notices/", {"notice": str(mine.uuid)})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert b'data-testid="unread-count"' not in client.get("/notices/").content


def test_failed_notices_show_up_for_administrators(cast, heads, client, settings):
    _delivered_reminder(cast, heads)
    Notice.objects.filter(channel=NoticeChannel.EMAIL).update(state=NoticeState.FAILED)
    admin = make_staff("admin", cast.gpo, Position.CLERK)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    home = client.get("/work/")
    assert b'data-testid="failed-notices"' in home.content
    changelist = client.get("/admin/prosecution/notice/?state__exact=failed")
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1
    client.force_login(cast.a_user)
    assert b'data-testid="failed-notices"' not in client.get("/work/").content


def test_only_one_beat_holds_the_lock_on_the_embedded_default(settings, tmp_path):
    """Two beats on one machine (SQLite): an exclusive flock on var/beat.lock."""
    from prosecution import beat_lock

    settings.VAR_DIR = tmp_path
    first, second = (
        beat_lock._FileLock(tmp_path / "beat.lock"),
        beat_lock._FileLock(tmp_path / "beat.lock"),
    )
    assert first.acquire() and not second.acquire()
    first.release()
    assert second.acquire()
    second.release()
