"""What the sweep tells people about their terms (issue 3): reminders 3 working days and 1 working
day before the due date and on it; a missed term to the person, the head of the office and the
head of the superior office (Art. 5(2): the superior answers for the inferior); a due date moved
by a change of the calendar; and a daily digest.

Every function here writes notices through the outbox, inside the transaction of the change it
reports, and is idempotent: a term's reminders are claimed by a conditional UPDATE of
`Term.reminder_stage`, and every notice has a unique key, so two sweeps send each once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from prosecution import outbox, workdays
from prosecution.models import (
    ACTIVE_STATES,
    Notice,
    NoticeChannel,
    Office,
    Position,
    StaffProfile,
    Term,
    TermState,
)
from prosecution.models import NoticeKind as K

HEADS = (Position.PROSECUTOR_GENERAL, Position.HEAD)
DEPUTIES = (Position.FIRST_DEPUTY, Position.DEPUTY, Position.DEPUTY_HEAD)
CHUNK = 2000


def _users(ids) -> dict[int, object]:
    users = get_user_model().objects.filter(pk__in=set(ids)).select_related("staff_profile")
    return {user.pk: user for user in users}


def heads_of(office_ids) -> dict[int, list]:
    """The head of each office; where the post is vacant, the deputies (someone answers)."""
    profiles = StaffProfile.objects.filter(
        office_id__in=set(office_ids),
        is_active=True,
        user__is_active=True,
        position__in=HEADS + DEPUTIES,
    ).select_related("user__staff_profile")
    found: dict[int, dict[bool, list]] = defaultdict(lambda: {True: [], False: []})
    for profile in profiles:
        found[profile.office_id][profile.position in HEADS].append(profile.user)
    return {office: by_rank[True] or by_rank[False] for office, by_rank in found.items()}


def reminder_windows(today: date) -> list[tuple[int, K, date, date]]:
    """(stage, kind, after, until): the due dates in (after, until] that each reminder covers
    today, nearest first. Each stage of a due date is sent once (Term.reminder_stage), and a
    nearer one supersedes the farther: a term first seen late gets only the nearest reminder."""
    one, three = workdays.add_working_days(today, 1), workdays.add_working_days(today, 3)
    return [
        (3, K.DUE_TODAY, today - timedelta(days=1), today),
        (2, K.REMINDER_1_DAY, today, one),
        (1, K.REMINDER_3_DAYS, one, three),
    ]


def send_reminders(today: date | None = None) -> int:
    """Remind the responsible person (or, when nobody is named, the head of the office) of each
    open term whose due date is near (sent the day it is first seen inside a window, e.g. when
    it was opened late or the sweep was down)."""
    today = today or timezone.localdate()
    written = 0
    for stage, kind, after, until in reminder_windows(today):
        due = Term.objects.filter(
            state=TermState.OPEN,
            reminder_stage__lt=stage,
            due_date__gt=after,
            due_date__lte=until,
        ).order_by("pk")
        while True:
            with transaction.atomic():
                chunk = list(due.select_for_update(skip_locked=True)[:CHUNK])
                if not chunk:
                    break
                Term.objects.filter(pk__in=[t.pk for t in chunk]).update(reminder_stage=stage)
                notices = _about_terms(chunk, kind, to_heads_if_nobody=True)
                outbox.save(notices)
                written += len(notices)
    return written


def _term_key(term: Term, kind: K) -> str:
    """A notice about a term is keyed by its due date too: a new date is a new notice."""
    return outbox.notice_key("term", term.pk, kind, term.due_date)


def escalate_missed(terms: list[Term]) -> int:
    """A missed term (RULES.md: overdue from the day after the due date): the person, the head of
    the office and the head of the superior office are told. Runs inside mark_missed's
    transaction."""
    notices = _about_terms(terms, K.MISSED, to_heads_if_nobody=False)
    offices = {term.office_id for term in terms}
    parents = dict(
        Office.objects.filter(pk__in=offices, parent__isnull=False).values_list("pk", "parent_id")
    )
    heads = heads_of(offices | set(parents.values()))
    for term in terms:
        context = outbox.term_context(term)
        for kind, office_id in (
            (K.ESCALATION_HEAD, term.office_id),
            (K.ESCALATION_SUPERIOR, parents.get(term.office_id)),
        ):
            for user in heads.get(office_id, []):
                if user.pk == term.responsible_id:
                    continue  # the head who is late hears it once, as the person responsible
                notices += outbox.build(
                    kind=kind,
                    key=_term_key(term, kind),
                    recipients=outbox.staff_recipients(user),
                    context=context,
                    term=term,
                )
    outbox.save(notices)
    return len(notices)


def _about_terms(terms: list[Term], kind: K, *, to_heads_if_nobody: bool) -> list:
    """Unsaved notices of `kind` to the person answering for each term. With
    `to_heads_if_nobody`, a term with nobody named (or whose person has left) goes to the head of
    its office: a reminder that reaches no one protects no one."""
    users = _users(term.responsible_id for term in terms if term.responsible_id)
    heads = heads_of({term.office_id for term in terms}) if to_heads_if_nobody else {}
    notices = []
    for term in terms:
        user = users.get(term.responsible_id)
        recipients = outbox.staff_recipients(user) if user else []
        if not recipients:
            recipients = [
                r for head in heads.get(term.office_id, []) for r in outbox.staff_recipients(head)
            ]
        notices += outbox.build(
            kind=kind,
            key=_term_key(term, kind),
            recipients=recipients,
            context=outbox.term_context(term),
            term=term,
        )
    return notices


def tell_due_date_changed(term: Term, *, old_due: date, event_id: int) -> None:
    """A change of the calendar moved the due date: the person answering for it hears the old
    and the new date (issue 3). Runs inside the recomputation's transaction."""
    user = term.responsible
    if user is None:
        return
    context = outbox.term_context(term) | {"old_due": old_due.isoformat()}
    outbox.save(
        outbox.build(
            kind=K.DUE_DATE_CHANGED,
            key=outbox.notice_key("term", term.pk, K.DUE_DATE_CHANGED, event_id),
            recipients=outbox.staff_recipients(user),
            context=context,
            term=term,
        )
    )


