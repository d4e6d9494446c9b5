"""A signed act whose documents cannot be built (acts/documents.py build_signed): each failed build
leaves its trace on the act, the beat's rescue stops after DOCUMENT_ATTEMPTS, the signatory is
told once, the act's page says so instead of "being prepared", and `manage.py
build_act_documents` builds them once the cause is mended."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from acts import documents, selectors, tasks
from acts.models import ActEventKind
from prosecution.models import Notice, NoticeChannel, NoticeKind
from tests.act_documents_helpers import signed_act
from tests.conftest import sealed_audit_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_store(monkeypatch):
    """The render fails as a full disk would; the message names a path nobody should read."""

    def fail(act, language):
        raise OSError("No space left on device: /srv/private/acts/ab/cd")

    monkeypatch.setattr(documents, "_render", fail)
    return monkeypatch


def _lost_now() -> list[int]:
    return list(selectors.documents_lost(timezone.now() - tasks.DOCUMENTS_LOST_AFTER))


def test_each_failure_is_recorded_and_the_rescue_stops_after_the_attempts(cast, key, broken_store):
    act = signed_act(cast)
    for attempt in range(1, tasks.DOCUMENT_ATTEMPTS + 1):
        assert _lost_now() == [act.pk]  # the rescue still queues it
        with pytest.raises(OSError):
            documents.build_signed(act.pk)
        failures = act.events.filter(kind=ActEventKind.DOCUMENTS_FAILED)
        assert failures.count() == attempt
    # The event names the error's kind, never its message (paths, keys: the worker's log).
    assert set(failures.values_list("reason", flat=True)) == {"OSError"}
    audited = sealed_audit_log().filter(action="act.documents_failed", target_id=str(act.pk))
    assert sorted(r.details["attempt"] for r in audited) == [1, 2, 3]
    assert not act.documents.exists()
    assert _lost_now() == []
    assert tasks.rescue_act_documents() == 0
    assert selectors.documents_given_up(act)


def test_the_signatory_is_told_once_when_the_rescue_gives_up(cast, key, broken_store):
    act = signed_act(cast)
    for _attempt in range(tasks.DOCUMENT_ATTEMPTS + 1):  # one more, by hand, after the rescue's
        with pytest.raises(OSError):
            documents.build_signed(act.pk)
    told = Notice.objects.filter(kind=NoticeKind.ACT_DOCUMENTS_FAILED)
    assert {notice.recipient_id for notice in told} == {act.signatory_id}
    assert told.filter(channel=NoticeChannel.IN_APP).count() == 1


def test_the_page_says_the_document_failed_not_that_it_is_being_prepared(
    client, cast, key, broken_store
):
    act = signed_act(cast)
    client.force_login(cast.a_user)
    url = reverse("act-detail", kwargs={"uuid": act.uuid})
    with translation.override(cast.a_user.staff_profile.language):
        preparing = gettext("The signed document is being prepared.")
        given_up = gettext("The signed document could not be prepared")
    assert preparing in client.get(url).content.decode()
    for _attempt in range(tasks.DOCUMENT_ATTEMPTS):
        with pytest.raises(OSError):
            documents.build_signed(act.pk)
    page = client.get(url).content.decode()
    assert given_up in page
    assert preparing not in page
    assert "No space left" not in page


def test_built_by_hand_once_the_cause_is_mended(cast, key, broken_store):
    act = signed_act(cast)
    for _attempt in range(tasks.DOCUMENT_ATTEMPTS):
        with pytest.raises(OSError):
            documents.build_signed(act.pk)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("build_act_documents", stdout=out)
    assert "failed again (OSError)" in out.getvalue()
    broken_store.undo()  # the disk is freed
    call_command("build_act_documents", stdout=out)
    assert f"{act.register_number}: signed" in out.getvalue()
    assert act.documents.count() == 3
    assert not selectors.documents_given_up(act)
    call_command("build_act_documents", stdout=out)
    assert "no act is waiting" in out.getvalue()


def test_a_lost_message_is_still_rescued_before_any_failure(cast, key):
    """The rescue's first purpose stays: an act whose message was lost is built again."""
    act = signed_act(cast)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert tasks.rescue_act_documents() == 1
    assert act.documents.count() == 3
