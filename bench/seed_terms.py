"""Seeding of the dashboard benchmark's PostgreSQL database (bench/bench_dashboard.py): the office
hierarchy down to ~200 districts, ~1,600 staff, and terms loaded with COPY.

Active terms (open, suspended, missed) are due from 30 days ago to 60 days ahead: those due more
than two days ago are missed (90 %) or suspended; those due in the last two days are still open
(the sweep has them to mark); of the rest 7 % are suspended. Closed terms (met on time, met late,
cancelled) were due in the last four months: the history the trend reads and the table carries.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

HISTORY_SHARE = 0.5  # closed terms per active term
CLASSIFIED_SHARE = 0.02
UNASSIGNED_SHARE = 0.08
DISTRICTS_PER_REGION = 10
# Staff per office by level: the terms of an office follow its staff.
STAFF = {"gpo": 40, "republic": 10, "region": 15, "district": 6}
# (kind, weight): appeals dominate the work of an office.
KIND_WEIGHTS = [
    ("appeal_answer", 40),
    ("appeal_extension_notice", 4),
    ("appeal_final_after_check", 4),
    ("complaint_decision", 6),
    ("check_duration", 10),
    ("protest_consideration", 6),
    ("submission_consideration", 6),
    ("submission_results", 4),
    ("information_request", 14),
    ("set_by_prosecutor", 6),
]
SEED_TAG = "bench-dashboard-v6"  # a new tag when the shape of the seed changes


class Progress:
    """A progress bar on stderr (stdout keeps the figures)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done, self.t0 = label, total, 0, time.perf_counter()

    def advance(self, n: int) -> None:
        self.done += n
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(time.perf_counter() - self.t0, 1e-9)
        sys.stderr.write(
            f"\r{self.label}: [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:,}/{self.total:,} ({rate:,.0f}/s)"
        )
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write(f" {time.perf_counter() - self.t0:.1f} s\n")


def _seeded_already(today: date, n: int, history: int) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_seed (tag text PRIMARY KEY, seeded_on date, "
            "active integer, history integer)"
        )
        cursor.execute(
            "SELECT seeded_on, active, history FROM bench_seed WHERE tag = %s", [SEED_TAG]
        )
        row = cursor.fetchone()
        if row != (today, n, history):
            return False
        # The marker says so; the table must agree (someone may have truncated it).
        cursor.execute("SELECT count(*) FROM prosecution_term")
        return cursor.fetchone()[0] == n + history


def _districts():
    """~10 districts under every region and city: ~200 in all (the real count is ~210)."""
    from prosecution.models import Office, OfficeKind
    from prosecution.offices.services import create_office

    parents = Office.objects.filter(
        kind__in=[OfficeKind.REGIONAL, OfficeKind.CITY_REPUBLICAN]
    ).order_by("code")
    existing = set(Office.objects.values_list("code", flat=True))
    for parent in parents:
        for i in range(1, DISTRICTS_PER_REGION + 1):
            code = f"{parent.code}-B{i:02d}"
            if code in existing:
                continue
            kind = OfficeKind.CITY if i == 1 else OfficeKind.DISTRICT
            create_office(
                parent=parent,
                code=code,
                kind=kind,
                name_kk=f"{code} ауданының прокуратурасы",
                name_ru=f"Прокуратура района {code}",
                name_en=f"Prosecutor's Office of District {code}",
            )


def _level(office) -> str:
    if office.depth == 0:
        return "gpo"
    if office.kind in ("regional", "city_republican"):
        return "region"
    if office.depth == 1:
        return "republic"
    return "district"


