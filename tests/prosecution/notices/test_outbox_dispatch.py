"""What the outbox puts on the broker (issue 13): each commit the messages of its own notices and
nothing else; the demo seed nothing at all. A message per commit that asked a worker to "look for
work" left ~730 of them on the embedded broker after `make run`'s seed, and a citizen's one-time
code waited minutes behind them (tests/integration/test_make_run_codes.py runs the real
processes)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from prosecution.models import Notice, NoticeChannel, NoticeKind, NoticeState
from prosecution.notices import channels, outbox, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """The messages put on the broker, by task name (none is run)."""
    sent = {"deliver": [], "dispatch": []}
    monkeypatch.setattr(tasks.deliver_notices, "delay", lambda ids: sent["deliver"].append(ids))
    monkeypatch.setattr(tasks.dispatch_notices, "delay", lambda: sent["dispatch"].append(None))
    return sent


def _code_notice(n: int) -> list:
    recipients = outbox.applicant_recipients(language="ru", phone=f"+7707123{n:04d}")
    return outbox.build(
        kind=NoticeKind.ONE_TIME_CODE,
        key=f"test-code-{n}",
        recipients=recipients,
        context={"code": "123456", "minutes": 10},
    )


def test_a_commit_puts_its_own_notices_on_the_broker_and_nothing_else(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.save(_code_notice(1))  # written earlier, not yet dispatched: not this commit's
    broker["deliver"].clear()
    Notice.objects.update(enqueued_at=None)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.save(_code_notice(2))
    mine = Notice.objects.get(key__startswith="test-code-2")
    assert broker == {"deliver": [[mine.pk]], "dispatch": []}


def test_notices_written_under_held_wait_for_their_caller(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), outbox.held():
        outbox.save(_code_notice(3))
    assert broker == {"deliver": [], "dispatch": []}
    assert outbox.deliver_here() == {"sent": 1}
    assert Notice.objects.get().state == NoticeState.SENT


def test_the_demo_seed_leaves_nothing_for_the_outbox_on_the_broker(
    broker, settings, tmp_path, django_capture_on_commit_callbacks
):
    """`make run` seeds, then starts the worker: the seed's notices are delivered by the seed."""
    settings.SMS_FILE_DIR = tmp_path / "sms"
    channels.sms_gateway.cache_clear()  # built once per process, for the directory of its time
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    channels.sms_gateway.cache_clear()
    assert broker == {"deliver": [], "dispatch": []}
    written = Notice.objects.all()
    assert written.filter(channel=NoticeChannel.SMS).exists()
    assert not written.exclude(state=NoticeState.SENT).exists()
