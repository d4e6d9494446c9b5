"""What only PostgreSQL can show: the prefix index of the office tree, and constraints and row locks
that hold under concurrency. Skipped with a visible reason on SQLite (run by the second pass of
.ci/run)."""

import logging
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, connections

from prosecution.lib.errors import RuleViolation
from prosecution.models import Office, Position, Term, TermKind
from prosecution.offices.services import create_office
from prosecution.terms import engine as terms
from tests.conftest import make_staff
from tests.term_changes import DECISIONS, decide

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# The server allows 100 connections, shared with other test runs on the machine: the threads
# are released together, and at most this many hold a connection at a time (the first of them
# race exactly as all of them would; those after them find the race decided).
CONNECTIONS_AT_ONCE = 30


def connect() -> None:
    """This thread's connection. The server allows 100 connections, shared with other test runs,
    fewer than the threads of a test: a connection refused because the server is full is asked
    for again a moment later (the server's limit, not the code under test)."""
    pause = threading.Event()
    for _ in range(200):
        try:
            connection.ensure_connection()
            return
        except OperationalError as error:
            if "too many clients" not in str(error):
                raise
            connection.close()
            pause.wait(0.05)
    connection.ensure_connection()


def run_at_once(
    threads: int,
    action,
    refusals: tuple[type[Exception], ...],
    *,
    at_most: int = CONNECTIONS_AT_ONCE,
) -> list[str]:
    """Run `action` in `threads` threads released together by a barrier: "done" or "refused".
    With `at_most`, no more than that many hold a connection at a time (the first of them race
    exactly as all would; the others follow as connections free up)."""
    barrier = threading.Barrier(threads)
    gate = threading.BoundedSemaphore(at_most)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            with gate:
                try:
                    connect()
                    action()
                finally:
                    connections.close_all()
            outcomes.append("done")
        except refusals:
            outcomes.append("refused")

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes


def test_the_office_path_has_a_prefix_index():
    """`path LIKE 'GPO/R-AKMOLA/%'` (every subtree query) needs a varchar_pattern_ops index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'prosecution_office'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("varchar_pattern_ops" in d and "(path" in d for d in definitions), definitions


def test_two_offices_with_one_code_created_at_once_make_exactly_one():
    region = Office.objects.get(code="R-AKMOLA")

    def create():
        create_office(
            parent=region, code="RACE-1", kind="district", name_kk="x", name_ru="x", name_en="x"
        )

    outcomes = run_at_once(8, create, (IntegrityError, ValidationError))
    assert outcomes.count("done") == 1, outcomes
    assert Office.objects.filter(code="RACE-1").count() == 1


def test_two_extensions_decided_at_once_never_pass_the_maximum_art_18_4():
    """SELECT ... FOR UPDATE in prosecution/terms/engine.py: without it every thread would read
    extended_by = 0 and add 20, giving more than the 30 working days Art. 18(4) allows."""
    region = Office.objects.get(code="R-AKMOLA")
    head = make_staff("race_head", region, Position.HEAD)
    term = terms.open_term(
        subject=region,
        kind=TermKind.CHECK_DURATION,
        office=region,
        start_date=date(2026, 2, 2),
        start_event="resolution registered",
    )

    def extend():
        terms.extend_term(term, by=head, reason="volume", length=20, on=date(2026, 2, 20))

    outcomes = run_at_once(6, extend, (RuleViolation,))
    assert outcomes.count("done") == 1, outcomes
    assert Term.objects.get(pk=term.pk).extended_by == 20


def _missed_and_near_terms(count: int):
    from django.contrib.auth import get_user_model

    district = Office.objects.get(code="R-AKMOLA")
    person = make_staff("sweep_person", district)
    make_staff("sweep_head", district, Position.HEAD)
    for n in range(count):
        subject = get_user_model().objects.create(username=f"sweep-subject-{n}")
        terms.open_term(
            subject=subject,
            kind=TermKind.SET_BY_PROSECUTOR,
            office=district,
            start_date=date(2026, 11, 2),
            start_event="instruction",
            responsible=person,
            set_due=date(2026, 12, 1) if n % 2 else date(2026, 12, 3),
        )


def test_four_sweeps_at_once_write_and_mark_each_notice_once():
    """Two beats or a retried task: FOR UPDATE SKIP LOCKED hands each term to one sweep, the
    reminder stage is claimed by a conditional UPDATE, and the notice key is unique."""
    from prosecution.models import Notice, TermEvent, TermEventKind
    from prosecution.terms import reminders

    _missed_and_near_terms(40)

    def sweep():
        terms.mark_missed(date(2026, 12, 2))
        reminders.send_reminders(date(2026, 12, 2))

    assert run_at_once(4, sweep, ()) == ["done"] * 4
    assert TermEvent.objects.filter(kind=TermEventKind.MISSED).count() == 20
    # 20 missed: the person of each, and the head (R-AKMOLA's parent GPO has no head in the
    # seed) in one list per office and sweep chunk, every term in exactly one list;
    # 20 reminders 1 working day before: the person.
    kinds = list(Notice.objects.values_list("kind", flat=True))
    assert kinds.count("missed") == 20
    listed = [
        item["uuid"]
        for context in Notice.objects.filter(kind="escalation_head").values_list(
            "context", flat=True
        )
        for item in context["items"]
    ]
    missed = Term.objects.filter(state="missed").values_list("uuid", flat=True)
    assert sorted(listed) == sorted(str(uuid) for uuid in missed) and len(listed) == 20
    assert kinds.count("reminder_1_day") == 20
    assert len(set(Notice.objects.values_list("key", flat=True))) == len(kinds)


def test_only_one_beat_holds_the_advisory_lock():
    from prosecution.beat_lock import make_lock

    first, second = make_lock(), make_lock()
    try:
        assert first.acquire() and first.still_held()
        assert not second.acquire()
        first.release()  # the holder dies: its session ends and the lock with it
        assert second.acquire() and second.still_held()
    finally:
        first.release()
        second.release()


def test_a_rate_limit_holds_under_200_concurrent_hits():
    """docs/security.md 17: one atomic statement per hit, so a burst gets exactly `limit` yeses."""
    from prosecution.public import ratelimit

    outcomes = run_at_once(
        200,
        lambda: ratelimit.hit("race:ip:10.0.0.1", limit=7, window_seconds=3600),
        (ratelimit.RateLimited,),
    )
    assert outcomes.count("done") == 7 and outcomes.count("refused") == 193


def test_a_code_confirmed_by_20_requests_at_once_is_confirmed_once():
    from django.db import transaction

    from prosecution.models import Notice
    from prosecution.public import confirmations

    with transaction.atomic():
        record = confirmations.issue(purpose="appeal", address="race@mail.kz", language="en")
    code = Notice.objects.get(subject_id=record.pk, kind="one_time_code").context["code"]
    results = []

    def confirm():
        results.append(confirmations.verify(code_uuid=record.uuid, code=code, purpose="appeal"))

    run_at_once(20, confirm, ())
    assert results.count(True) == 1


def test_terms_changed_at_once_leave_every_tally_equal_to_a_recount():
    """prosecution/terms/tallies.py: two writers of one tally row queue on its lock and each adds
    its difference (none is lost); each locks its rows in the order of their keys, once per tally,
    so none waits for another in a circle (PostgreSQL would abort one: a deadlock)."""
    import random

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from prosecution.terms import tallies

    office = Office.objects.get(code="R-AKMOLA")
    people = [make_staff(f"busy_{n}", office) for n in range(2)] + [None]
    today = timezone.localdate()
    rng = random.Random(5)
    for n in range(40):
        subject = get_user_model().objects.create(username=f"tally-subject-{n}")
        late = n % 4 == 0  # due in the past: the sweep marks these
        terms.open_term(
            subject=subject,
            kind=TermKind.SET_BY_PROSECUTOR if late else TermKind.CHECK_DURATION,
            office=office,
            start_date=today - timedelta(days=40 if late else 5),
            start_event="order",
            responsible=rng.choice(people),
            set_due=today - timedelta(days=10) if late else None,
            is_classified=n % 5 == 0,
        )
    ids = list(Term.objects.values_list("pk", flat=True))

    def at_random():
        mine = random.Random(threading.get_ident())
        for _ in range(15):
            term = Term.objects.get(pk=mine.choice(ids))
            # Refused when the term was closed or changed by another thread first.
            decide(term, mine.choice(DECISIONS), on=today, today=today)

    assert run_at_once(8, at_random, ()) == ["done"] * 8
    assert tallies.differences() == {}
    assert Term.objects.exclude(state="open").count() > 10  # the threads did change terms


def test_sixty_transactions_appending_at_once_never_fork_the_audit_chain():
    """prosecution/audit/chain.py: the sealers that chain each transaction's records after its
    commit serialize on one advisory lock, so each takes the number after the last chained one;
    without it two would read the same last record (and the unique number would refuse the
    second). Each thread also changes a calendar day, so that the record is written inside a real
    change's transaction, some of which roll back."""
    from django.db import transaction

    from prosecution.audit import chain
    from prosecution.audit import log as audit
    from prosecution.models import AuditRecord, CalendarDay, PendingAuditRecord

    before = AuditRecord.objects.count()
    counter = iter(range(1000))

    def append():
        n = next(counter)
        try:
            with transaction.atomic():
                day = CalendarDay.objects.create(
                    date=date(2031, 1, 1) + timedelta(days=n),
                    kind="day_off",
                    name_kk="x",
                    name_ru="x",
                    name_en="x",
                )
                audit.record("test.concurrent", target=day, n=n)
                if n % 5 == 0:
                    raise LookupError("rolled back: its records must go with it")
        except LookupError:
            pass

    assert run_at_once(60, append, (), at_most=30) == ["done"] * 60
    count, broken = chain.verify()
    assert broken is None
    # 48 committed changes, each with the calendar's record and the test's own.
    assert count == before + 48 * 2
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, count + 1))
    assert AuditRecord.objects.filter(action="test.concurrent").count() == 48
    assert not PendingAuditRecord.objects.exists()  # every commit's records were chained