def _staff() -> list[tuple[int, int, str]]:
    """Bench staff (unusable passwords, never signed in): (user id, office id, office path).
    Idempotent: a rerun adds only what is missing."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from prosecution.models import Office, Position, StaffProfile

    User = get_user_model()
    wanted = {
        f"bench.{office.code.lower()}.{i:02d}": office
        for office in Office.objects.filter(is_active=True)
        for i in range(STAFF[_level(office)])
    }
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=name,
                first_name=name.rsplit(".", 1)[1],
                last_name=office.code,
                password=unusable,
            )
            for name, office in wanted.items()
            if name not in have
        ],
        batch_size=1000,
    )
    without_profile = User.objects.filter(username__in=wanted, staff_profile__isnull=True)
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(user=user, office=wanted[user.username], position=Position.PROSECUTOR)
            for user in without_profile
        ],
        batch_size=1000,
    )
    # The first of each office is its head: reminders of unassigned terms and escalations go to
    # heads, as in production.
    StaffProfile.objects.filter(user__username__in=[n for n in wanted if n.endswith(".00")]).update(
        position=Position.HEAD
    )
    return list(
        StaffProfile.objects.filter(user__username__in=wanted)
        .order_by("user_id")
        .values_list("user_id", "office_id", "office__path")
    )


def due_table(today: date) -> dict[tuple[str, int], int]:
    """(kind, due) -> a start, in days from today, whose term prosecution.terms.engine.compute_due
    makes due that day; none when no start does (a Saturday, for a term counted in working days).
    Read before the COPY begins: the calendar is read through the connection that the COPY then
    holds."""
    from prosecution import workdays
    from prosecution.terms.rules import RULES

    table = {}
    for rule in RULES.values():
        if rule.length is None:
            continue
        for start in range(-200 - 3 * rule.length, 61):
            due = workdays.due_date(today + timedelta(days=start), rule.length, rule.unit)
            table[rule.kind.value, (due - today).days] = start
    return table


def _term_lines(today: date, n: int, history: int, staff, subject_type: int, extra: str, due_after):
    """Tab-separated rows for COPY, in the column order of COLUMNS. Strings are prepared once
    (per staff member, kind and day) so that 1,500,000 rows take seconds, not a minute. A term's
    due date is the one its start and length give (prosecution.terms.engine.compute_due, due_table),
    so that a change of the calendar moves only the terms it should."""
    from prosecution.terms.rules import RULES

    rng = random.Random(20260320)
    rand, bits = rng.random, rng.getrandbits
    rules = {rule.kind.value: rule for rule in RULES.values()}
    kind_table = [kind for kind, weight in KIND_WEIGHTS for _ in range(weight)]
    by_kind = {
        kind: (
            f"{kind}\t",
            f"{rule.article}\treceived\t",
            f"\t{rule.unit.value}\t{rule.length or 0}\t0\t",
            rule.length or 10,
            rule.length is None,
        )
        for kind, rule in rules.items()
    }
    owners = [(f"{office_id}\t{path}\t", f"{user_id}\t") for user_id, office_id, path in staff]
    day = {d: (today + timedelta(days=d)).isoformat() for d in range(-300, 120)}

    now = "2026-01-01 00:00:00+05"
    for i in range(n + history):
        office, person = owners[int(rand() * len(owners))]
        if rand() < UNASSIGNED_SHARE:
            person = "\\N\t"
        name = kind_table[int(rand() * 100)]
        kind, basis, unit, length, set_by_decision = by_kind[name]
        suspended_on = met_on = "\\N"
        if i < n:  # active: due from about 30 days ago to 60 days ahead
            due = int(rand() * 91) - 30
            if due < -2:
                state = "missed" if rand() < 0.9 else "suspended"
            elif due < 0:  # due in the last two days: the sweep has this to do
                state = "open"
            else:
                state = "suspended" if rand() < 0.07 else "open"
        else:  # history: closed in the last four months
            due = -1 - int(rand() * 120)
            roll = rand()
            if roll < 0.88:
                state, met_on = "met", day[due - int(rand() * 11)]
            elif roll < 0.98:
                state, met_on = "met", day[min(due + 1 + int(rand() * 10), 0)]
            else:
                state = "cancelled"
        # The start that gives this due date; where none does (a term counted in working days
        # due on a Saturday), the date stands as if set by a decision.
        start = due_after.get((name, due))
        fixed = set_by_decision or start is None
        if start is None:
            start = due - length - 5
        if state == "suspended":
            suspended_on = day[start + int(rand() * (length + 1))]
        fixed_due = day[due] if fixed else "\\N"
        classified = "t\t" if rand() < CLASSIFIED_SHARE else "f\t"
        yield (
            f"{bits(128):032x}\t{subject_type}\t{i + 1}\tAppeal No. {i + 1}\t{office}{person}"
            f"{kind}{classified}{basis}{day[start]}{unit}{fixed_due}\t{day[start]}\t0\t"
            f"{day[due]}\t{state}\t{suspended_on}\t{met_on}\t{now}\t{now}{extra}\n"
        )


COLUMNS = (
    "uuid, subject_type_id, subject_id, subject_label, office_id, office_path, responsible_id, "
    "kind, is_classified, legal_basis, start_event, start_date, unit, length, extended_by, "
    "fixed_due, count_from, counted_before, due_date, state, suspended_on, met_on, created_at, "
    "updated_at"
)


def _other_columns() -> tuple[str, str]:
    """Columns of the term table that the bench does not set (added since, e.g. by the notices
    work), with the model's default: (", col, col", "\\tvalue\\tvalue")."""
    from prosecution.models import Term

    known = {c.strip() for c in COLUMNS.split(",")} | {"id"}
    names, values = [], []
    for field in Term._meta.concrete_fields:
        if field.column in known:
            continue
        default = field.get_default()
        names.append(field.column)
        if default is None:
            values.append("\\N")
        elif isinstance(default, bool):
            values.append("t" if default else "f")
        else:
            values.append(str(default))
    return "".join(f", {n}" for n in names), "".join(f"\t{v}" for v in values)