# The daily digest -----------------------------------------------------------------------------

DIGEST_ITEMS = 20


def digest_due(now: datetime | None = None) -> bool:
    """The digest goes at the first sweep at or after 09:00 Almaty time of a working day (staff
    do not work on days off; the next working day's digest lists everything)."""
    now = timezone.localtime(now)
    today = now.date()
    return workdays.is_working_day(today) and now.time() >= time(settings.DIGEST_HOUR)


def send_digests(today: date | None = None) -> int:
    """Each member of staff with open, suspended or missed terms gets one digest a day: the
    counts and the most urgent items. Keyed by person and day, so a second sweep adds nothing;
    the people already served today are skipped in the query."""
    today = today or timezone.localdate()
    kind = K.DIGEST
    already = outbox.notice_key("digest", today)
    served = set(
        Notice.objects.filter(kind=kind, key__startswith=already).values_list(
            "recipient_id", flat=True
        )
    )
    people = (
        Term.objects.filter(state__in=ACTIVE_STATES, responsible__isnull=False)
        .exclude(responsible_id__in=served)
        .values_list("responsible_id", flat=True)
        .distinct()
        .order_by("responsible_id")
    )
    written = 0
    for start in range(0, len(ids := list(people)), 500):
        batch = ids[start : start + 500]
        users = _users(batch)
        items = defaultdict(list)
        terms = (
            Term.objects.filter(responsible_id__in=batch, state__in=ACTIVE_STATES)
            .only(
                "uuid", "kind", "due_date", "state", "subject_label", "is_classified", "responsible"
            )
            .order_by("due_date", "pk")
        )
        for term in terms:
            items[term.responsible_id].append(term)
        notices = []
        for pk in batch:
            user, theirs = users.get(pk), items.get(pk, [])
            if user is None or not theirs:
                continue
            context = _digest_context(theirs, today)
            recipients = [
                r for r in outbox.staff_recipients(user) if r.channel == NoticeChannel.EMAIL
            ]
            notices += outbox.build(
                kind=kind,
                key=outbox.notice_key(already, user.pk),
                recipients=recipients or outbox.staff_recipients(user),
                context=context,
            )
        with transaction.atomic():
            outbox.save(notices)
        written += len(notices)
    return written


def _digest_context(terms: list[Term], today: date) -> dict:
    missed = [t for t in terms if t.state == TermState.MISSED or t.due_date < today]
    return {
        "on": today.isoformat(),
        "open": sum(1 for t in terms if t.state == TermState.OPEN and t.due_date >= today),
        "suspended": sum(1 for t in terms if t.state == TermState.SUSPENDED),
        "missed": len(missed),
        "items": [
            {
                "kind": t.kind,
                "label": "" if t.is_classified else t.subject_label,
                "due": t.due_date.isoformat(),
                "state": t.state,
                "uuid": str(t.uuid),
            }
            for t in terms[:DIGEST_ITEMS]
        ],
        "more": max(0, len(terms) - DIGEST_ITEMS),
    }
