"""The notice outbox (healthchecks' way, with Celery as the hands):

1. write: a service writes notice rows in the same transaction as the change that causes them;
   the unique key makes a second write of the same notice a no-op;
2. dispatch: once the transaction that wrote them commits, the notices it wrote are claimed and
   their ids put on the broker, DELIVERY_BATCH to a message; the sweep (every minute) does the
   same for whatever is left (a retry whose time has come, a message lost with a dead worker or
   a flushed Redis);
3. deliver: a worker (a task per DELIVERY_BATCH notices) claims each notice with a conditional
   UPDATE (queued → sending), renders it in its language, hands it to the channel with the
   notice's UUID as idempotency key, and records the result: sent, or queued again with backoff,
   or failed after NOTICE_MAX_ATTEMPTS;
4. rescue: a notice left "sending" longer than NOTICE_LEASE_SECONDS (its worker died) is queued
   again. The lease is longer than the delivery task's hard time limit, so a live worker has
   always finished or been killed before its notice is rescued.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import KombuError

from prosecution.lib import bulk
from prosecution.models import (
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeState,
    Office,
    Term,
    TermKind,
)
from prosecution.notices import channels
from prosecution.notices.signals import delivered
from prosecution.notices.tasks import deliver_notices

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    channel: NoticeChannel
    language: str
    user_id: int | None = None
    address: str = ""


def staff_recipients(user: User) -> list[Recipient]:
    """A member of staff hears in the system and, if they have an address, by e-mail, in the
    language of their profile."""
    profile = getattr(user, "staff_profile", None)
    if not user.is_active or profile is None or not profile.is_active:
        return []
    language = profile.language
    found = [Recipient(NoticeChannel.IN_APP, language, user_id=user.pk)]
    if user.email:
        found.append(Recipient(NoticeChannel.EMAIL, language, user_id=user.pk, address=user.email))
    return found


def applicant_recipients(*, language: str, email: str = "", phone: str = "") -> list[Recipient]:
    """A citizen or an organisation hears by e-mail and SMS, in the language of their appeal
    (Art. 24(7)); another language of the appeal gets Russian, the language of interethnic
    communication used by the state bodies alongside Kazakh (Constitution Art. 7(2))."""
    language = language if language in dict(settings.LANGUAGES) else "ru"
    found = []
    if email:
        found.append(Recipient(NoticeChannel.EMAIL, language, address=email))
    if phone:
        found.append(Recipient(NoticeChannel.SMS, language, address=phone))
    return found


def notify_applicant(
    *,
    kind: NoticeKind,
    subject: models.Model,
    term: Term | None,
    language: str,
    email: str = "",
    phone: str = "",
    context: dict[str, Any],
) -> None:
    """A notice to a citizen or an organisation about their record (e.g. Art. 24(5): the
    extension of their appeal), by e-mail and SMS, in the language of the appeal. Call it inside
    the transaction of the decision it reports."""
    key = notice_key(subject._meta.label_lower, subject.pk, kind, term.pk if term else "-")
    recipients = applicant_recipients(language=language, email=email, phone=phone)
    save(
        build(
            kind=kind, key=key, recipients=recipients, context=context, term=term, subject=subject
        )
    )


def term_context(term: Term) -> dict:
    """What a notice about a term says. A classified term is named by its kind and office only:
    e-mail and in-app lists are not cleared channels (docs/rules.md "Secrecy")."""
    return {
        "term_uuid": str(term.uuid),
        "kind": term.kind,
        "article": term.legal_basis,
        "due": term.due_date.isoformat(),
        "office_id": term.office_id,
        "label": "" if term.is_classified else term.subject_label,
        "classified": term.is_classified,
    }


def notice_key(*parts: object) -> str:
    return ":".join(str(part) for part in parts)[:200]


@dataclass(frozen=True, slots=True)
class Draft:
    """A notice to write (a Notice row): what one notice says and to whom. The columns it leaves
    out take the model's defaults when it is saved (queued, no attempt yet ...)."""

    key: str
    kind: str
    channel: str
    language: str
    context: dict
    next_attempt_at: datetime
    term_id: int | None = None
    subject_type_id: int | None = None
    subject_id: int | None = None
    recipient_id: int | None = None
    address: str = ""