def test_an_open_transaction_with_audit_records_does_not_hold_up_another_ones_commit():
    """prosecution/audit/chain.py: a transaction's records are chained after its commit, in a
    transaction of their own, so the chain's lock is not held while a change goes on (once, a long
    change, or one waiting for a row lock, held up every other audited change: a deadlock when
    that row's holder waited for the log)."""
    from django.db import transaction

    from prosecution.audit import chain
    from prosecution.audit import log as audit
    from prosecution.models import AuditRecord

    recorded, other_committed = threading.Event(), threading.Event()
    seen = []

    def long_change():
        connect()
        try:
            with transaction.atomic():
                audit.record("test.long")
                recorded.set()
                seen.append(other_committed.wait(timeout=20))
        finally:
            connections.close_all()

    def short_change():
        recorded.wait(timeout=20)
        connect()
        try:
            with transaction.atomic():
                audit.record("test.short")
            other_committed.set()
        finally:
            connections.close_all()

    changes = [threading.Thread(target=long_change), threading.Thread(target=short_change)]
    for change in changes:
        change.start()
    for change in changes:
        change.join(timeout=60)
    assert seen == [True]
    actions = list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["test.short", "test.long"]  # the order of the commits
    assert chain.verify()[1] is None


class NestedRefusal(Exception):
    """A nested service refusing (a RuleViolation in the code): its savepoint rolls back."""


def test_the_sealers_of_sixty_writers_committing_at_once_chain_exactly_what_committed(caplog):
    """prosecution/audit/chain.py: sixty writer transactions, thirty at a time holding their
    transactions open until all thirty have written their records, then committing together, so
    that thirty sealers race for the chain at once. Each writes a change, a record, a savepoint
    that is rolled back (a refused nested service) with its record, and a second record; every
    fifth rolls back as a whole. The chain holds exactly the records of the commits, each
    transaction's in the order it wrote them, gapless and verifying, and nothing is left pending.
    And no sealer failed: without the lock, two would read the same last record and the second's
    INSERT would be refused by the unique number (logged by on_commit; its records left to the
    next sealer, so the chain would still come out whole)."""
    from django.db import transaction

    from prosecution.audit import chain
    from prosecution.audit import log as audit
    from prosecution.models import AuditRecord, CalendarDay, PendingAuditRecord

    before = AuditRecord.objects.count()
    counter = iter(range(1000))
    together = threading.Barrier(CONNECTIONS_AT_ONCE)

    def write():
        n = next(counter)
        try:
            with transaction.atomic():
                day = CalendarDay.objects.create(
                    date=date(2032, 1, 1) + timedelta(days=n),
                    kind="day_off",
                    name_kk="x",
                    name_ru="x",
                    name_en="x",
                )
                audit.record("test.kept", target=day, n=n, part=1)
                try:
                    with transaction.atomic():
                        audit.record("test.withdrawn", n=n)
                        raise NestedRefusal
                except NestedRefusal:
                    pass
                audit.record("test.kept", target=day, n=n, part=2)
                together.wait(timeout=60)  # all thirty hold their records uncommitted here
                if n % 5 == 0:
                    raise LookupError("rolled back: its records must go with it")
        except LookupError:
            pass

    with caplog.at_level(logging.ERROR):
        assert run_at_once(60, write, ()) == ["done"] * 60
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    count, broken = chain.verify()
    assert broken is None
    # 48 commits, each with the calendar's record and the two kept ones.
    assert count == before + 48 * 3
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, count + 1))
    assert not AuditRecord.objects.filter(action="test.withdrawn").exists()
    kept = {}
    for details in (
        AuditRecord.objects.filter(action="test.kept")
        .order_by("seq")
        .values_list("details", flat=True)
    ):
        kept.setdefault(details["n"], []).append(details["part"])
    assert kept == {n: [1, 2] for n in range(60) if n % 5}
    assert not PendingAuditRecord.objects.exists()
