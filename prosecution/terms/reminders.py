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
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from prosecution import workdays
from prosecution.models import (
    ACTIVE_STATES,
    ActiveTermsByPerson,
    Notice,
    NoticeChannel,
    Office,
    OpenTermsByPersonAndDay,
    Position,
    StaffProfile,
    Term,
    TermState,
)
from prosecution.models import NoticeKind as K
from prosecution.notices import outbox
from prosecution.terms.claims import claim_in_chunks

HEADS = (Position.PROSECUTOR_GENERAL, Position.HEAD)
DEPUTIES = (Position.FIRST_DEPUTY, Position.DEPUTY, Position.DEPUTY_HEAD)
# What notices about a term need of it (outbox.term_context, the recipients): the sweep reads
# only these of the thousands of terms it claims. The functions below read attributes only, so a
# "Term" here is a model instance or a row claimed by bulk.claim (a named tuple of these fields).
NOTICE_FIELDS = (
    "uuid",
    "kind",
    "legal_basis",
    "due_date",
    "office",
    "office_path",
    "responsible",
    "subject_label",
    "is_classified",
    "state",
)


def _users(ids: Iterable[int]) -> dict[int, User]:
    users = get_user_model().objects.filter(pk__in=set(ids)).select_related("staff_profile")
    return {user.pk: user for user in users}


def heads_of(office_ids: Iterable[int]) -> dict[int, list[User]]:
    """The head of each office; where the post is vacant, the deputies (someone answers)."""
    profiles = StaffProfile.objects.filter(
        office_id__in=set(office_ids),
        is_active=True,
        user__is_active=True,
        position__in=HEADS + DEPUTIES,
    ).select_related("user__staff_profile")
    found: dict[int, dict[bool, list[User]]] = defaultdict(lambda: {True: [], False: []})
    for profile in profiles:
        found[profile.office_id][profile.position in HEADS].append(profile.user)
    return {office: by_rank[True] or by_rank[False] for office, by_rank in found.items()}


class Staff:
    """The people a step of the sweep writes to, read once per step rather than once per chunk
    (at a million terms every chunk names the same 1,600 people and 200 offices). Built anew for
    each step: a change of staff is seen by the next sweep, a minute later."""

    def __init__(self) -> None:
        self._users: dict[int, User | None] = {}  # None: not a user (any more)
        self._heads: dict[int, list[User]] = {}
        self._parents: dict[int, int | None] = {}

    def users(self, ids: Iterable[int]) -> dict[int, User | None]:
        missing = set(ids) - self._users.keys()
        if missing:
            self._users |= dict.fromkeys(missing) | _users(missing)
        return self._users

    def heads(self, office_ids: Iterable[int]) -> dict[int, list[User]]:
        missing = set(office_ids) - self._heads.keys()
        if missing:
            self._heads |= {office: [] for office in missing} | heads_of(missing)
        return self._heads

    def parents(self, office_ids: Iterable[int]) -> dict[int, int | None]:
        missing = set(office_ids) - self._parents.keys()
        if missing:
            found = Office.objects.filter(pk__in=missing).values_list("pk", "parent_id")
            self._parents |= dict(found)
        return self._parents


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
    staff = Staff()
    written = 0
    for stage, kind, after, until in reminder_windows(today):
        due = Term.objects.filter(
            state=TermState.OPEN,
            reminder_stage__lt=stage,
            due_date__gt=after,
            due_date__lte=until,
        )

        def remind(chunk: list[Any], kind: K = kind) -> int:
            notices = _about_terms(chunk, kind, staff, to_heads_if_nobody=True)
            outbox.save(notices)
            return len(notices)

        written += claim_in_chunks(due, fields=NOTICE_FIELDS, handle=remind, reminder_stage=stage)
    return written


def _term_key(term: Term, kind: K) -> str:
    """A notice about a term is keyed by its due date too: a new date is a new notice."""
    return outbox.notice_key("term", term.pk, kind, term.due_date)


ESCALATION_ITEMS = 20