_DRAFTED = tuple(field.name for field in dataclasses.fields(Draft))


def build(
    *,
    kind: NoticeKind,
    key: str,
    recipients: Iterable[Recipient],
    context: dict[str, Any],
    term: Term | None = None,
    subject: models.Model | None = None,
    now: datetime | None = None,
) -> list[Draft]:
    """Notices to write, one per recipient and channel; `key` names the record, the kind and the
    term (the recipient and channel are added). Drafts, not model instances: the morning sweep
    writes a hundred thousand of them."""
    now = now or timezone.now()
    subject_type = ContentType.objects.get_for_model(subject).pk if subject is not None else None
    return [
        Draft(
            key=notice_key(key, recipient.channel, recipient.user_id or recipient.address),
            kind=kind,
            channel=recipient.channel,
            language=recipient.language,
            context=context,
            next_attempt_at=now,
            term_id=term.pk if term is not None else None,
            subject_type_id=subject_type,
            subject_id=subject.pk if subject is not None else None,
            recipient_id=recipient.user_id,
            address=recipient.address,
        )
        for recipient in recipients
    ]


def save(notices: list[Draft]) -> None:
    """Insert the rows; a row whose key exists is skipped (ON CONFLICT DO NOTHING): the same
    notice is never written twice. Must run inside the transaction of the change that causes the
    notices; once it commits, they are dispatched at once (unless held(): the caller
    dispatches)."""
    if not notices:
        return
    rows = [{name: getattr(draft, name) for name in _DRAFTED} for draft in notices]
    bulk.insert(Notice, rows, ignore_conflicts=True)
    if not _held.get():
        keys = [draft.key for draft in notices]
        transaction.on_commit(functools.partial(_dispatch_saved, keys))


def _dispatch_saved(keys: list[str]) -> None:
    """After the commit, the notices just written go to the broker, and only they (issue 13).
    A message per commit that asked a worker to look for work ("dispatch") put 730 such
    messages on the broker during the demo seed, each found nothing but the notices of its own
    commit, and a citizen's one-time code queued behind them for minutes; claimed here, a commit
    puts on the broker the messages of its own notices, or none. A broker that does not answer
    fails no request: the notices are claimed, and the sweep queues them again after
    NOTICE_REQUEUE_SECONDS."""
    try:
        dispatch(keys=keys)
    except KombuError as error:
        log.warning(
            "outbox: the broker refused %s notices (the sweep queues them): %s", len(keys), error
        )


# Saves under held() leave their notices for the caller, who delivers them at once.
_held: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_held", default=False)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Notices saved inside are written but not dispatched on commit: the demo seed writes
    ~800 notices in ~700 transactions and delivers them itself at the end (deliver_here), so
    that `make run` starts with nothing on the broker."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


# Delivery -------------------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """1, 3, 9, 27, 81 minutes after attempts 1-5: about two hours before a notice fails."""
    return timedelta(seconds=settings.NOTICE_BACKOFF_SECONDS * 3 ** (attempts - 1))


# Notices per broker message. One message per notice cost the morning sweep 6 s for 5,000
# (Celery's `delay`, ~1 ms each); a batch also sends its e-mails over one SMTP connection.
DELIVERY_BATCH = 50