def seed(today: date, n: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from prosecution.models import Office
    from prosecution.terms import tallies

    history = int(n * HISTORY_SHARE)
    if _seeded_already(today, n, history):
        print(f"seed: reused ({n:,} active + {history:,} closed terms)", file=sys.stderr)
        # The last run's sweep was rolled back: its dead rows (and the pages no longer marked
        # all-visible) would send the dashboard's index-only scans to the table.
        _vacuum()
        return
    t0 = time.perf_counter()
    _districts()
    staff = _staff()
    offices = Office.objects.count()
    subject_type = ContentType.objects.get_for_model(Office).pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE prosecution_term RESTART IDENTITY CASCADE")
        # Loading into a table without its secondary indexes and building them afterwards is
        # several times faster than maintaining ten indexes row by row. DDL is transactional on
        # PostgreSQL: a failure leaves the indexes as they were.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'prosecution_term' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'prosecution_term'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at COPY time instead,
        # as CREATE INDEX refuses to run with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _skip_foreign_key_checks(cursor)
        due_after = due_table(today)
        _copy_terms(cursor.cursor, today, n, history, staff, subject_type, due_after)
        started = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        print(
            f"seed: {len(indexes)} indexes rebuilt in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        # COPY went past the term services: the dashboard's tallies are counted afresh.
        started = time.perf_counter()
        tallies.rebuild()
        print(f"seed: tallies counted in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        cursor.execute(
            "INSERT INTO bench_seed VALUES (%s, %s, %s, %s) ON CONFLICT (tag) DO UPDATE "
            "SET seeded_on = EXCLUDED.seeded_on, active = EXCLUDED.active, "
            "history = EXCLUDED.history",
            [SEED_TAG, today, n, history],
        )
    _vacuum()
    print(
        f"seed: {offices} offices, {len(staff):,} staff, {n:,} active + {history:,} "
        f"closed terms in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )


def _skip_foreign_key_checks(cursor) -> None:
    """The rows name offices, staff and a content type that the seed has just read: a superuser
    (the default bench role) skips the per-row foreign-key triggers; another role pays them."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        print("seed: not a superuser; foreign keys checked row by row", file=sys.stderr)


def _copy_terms(cursor, today, n, history, staff, subject_type, due_after) -> None:
    """COPY ... FROM STDIN through psycopg 3, in blocks of 20,000 rows."""
    progress = Progress("seed terms (COPY)", n + history)
    other_names, other_values = _other_columns()
    with cursor.copy(f"COPY prosecution_term ({COLUMNS}{other_names}) FROM STDIN") as copy:
        buffer = []
        lines = _term_lines(today, n, history, staff, subject_type, other_values, due_after)
        for line in lines:
            buffer.append(line)
            if len(buffer) == 20000:
                copy.write("".join(buffer))
                progress.advance(len(buffer))
                buffer.clear()
        copy.write("".join(buffer))
        progress.advance(len(buffer))
    progress.close()


def _vacuum() -> None:
    """Statistics and the visibility map, as autovacuum would leave them after a bulk load."""
    from django.db import connection

    from prosecution.terms.tallies import TALLIES

    tables = ["prosecution_term", *(tally.model._meta.db_table for tally in TALLIES)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