def escalate_missed(terms: list[Term], staff: Staff | None = None) -> int:
    """A missed term (docs/rules.md: overdue from the day after the due date): the person, the head
    of the office and the head of the superior office are told (Art. 5(2): the superior answers for
    the inferior). Runs inside mark_missed's transaction.

    The person hears of each term. A head hears once per office and chunk of the sweep, in one
    notice listing that office's terms just marked missed: the first sweep after midnight marks
    a whole day's missed terms at once, and a head whose office missed 300 should get one
    message with the list and a link to the dashboard, not 600 (and the outbox 600 rows). A
    chunk's terms are claimed by one sweep only, so the key (office, kind, the first term of the
    group) names each list once."""
    staff = staff or Staff()
    notices = _about_terms(terms, K.MISSED, staff, to_heads_if_nobody=False)
    by_office: dict[int, list[Term]] = defaultdict(list)
    for term in sorted(terms, key=lambda t: (t.due_date, t.pk)):
        by_office[term.office_id].append(term)
    parents = staff.parents(by_office)
    superiors = {parent for office in by_office if (parent := parents[office]) is not None}
    heads = staff.heads(set(by_office) | superiors)
    for office_id, missed in by_office.items():
        first = min(term.pk for term in missed)
        for kind, head_office in (
            (K.ESCALATION_HEAD, office_id),
            (K.ESCALATION_SUPERIOR, parents.get(office_id)),
        ):
            if head_office is None:
                continue  # the General Prosecutor's Office has no superior
            for user in heads.get(head_office, []):
                # The head who is late hears of their own term once, as the person responsible.
                listed = [term for term in missed if term.responsible_id != user.pk]
                if not listed:
                    continue
                notices += outbox.build(
                    kind=kind,
                    key=outbox.notice_key("escalation", kind, office_id, first),
                    recipients=outbox.staff_recipients(user),
                    context=_escalation_context(office_id, listed),
                    term=listed[0] if len(listed) == 1 else None,
                )
    outbox.save(notices)
    return len(notices)


def _escalation_context(office_id: int, missed: list[Term]) -> dict:
    shown = missed[:ESCALATION_ITEMS]
    context = {
        "office_id": office_id,
        "count": len(missed),
        "items": [_item(term) for term in shown],
        "more": len(missed) - len(shown),
    }
    if len(missed) == 1:  # one term: said as every other notice about a term says it
        context |= outbox.term_context(missed[0])
    return context


def _item(term: Term) -> dict:
    """A term in a list of a notice (the digest, an escalation): classified ones by kind only."""
    return {
        "kind": term.kind,
        "label": "" if term.is_classified else term.subject_label,
        "due": term.due_date.isoformat(),
        "state": term.state,
        "uuid": str(term.uuid),
    }


def _about_terms(terms: list[Term], kind: K, staff: Staff, *, to_heads_if_nobody: bool) -> list:
    """Unsaved notices of `kind` to the person answering for each term. With
    `to_heads_if_nobody`, a term with nobody named (or whose person has left) goes to the head of
    its office: a reminder that reaches no one protects no one."""
    users = staff.users(term.responsible_id for term in terms if term.responsible_id)
    heads = staff.heads({term.office_id for term in terms}) if to_heads_if_nobody else {}
    notices = []
    for term in terms:
        user = users.get(term.responsible_id) if term.responsible_id is not None else None
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