def dispatch(
    now: datetime | None = None, limit: int = 5000, keys: list[str] | None = None
) -> list[int]:
    """Queue for delivery the notices whose attempt has come and that are not on the broker
    already (or were put there long enough ago that the message may be lost), DELIVERY_BATCH to
    a message; with `keys`, only those notices (the ones a transaction has just written)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NOTICE_REQUEUE_SECONDS)
    due = (
        Notice.objects.filter(state=NoticeState.QUEUED, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
        .order_by("next_attempt_at")
    )
    if keys is not None:
        due = due.filter(key__in=keys)
    with transaction.atomic():
        claimed = bulk.claim(due, limit=limit, fields=["next_attempt_at"], enqueued_at=now)
    ids = [notice.pk for notice in sorted(claimed, key=lambda n: (n.next_attempt_at, n.pk))]
    for start in range(0, len(ids), DELIVERY_BATCH):
        deliver_notices.delay(ids[start : start + DELIVERY_BATCH])
    return ids


def deliver_here(now: datetime | None = None) -> Counter:
    """Deliver every notice whose attempt has come in this process, without the broker: for the
    demo seed (held()), whose notices would otherwise wait on the broker in front of the first
    citizen's code. Each notice is still claimed on its own (deliver)."""
    now = now or timezone.now()
    outcomes: Counter = Counter()
    due = Notice.objects.filter(state=NoticeState.QUEUED, next_attempt_at__lte=now)
    after = 0
    while ids := list(due.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:500]):
        done, _rest = deliver_batch(ids, until=float("inf"))
        outcomes.update(done)
        after = ids[-1]
    return outcomes


def rescue(now: datetime | None = None) -> int:
    """Notices whose worker died while sending: queued again, or failed if out of attempts."""
    now = now or timezone.now()
    expired = Notice.objects.filter(
        state=NoticeState.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTICE_LEASE_SECONDS),
    )
    failed = expired.filter(attempts__gte=settings.NOTICE_MAX_ATTEMPTS).update(
        state=NoticeState.FAILED, last_error="the worker delivering it was lost"
    )
    requeued = expired.update(state=NoticeState.QUEUED, enqueued_at=None)
    if failed or requeued:
        log.warning("outbox: %s notices requeued, %s failed after a lost worker", requeued, failed)
    return requeued


def deliver_batch(
    notice_ids: list[int], *, until: float, clock: Callable[[], float] = time.monotonic
) -> tuple[Counter[str], list[int]]:
    """Deliver notices one after another, each claimed on its own as it comes (deliver), over one
    connection to the mail server. Stops claiming once `clock()` passes `until` and returns
    what happened and the ids it did not reach, for another task. Exactly-once is deliver's: a
    notice is claimed only while the task runs, and the task's hard time limit is below the lease
    (NOTICE_LEASE_SECONDS), so no notice is rescued from a live worker."""
    outcomes: Counter[str] = Counter()
    with channels.Mailer() as mailer:
        for index, pk in enumerate(notice_ids):
            if clock() > until:
                return outcomes, list(notice_ids[index:])
            outcomes[deliver(pk, mailer=mailer)] += 1
    return outcomes, []


def deliver(
    notice_id: int, now: datetime | None = None, mailer: channels.Mailer | None = None
) -> str:
    """Deliver one notice, at most once per claim. Returns what happened (for logs and tests).
    `mailer`: a channels.Mailer whose connection a batch shares."""
    now = now or timezone.now()
    claimed = Notice.objects.filter(
        pk=notice_id, state=NoticeState.QUEUED, next_attempt_at__lte=now
    ).update(state=NoticeState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "not claimed"  # delivered, failed, not yet due, or another worker has it
    notice = Notice.objects.get(pk=notice_id)
    mine = Notice.objects.filter(pk=notice_id, state=NoticeState.SENDING, claimed_at=now)
    try:
        if not notice.body:
            notice.title, notice.body = render(notice)
            mine.update(title=notice.title, body=notice.body)
        channels.transmit(notice, mailer=mailer)
    except Exception as error:
        permanent = isinstance(error, channels.DeliveryError) and error.permanent
        return _record_failure(notice, mine, error, permanent=permanent, now=now)
    if not mine.update(state=NoticeState.SENT, sent_at=timezone.now(), last_error=""):
        log.warning("outbox: notice %s was rescued while this worker sent it", notice_id)
        return "lease lost"
    delivered.send(sender=Notice, notice=notice)
    return "sent"


def _record_failure(
    notice: Notice, mine: QuerySet[Notice], error: Exception, *, permanent: bool, now: datetime
) -> str:
    message = f"{type(error).__name__}: {error}"[:2000]
    if permanent or notice.attempts >= settings.NOTICE_MAX_ATTEMPTS:
        mine.update(state=NoticeState.FAILED, last_error=message)
        log.error("outbox: notice %s failed for good: %s", notice.pk, message)
        return "failed"
    mine.update(
        state=NoticeState.QUEUED,
        last_error=message,
        enqueued_at=None,
        next_attempt_at=now + backoff(notice.attempts),
    )
    log.warning("outbox: notice %s attempt %s failed: %s", notice.pk, notice.attempts, message)
    return "retry"


def retry_failed(queryset: QuerySet[Notice]) -> int:
    """An administrator's decision after fixing the cause: failed notices get a fresh set of
    attempts."""
    return queryset.filter(state=NoticeState.FAILED).update(
        state=NoticeState.QUEUED, attempts=0, enqueued_at=None, next_attempt_at=timezone.now()
    )


def mark_read(user: User, *, uuids: Iterable[UUID | str] | None = None) -> int:
    """The bell: a person marks their own in-app notices read (all of them when `uuids` is None).
    Another person's notice is simply not found."""
    mine = Notice.objects.filter(recipient=user, channel=NoticeChannel.IN_APP, read_at=None)
    if uuids is not None:
        mine = mine.filter(uuid__in=uuids)
    return mine.update(read_at=timezone.now())


# Rendering ------------------------------------------------------------------------------------


def render(
    notice: Notice, *, language: str | None = None, offices: dict | None = None
) -> tuple[str, str]:
    """Title and text of a notice from templates/notices/<kind>/, in `language` (the notice's
    own by default). SMS has a template of its own, short enough for a message. `offices`: the
    offices the notices of a page name, read once for all of them (in_readers_language)."""
    context = _template_context(notice, offices)
    with translation.override(language or notice.language):
        folder = f"notices/{notice.kind}"
        title = render_to_string(f"{folder}/title.txt", context).strip()
        body_template = "sms.txt" if notice.channel == NoticeChannel.SMS else "body.txt"
        body = render_to_string(f"{folder}/{body_template}", context).strip()
    return title[:300], body


def in_readers_language(notices: list[Notice], language: str) -> list[Notice]:
    """The bell shows each notice in the language of the page, not the one it was written in (a
    Kazakh notice on a Russian page, issue 13): an in-app notice keeps its kind and context, and
    is rendered again from them for the reader; what is stored stays what was delivered. The
    offices the notices name are read in one query."""
    others = [n for n in notices if n.language != language and n.channel == NoticeChannel.IN_APP]
    office_ids = {n.context.get("office_id") for n in others} - {None}
    offices = Office.objects.in_bulk(office_ids) if office_ids else {}
    for notice in others:
        notice.title, notice.body = render(notice, language=language, offices=offices)
    return notices


def _template_context(notice: Notice, offices: dict | None = None) -> dict:
    context = dict(notice.context)
    for name in ("due", "old_due", "new_due", "on", "received", "earlier_answered", "month"):
        if isinstance(context.get(name), str):
            context[name] = date.fromisoformat(context[name])
    if "kind" in context:
        context["kind_label"] = TermKind(context["kind"]).label
    for item in context.get("items", []):  # the digest's list
        item["kind_label"] = TermKind(item["kind"]).label
        item["due"] = date.fromisoformat(item["due"])
    if "office_id" in context:
        if offices is not None:
            context["office"] = offices.get(context["office_id"])
        else:
            context["office"] = Office.objects.filter(pk=context["office_id"]).first()
    if notice.recipient_id:
        context["recipient"] = notice.recipient
    context["site_url"] = settings.SITE_URL
    return context