def tell_due_dates_changed(moved: list[tuple[Term, date, int]], staff: Staff) -> None:
    """A change of the calendar moved due dates: the person answering for each term hears the
    old and the new date (issue 3). `moved`: (term, old due, the event logging it). Runs inside
    the recomputation's transaction."""
    users = staff.users(term.responsible_id for term, _, _ in moved if term.responsible_id)
    notices = []
    for term, old_due, event_id in moved:
        if term.responsible_id is None:
            continue
        user = users.get(term.responsible_id)
        if user is None:
            continue
        notices += outbox.build(
            kind=K.DUE_DATE_CHANGED,
            key=outbox.notice_key("term", term.pk, K.DUE_DATE_CHANGED, event_id),
            recipients=outbox.staff_recipients(user),
            context=outbox.term_context(term) | {"old_due": old_due.isoformat()},
            term=term,
        )
    outbox.save(notices)


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
    the people already served today are skipped. A person's terms are counted from the tallies
    and the most urgent picked in the database, and only those DIGEST_ITEMS are read (reading
    all the terms, a million of them, took most of the morning sweep)."""
    today = today or timezone.localdate()
    kind = K.DIGEST
    already = outbox.notice_key("digest", today)
    served = set(
        Notice.objects.filter(kind=kind, key__startswith=already).values_list(
            "recipient_id", flat=True
        )
    )
    # The people with active terms, from their tally (a few thousand rows, not a million).
    people = (
        ActiveTermsByPerson.objects.filter(responsible__isnull=False)
        .values_list("responsible_id", flat=True)
        .distinct()
    )
    ids = sorted(set(people) - served)
    written = 0
    for start in range(0, len(ids), DIGEST_BATCH):
        batch = ids[start : start + DIGEST_BATCH]
        users = _users(batch)
        counts, items = _most_urgent(batch, today)
        notices = []
        for pk in batch:
            user, counted = users.get(pk), counts.get(pk)
            if user is None or counted is None:
                continue
            context = _digest_context(counted, items[pk], today)
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


DIGEST_BATCH = 500


def _most_urgent(
    people: list[int], today: date
) -> tuple[dict[int, dict[str, Any]], dict[int | None, list[Term]]]:
    """Per person: the counts (open and not yet due, suspended, missed: marked, or open and due
    before today, and all: the dashboard's bands, legal_statistics/bands.py) and the first
    DIGEST_ITEMS active terms by due date (then age). The counts come from the tallies, kept in
    the transaction of every change of a term (prosecution/terms/tallies.py): a few rows a person,
    where counting a million terms took two seconds of the morning sweep."""
    by_state = (
        ActiveTermsByPerson.objects.filter(responsible_id__in=people)
        .values("responsible_id")
        .annotate(
            open=Sum("n", filter=Q(state=TermState.OPEN), default=0),
            suspended=Sum("n", filter=Q(state=TermState.SUSPENDED), default=0),
            missed=Sum("n", filter=Q(state=TermState.MISSED), default=0),
            total=Sum("n", default=0),
        )
    )
    late = dict(
        OpenTermsByPersonAndDay.objects.filter(responsible_id__in=people, due_date__lt=today)
        .values_list("responsible_id")
        .annotate(Sum("n"))
    )
    counts: dict[int, dict[str, Any]] = {}
    for row in by_state:
        person = row.pop("responsible_id")
        overdue = late.get(person, 0)
        counts[person] = row | {"open": row["open"] - overdue, "missed": row["missed"] + overdue}
    items: dict[int | None, list[Term]] = defaultdict(list)
    chosen = (
        Term.objects.filter(pk__in=_first_ids(people))
        .only("uuid", "kind", "due_date", "state", "subject_label", "is_classified", "responsible")
        .order_by("responsible_id", "due_date", "pk")
    )
    for term in chosen:
        items[term.responsible_id].append(term)
    return counts, items


def _first_ids(people: list[int]) -> list[int]:
    """The ids of each person's first DIGEST_ITEMS active terms by due date, then age. On
    PostgreSQL, a LATERAL join reads each person's first entries of term_person_idx and stops
    (0.1 s for 1,600 people at a million terms); elsewhere, ranked by a window function over all
    of their terms."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT first.id FROM unnest(%s::integer[]) AS person (id) CROSS JOIN LATERAL ("
            "SELECT id FROM prosecution_term WHERE responsible_id = person.id "
            "AND state = ANY(%s) ORDER BY due_date, id LIMIT %s) AS first"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [people, list(ACTIVE_STATES), DIGEST_ITEMS])
            return [pk for (pk,) in cursor.fetchall()]
    ranked = Term.objects.filter(responsible_id__in=people, state__in=ACTIVE_STATES).annotate(
        rank=Window(
            RowNumber(), partition_by=F("responsible_id"), order_by=[F("due_date"), F("pk")]
        )
    )
    return list(ranked.filter(rank__lte=DIGEST_ITEMS).values_list("pk", flat=True))


def _digest_context(counts: dict, items: list[Term], today: date) -> dict:
    return {
        "on": today.isoformat(),
        "open": counts["open"],
        "suspended": counts["suspended"],
        "missed": counts["missed"],
        "items": [_item(term) for term in items],
        "more": max(0, counts["total"] - DIGEST_ITEMS),
    }
