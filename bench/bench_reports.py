"""The reports of legal statistics at national scale (issue 17), on PostgreSQL.

Seeds, beside the demo data, 1,000,000 appeals, 100,000 checks and 200,000 acts over three years
(2024-01-01 to 2026-11-30), each with its term and its events in the shape the services leave,
spread over every office of the demo hierarchy. Then prints the annual appeals report
(legal_statistics/reports/appeals.py, every figure for the year and the year before) for the
republic (the General Prosecutor, the whole tree) and for a district's head:

- cold: the first report of a fresh process on a fresh connection (no cached content types, no
  prepared plans); PostgreSQL's own buffers stay as they are (a restart is not the bench's to do);
- warm: the median of BENCH_RUNS runs after it;
- floor: the same figures from hand-written SQL through a bare psycopg cursor (no ORM, no access
  policy), median of BENCH_RUNS runs, counted from the records; and the ratio warm / floor;
- tally floor: the same from the tallies the report reads (legal_statistics/reports/tallies.py),
  by hand: the months' counts less the repeats; and the ratio warm / tally floor.

Each office is timed twice: as the report is read (from its tallies) and counted from the records
(the tallies set aside), the way a period that cuts a month is counted. The seed counts the
tallies once, as `manage.py rebuild_report_tallies` does after an upgrade, and prints how long
that took. Every run checks that the report's figures, either way, equal the floor's figures.
Timings are printed, never asserted.

    DJANGO_SECRET_KEY=... .venv/bin/python bench/bench_reports.py

- BENCH_REPORTS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/prosecution_bench_reports):
  a database of its own, never the app's: migrated, given the demo data, then the bench's records
  (once: a rerun with the same sizes reuses them).
- BENCH_APPEALS, BENCH_CHECKS, BENCH_ACTS: the sizes (default 1000000, 100000, 200000).
- BENCH_RUNS (default 9, at least 7); BENCH_YEAR (default 2025: a whole year, 2024 before it).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/prosecution_bench_reports"
APPEALS = int(os.environ.get("BENCH_APPEALS", "1000000"))
CHECKS = int(os.environ.get("BENCH_CHECKS", "100000"))
ACTS = int(os.environ.get("BENCH_ACTS", "200000"))
RUNS = max(int(os.environ.get("BENCH_RUNS", "9")), 7)
YEAR = int(os.environ.get("BENCH_YEAR", "2025"))
DAYS = 1065  # 2024-01-01 + 1065 days = 2026-11-30
TAG = "BR"  # references and numbers of the bench's records start with it
DISTRICT_HEAD = "demo.c-astana-d1.head"
REPUBLIC_HEAD = "demo.pg"
REGISTER_OFFICE = "KPSSU"  # the Committee on Legal Statistics keeps the register


def _setup_django(url: str) -> None:
    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root.parent))
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prosecution.settings")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://localhost/")
    # The demo seed's notices go nowhere: no mail server is asked.
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ["DATABASE_URL"] = url
    import logging

    import django

    django.setup()
    # The demo seed renders PDFs: fontTools' notes on every font it subsets are not the bench's.
    logging.getLogger("fontTools").setLevel(logging.WARNING)


# --- Seeding: INSERT … SELECT on the server, in the shape the services leave ---------------------


def _columns(model, exprs: dict[str, str]) -> tuple[str, str, list]:
    """The column list and the SELECT list of an INSERT of `model`: `exprs` gives the SQL of the
    columns it names; the others take NULL where nullable, else the field's default as a
    parameter (now() for the automatic timestamps). A column nobody gave is an error, here."""
    from django.db import connection

    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        column = field.column
        columns.append(connection.ops.quote_name(column))
        if column in exprs:  # %% : the statement has parameters, so a modulo is written twice
            values.append(exprs[column].replace("%", "%%"))
        elif field.null:
            values.append("NULL")
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append("now()")
        elif field.get_internal_type() == "UUIDField":
            values.append("gen_random_uuid()")
        elif field.has_default() or field.empty_strings_allowed:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
        else:
            raise ValueError(f"{model.__name__}.{field.name}: no value")
    return ", ".join(columns), ", ".join(values), params


def _insert(model, exprs: dict[str, str], source: str) -> int:
    from django.db import connection

    columns, values, params = _columns(model, exprs)
    source = source.replace("%", "%%")
    sql = f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {values} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _pick(values, index: str) -> str:
    """SQL: one of `values`, chosen by the integer expression `index`."""
    array = ", ".join(f"'{v}'" for v in values)
    return f"(ARRAY[{array}])[1 + ({index}) % {len(values)}]"


def _numbered(n: int, offices: int, columns: str) -> str:
    """SQL: n numbered rows `i`, each with an office (`oid`, `opath`) in turn and a day `r` of
    the three years (a step of 7919 days, prime to their 1065, spreads them evenly), and
    `columns`."""
    return (
        f"(SELECT i, o.id AS oid, o.path AS opath,"
        f" DATE '2024-01-01' + ((i::bigint * 7919) % {DAYS})::int AS r, {columns}"
        f" FROM generate_series(1, {n}) AS i JOIN bench_office o ON o.k = i % {offices}) s"
    )


def _offices_table() -> int:
    """A temporary table of the active offices numbered from 0, to spread records over them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_office AS SELECT row_number() OVER (ORDER BY path) - 1 AS k,"
            " id, path FROM prosecution_office WHERE is_active"
        )
        cursor.execute("SELECT count(*) FROM bench_office")
        return cursor.fetchone()[0]


def _ct(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _term_exprs(kind: str, label: str, start: str, met_on: str, length: str, basis: str) -> dict:
    return {
        "subject_label": label,
        "kind": kind,
        "legal_basis": f"'{basis}'",
        "start_event": "'bench'",
        "start_date": start,
        "unit": "'working_days'",
        "length": length,
        "count_from": start,
        # 15 working days are about three weeks; one in seven is met after its due date.
        "due_date": f"{start} + 21",
        "state": f"CASE WHEN {met_on} IS NULL THEN 'open' ELSE 'met' END",
        "met_on": met_on,
        "is_classified": "false",
    }


def _seed_appeals(n: int, offices: int, user: int) -> None:
    from appeals.models import Appeal, AppealEvent
    from prosecution.models import Term

    kinds = ["appeal"] * 9 + ["complaint"]
    states = ["answered"] * 16 + ["in_work", "registered", "redirected", "on_check"]
    source = _numbered(
        n, offices, f"{_pick(kinds, 'i')} AS kind, {_pick(states, 'i / 3')} AS state"
    )
    answered = "CASE WHEN state = 'answered' THEN r + 5 + i % 19 END"
    _insert(
        Appeal,
        {
            "reference": f"'{TAG}-' || i",
            "office_id": "oid",
            "office_path": "opath",
            "registered_in_id": "oid",
            "year": "extract(year FROM r)::int",
            "number": "1000000 + i",  # apart from the demo's own numbers
            "kind": "kind",
            "channel": _pick(
                ["written", "egov", "online", "reception", "email", "call_centre"], "i"
            ),
            "source": "'staff'",
            "received_on": "r",
            "registered_at": "r::timestamptz",
            "registered_by_id": str(user),
            "language": _pick(["ru", "kk", "kk", "en"], "i / 7"),
            "summary": "'Bench'",
            "text": "'Bench appeal'",
            "is_anonymous": "i % 50 = 0",
            "state": "state",
            "status_code_hash": "repeat('0', 64)",
            "ground": _pick(["1", "2", "3", "4", "5", "6", "7"], "i / 11"),
            "complained_office_id": "CASE WHEN kind = 'complaint' THEN oid END",
            "outcome": (
                "CASE WHEN state = 'answered' THEN "
                + _pick(["satisfied", "partly", "refused", "explained"], "i / 13")
                + " ELSE '' END"
            ),
            "answered_on": answered,
            "answer_text": "CASE WHEN state = 'answered' THEN 'Answer' ELSE '' END",
            "redirected_to": "CASE WHEN state = 'redirected' THEN 'Akimat' ELSE '' END",
            "redirected_on": "CASE WHEN state = 'redirected' THEN r + 3 END",
        },
        source,
    )
    appeals = (
        f"(SELECT a.*, a.received_on AS r, coalesce(a.answered_on, a.redirected_on) AS met"
        f" FROM appeals_appeal a WHERE a.reference LIKE '{TAG}-%') a"
    )
    _insert(
        Term,
        {
            "subject_type_id": str(_ct(Appeal)),
            "subject_id": "a.id",
            "office_id": "a.office_id",
            "office_path": "a.office_path",
            **_term_exprs(
                "CASE WHEN a.kind = 'complaint' THEN 'complaint_decision' ELSE 'appeal_answer' END",
                "a.reference",
                "a.r",
                "a.met",
                "15",
                "Art. 24(3)",
            ),
        },
        appeals,
    )
    # The events: registered (all), answered, and the course (extended one in ten, sent to
    # another office one in thirty, terminated as repeated one in fifty, anonymous not considered).
    events = [
        ("registered", "true", "a.r"),
        ("answered", "a.answered_on IS NOT NULL", "a.answered_on"),
        ("extended", "a.id % 10 = 0", "a.r + 12"),
        ("sent_to_office", "a.id % 30 = 1", "a.r + 2"),
        ("terminated", "a.id % 50 = 2", "a.r + 4"),
        ("not_considered", "a.is_anonymous", "a.r + 1"),
    ]
    for kind, where, day in events:
        _insert(
            AppealEvent,
            {
                "appeal_id": "a.id",
                "kind": f"'{kind}'",
                "at": f"({day})::timestamptz + interval '10 hours'",
                "by_id": str(user),
            },
            f"{appeals} WHERE {where}",
        )


def _seed_checks(n: int, offices: int, user: int) -> None:
    from django.db import connection

    from legal_statistics.models import Registration
    from prosecution.models import Office, Term
    from supervision.models import Check, CheckEvent

    states = ["completed"] * 7 + ["running", "registered", "suspended"]
    source = _numbered(n, offices, f"{_pick(states, 'i / 3')} AS state")
    _insert(
        Check,
        {
            "office_id": "oid",
            "office_path": "opath",
            "resolution_number": f"'{TAG}-' || i",
            "resolution_date": "r",
            "appointed_by_id": str(user),
            "ground": "'unlimited_persons'",
            "subject_kind": "'organisation'",
            "subject_number": "'120540012342'",
            "subject_name": "'Bench subject'",
            "subject_address": "'Astana'",
            "subject_matter": "'Bench'",
            "period_from": "DATE '2023-01-01'",
            "period_to": "DATE '2023-12-31'",
            "state": "'registered'",  # started below, once registered (a constraint)
            "violations_count": "CASE WHEN state = 'completed' THEN i % 3 ELSE 0 END",
            "result": "state",  # kept for the update below, then cleared
        },
        source,
    )
    register = Office.objects.get(code=REGISTER_OFFICE).pk
    _insert(
        Registration,
        {
            "legality_check_id": "c.id",
            "office_id": str(register),
            "check_office_id": "c.office_id",
            "state": "'registered'",
            "sent_by_id": str(user),
            "year": "extract(year FROM c.resolution_date)::int",
            "number": "c.id",
            "reference": f"'{TAG}/' || c.id",
            "decided_at": "c.resolution_date::timestamptz",
            "decided_by_id": str(user),
        },
        f"supervision_check c WHERE c.resolution_number LIKE '{TAG}-%'",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE supervision_check c SET registration_id = r.id, state = c.result,"
            " result = '', started_on = c.resolution_date + 3,"
            " completed_on = CASE WHEN c.result = 'completed'"
            " THEN c.resolution_date + 28 + (c.id % 14)::int END"
            " FROM legal_statistics_registration r"
            f" WHERE r.legality_check_id = c.id AND c.resolution_number LIKE '{TAG}-%'"
        )
    checks = (
        f"(SELECT c.*, c.resolution_date AS r,"
        " c.completed_on AS done"
        f" FROM supervision_check c WHERE c.resolution_number LIKE '{TAG}-%') c"
    )
    _insert(
        Term,
        {
            "subject_type_id": str(_ct(Check)),
            "subject_id": "c.id",
            "office_id": "c.office_id",
            "office_path": "c.office_path",
            **_term_exprs(
                "'check_duration'", "c.resolution_number", "c.r + 3", "c.done", "30", "Art. 18(4)"
            ),
        },
        checks,
    )
    for kind, where, day in [
        ("sent_for_registration", "true", "c.r"),
        ("registered", "true", "c.r + 1"),
        ("started", "true", "c.r + 3"),
        ("extended", "c.id % 8 = 0", "c.r + 20"),
        ("suspended", "c.id % 12 = 0", "c.r + 10"),
        ("completed", "c.done IS NOT NULL", "c.done"),
    ]:
        _insert(
            CheckEvent,
            {"legality_check_id": "c.id", "kind": f"'{kind}'", "on": day, "by_id": str(user)},
            f"{checks} WHERE {where}",
        )


def _seed_acts(n: int, offices: int, user: int) -> None:
    from acts.models import Act, ActEvent
    from prosecution.models import Term

    kinds = ["protest", "submission", "instruction", "resolution", "warning", "claim", "petition"]
    decided = ["satisfied", "partly_satisfied", "rejected"]
    source = _numbered(
        n,
        offices,
        f"{_pick(kinds, 'i')} AS kind,"
        f" CASE WHEN i % 5 = 0 THEN 'delivered' ELSE {_pick(decided, 'i / 7')} END AS state",
    )
    _insert(
        Act,
        {
            "kind": "kind",
            "office_id": "oid",
            "office_path": "opath",
            "drafted_by_id": str(user),
            "signatory_id": str(user),
            "year": "extract(year FROM r)::int",
            "number": f"{n} + i",  # apart from the demo's own numbers
            "register_number": f"'{TAG}-' || i",
            "signed_on": "r",
            "addressee_kind": "'body'",
            "addressee_name": "'Akimat'",
            "basis_kind": "'other'",
            "basis_text": "'Bench'",
            "protested_act_kind": "CASE WHEN kind = 'protest' THEN 'order' ELSE '' END",
            "protested_act": "CASE WHEN kind = 'protest' THEN 'Order 1' ELSE '' END",
            "state": "state",
            "decided_on": "CASE WHEN state <> 'delivered' THEN r + 8 + i % 10 END",
        },
        source,
    )
    acts = f"(SELECT * FROM acts_act WHERE register_number LIKE '{TAG}-%') a"
    _insert(
        Term,
        {
            "subject_type_id": str(_ct(Act)),
            "subject_id": "a.id",
            "office_id": "a.office_id",
            "office_path": "a.office_path",
            **_term_exprs(
                "CASE WHEN a.kind = 'submission' THEN 'submission_consideration'"
                " ELSE 'protest_consideration' END",
                "a.register_number",
                "a.signed_on + 1",
                "a.decided_on",
                "10",
                "Art. 33(3)",
            ),
        },
        f"{acts} WHERE a.kind IN ('protest', 'submission', 'resolution')",
    )
    for kind, where, day, data in [
        ("signed", "true", "a.signed_on", "'{}'"),
        ("delivered", "true", "a.signed_on + 1", "'{}'"),
        (
            "decided",
            "a.decided_on IS NOT NULL",
            "a.decided_on",
            "jsonb_build_object('decided', a.state)",
        ),
        ("cancelled", "a.id % 40 = 0", "a.signed_on + 20", "'{}'"),
    ]:
        _insert(
            ActEvent,
            {"act_id": "a.id", "kind": f"'{kind}'", "on": day, "by_id": str(user), "data": data},
            f"{acts} WHERE {where}",
        )


def _seed() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from appeals.models import Appeal

    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(username=REPUBLIC_HEAD).exists():
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
        print(f"seed_demo: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if Appeal.objects.filter(reference__startswith=f"{TAG}-").count() != APPEALS:
        _seed_records()
    _count_tallies()


def _count_tallies() -> None:
    """The tallies of the reports counted ahead, from all their records (the seed wrote them by
    SQL, behind the signals' back, as an upgrade finds them): as `manage.py
    rebuild_report_tallies`."""
    from django.db import connection

    from legal_statistics import reports
    from legal_statistics.models import TalliesBuilt
    from legal_statistics.reports import tallies

    built = set(TalliesBuilt.objects.values_list("report", flat=True))
    for report in reports.REPORTS.values():
        if not report.tallied_by or report.key in built:
            continue
        started = time.perf_counter()
        counted = tallies.rebuild(report)
        seconds = time.perf_counter() - started
        print(
            f"counted the {report.key} tallies of {counted:,} records: {seconds:.0f} s",
            file=sys.stderr,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seed_records() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from legal_statistics.models import TalliesBuilt

    user = get_user_model().objects.get(username=REPUBLIC_HEAD).pk
    with transaction.atomic():
        offices = _offices_table()
        for name, seed, n in (
            ("appeals", _seed_appeals, APPEALS),
            ("checks", _seed_checks, CHECKS),
            ("acts", _seed_acts, ACTS),
        ):
            started = time.perf_counter()
            seed(n, offices, user)
            print(f"seeded {n:,} {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    # Written by SQL, behind the signals' back: the tallies must be counted afresh.
    TalliesBuilt.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- Timing --------------------------------------------------------------------------------------


def _report(username: str) -> dict[tuple[str, str], int]:
    """The annual appeals report of the user's own office (and everything below it), as the page
    asks it: every figure for the year and the year before."""
    from django.contrib.auth import get_user_model

    from legal_statistics import reports
    from legal_statistics.reports import periods
    from prosecution.offices.access import staff_profile

    user = get_user_model().objects.get(username=username)
    office = staff_profile(user).office
    report = reports.get("appeals")
    period = periods.parse(str(YEAR))
    rows = report.rows(user, office, period)
    before = period.year_before()
    counted = {(row.figure.key, period.code): row.current for row in rows}
    counted.update({(row.figure.key, before.code): row.before for row in rows})
    return counted


FLOOR = {
    # What came: one pass over the appeals received in the two years, grouped.
    "received": """
        SELECT received_on >= %(start)s, channel, kind, language, ground, count(*)
        FROM appeals_appeal
        WHERE office_path LIKE %(scope)s AND received_on BETWEEN %(before)s AND %(end)s
        GROUP BY 1, 2, 3, 4, 5""",
    # How it ended: the answers sent in the two years.
    "answered": """
        SELECT answered_on >= %(start)s, outcome, kind, count(*)
        FROM appeals_appeal
        WHERE office_path LIKE %(scope)s AND answered_on BETWEEN %(before)s AND %(end)s
        GROUP BY 1, 2, 3""",
    "redirected": """
        SELECT redirected_on >= %(start)s, count(*)
        FROM appeals_appeal
        WHERE office_path LIKE %(scope)s AND redirected_on BETWEEN %(before)s AND %(end)s
        GROUP BY 1""",
    # The course: appeals with an event of a kind (each appeal once).
    "events": """
        SELECT e.at >= %(start_at)s, e.kind, count(DISTINCT a.id)
        FROM appeals_appealevent e JOIN appeals_appeal a ON a.id = e.appeal_id
        WHERE a.office_path LIKE %(scope)s
          AND e.kind IN ('extended', 'sent_to_office', 'terminated', 'not_considered')
          AND (e.kind <> 'not_considered' OR a.is_anonymous)
          AND e.at >= %(before_at)s AND e.at < %(end_at)s
        GROUP BY 1, 2""",
    # In time and late: the answer terms met (each appeal once).
    "terms": """
        SELECT t.met_on >= %(start)s, t.met_on <= t.due_date, count(DISTINCT a.id)
        FROM prosecution_term t JOIN appeals_appeal a ON a.id = t.subject_id
        WHERE t.subject_type_id = %(appeal_type)s AND a.office_path LIKE %(scope)s
          AND t.kind IN ('appeal_answer', 'complaint_decision') AND t.state = 'met'
          AND t.met_on BETWEEN %(before)s AND %(end)s
        GROUP BY 1, 2""",
}
CHANNEL_FIGURES = ("channel", "kind", "language", "ground")


def _floor(cursor, scope: str) -> dict[tuple[str, str], int]:
    """The appeals report's figures for YEAR and the year before, from the statements above:
    written by hand, grouped rather than filtered, no ORM and no access policy (the bench's heads
    see their whole subtree). The floor of the same figures, and a second count of them."""
    from collections import Counter
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from appeals.models import Appeal

    zone = ZoneInfo(settings.TIME_ZONE)
    params = {
        "scope": scope + "%",
        "start": date(YEAR, 1, 1),
        "before": date(YEAR - 1, 1, 1),
        "end": date(YEAR, 12, 31),
        "start_at": datetime.combine(date(YEAR, 1, 1), time.min, zone),
        "before_at": datetime.combine(date(YEAR - 1, 1, 1), time.min, zone),
        "end_at": datetime.combine(date(YEAR + 1, 1, 1), time.min, zone),
        "appeal_type": ContentType.objects.get_for_model(Appeal).pk,
    }
    figures: Counter = Counter()

    def add(key: str, current: bool, n: int) -> None:
        figures[key, str(YEAR if current else YEAR - 1)] += n

    for current, *attributes, n in cursor.execute(FLOOR["received"], params):
        add("received", current, n)
        for name, value in zip(CHANNEL_FIGURES, attributes, strict=True):
            add(f"{name}-{value}", current, n)
    for current, outcome, kind, n in cursor.execute(FLOOR["answered"], params):
        add(f"outcome-{outcome}", current, n)
        if kind == "complaint" and outcome in ("satisfied", "partly"):
            add("complaints-upheld", current, n)
    for current, n in cursor.execute(FLOOR["redirected"], params):
        add("redirected", current, n)
    event_figures = {
        "extended": "extended",
        "sent_to_office": "forwarded",
        "terminated": "repeated-closed",
        "not_considered": "anonymous-closed",
    }
    for current, kind, n in cursor.execute(FLOOR["events"], params):
        add(event_figures[kind], current, n)
    for current, in_time, n in cursor.execute(FLOOR["terms"], params):
        add("in-time" if in_time else "late", current, n)
    return figures


def _time_floor(url: str, username: str, floor=None) -> tuple[float, dict]:
    import psycopg
    from bench_dashboard import _median_ms  # median of BENCH_RUNS after one warm-up
    from django.contrib.auth import get_user_model

    from prosecution.offices.access import staff_profile

    scope = staff_profile(get_user_model().objects.get(username=username)).office.path
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        return _median_ms(lambda: (floor or _floor)(cursor, scope))


TALLY_FLOOR = {
    # The months' counts of every figure, in the two years.
    "months": """
        SELECT figure, month >= %(start)s, sum(n)
        FROM legal_statistics_figuretally
        WHERE report = 'appeals' AND office_path LIKE %(scope)s
          AND month BETWEEN %(before)s AND %(end)s
        GROUP BY 1, 2""",
    # Less the records counted in two months of one year.
    "repeats": """
        SELECT figure, first >= %(start)s, sum(n)
        FROM legal_statistics_figurerepeat
        WHERE report = 'appeals' AND office_path LIKE %(scope)s
          AND (first >= %(start)s AND second <= %(end)s
               OR first >= %(before)s AND second < %(start)s)
        GROUP BY 1, 2""",
}


def _tally_floor(cursor, scope: str) -> dict[tuple[str, str], int]:
    """The same figures from the tallies, by hand (legal_statistics/reports/tallies.py)."""
    from collections import Counter
    from datetime import date

    params = {
        "scope": scope + "%",
        "start": date(YEAR, 1, 1),
        "before": date(YEAR - 1, 1, 1),
        "end": date(YEAR, 12, 31),
    }
    figures: Counter = Counter()
    for sign, sql in ((1, TALLY_FLOOR["months"]), (-1, TALLY_FLOOR["repeats"])):
        for figure, current, n in cursor.execute(sql, params):
            figures[figure, str(YEAR if current else YEAR - 1)] += sign * n
    return figures


@contextlib.contextmanager
def _from_the_records():
    """The reports counted from their records inside: their tallies set aside, as for a period
    that cuts a month (legal_statistics/reports/tallies.py reading)."""
    from legal_statistics.reports import tallies

    reading = tallies.reading
    tallies.reading = lambda *args: None
    try:
        yield
    finally:
        tallies.reading = reading


def _once(username: str, counted: str) -> None:
    """Child process: the cold report (the first of a fresh process), then the warm median;
    `counted` "records": with its tallies set aside, as a period that cuts a month is counted."""
    from bench_dashboard import _median_ms

    with _from_the_records() if counted == "records" else contextlib.nullcontext():
        started = time.perf_counter()
        first = _report(username)
        cold = (time.perf_counter() - started) * 1000
        warm, result = _median_ms(lambda: _report(username))
    assert result == first
    print(f"{cold:.1f} {warm:.1f}")


def main() -> None:
    url = os.environ.get("BENCH_REPORTS_DATABASE_URL", DEFAULT_URL)
    if len(sys.argv) == 4 and sys.argv[1] == "--once":
        _setup_django(url)
        _once(sys.argv[2], sys.argv[3])
        return
    from bench_dashboard import _create_database_if_missing  # bench/ is the script's own path

    _create_database_if_missing(url)
    _setup_django(url)
    _seed()
    print(
        f"appeals report for {YEAR} beside {YEAR - 1}, {APPEALS:,} appeals, {CHECKS:,} checks,"
        f" {ACTS:,} acts over three years; median of {RUNS} runs"
    )
    print(
        f"{'office':<10} {'counted from':<13} {'cold ms':>9} {'warm ms':>9} {'floor ms':>9}"
        f" {'warm/floor':>11}"
    )
    for name, username in (("republic", REPUBLIC_HEAD), ("district", DISTRICT_HEAD)):
        report = _report(username)
        for counted, floor in (("tallies", _tally_floor), ("records", _floor)):
            child = subprocess.run(
                [sys.executable, __file__, "--once", username, counted],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            cold, warm = (float(x) for x in child.stdout.split())
            floor_ms, floor_figures = _time_floor(url, username, floor)
            # Figures the floor never met (a channel with no appeal) are 0 in the report.
            assert {k: v for k, v in floor_figures.items() if v} == {
                k: v for k, v in report.items() if v
            }, "they disagree"
            print(
                f"{name:<10} {counted:<13} {cold:>9.1f} {warm:>9.1f} {floor_ms:>9.1f}"
                f" {warm / floor_ms:>11.2f}"
            )
    _time_changes()
    _time_other_reports()


def _time_other_reports() -> None:
    """The annual checks and acts reports (100,000 checks, 200,000 acts), warm, from their tallies
    and counted from the records; no floor of their own (the issue's targets are the appeals')."""
    from bench_dashboard import _median_ms
    from django.contrib.auth import get_user_model

    from legal_statistics import reports
    from legal_statistics.reports import periods
    from prosecution.offices.access import staff_profile

    period = periods.parse(str(YEAR))
    print(f"{'report':<8} {'office':<10} {'tallies ms':>11} {'records ms':>11}")
    for key in ("checks", "acts"):
        report = reports.get(key)
        for name, username in (("republic", REPUBLIC_HEAD), ("district", DISTRICT_HEAD)):
            user = get_user_model().objects.get(username=username)
            office = staff_profile(user).office
            kept, rows = _median_ms(lambda: report.rows(user, office, period))  # noqa: B023
            with _from_the_records():
                counted, live = _median_ms(lambda: report.rows(user, office, period))  # noqa: B023
            assert rows == live, f"{key}: the tallies and the records disagree"
            print(f"{key:<8} {name:<10} {kept:>11.1f} {counted:>11.1f}")


def _time_changes() -> None:
    """What keeping the tallies costs a change: an appeal's channel changed and saved (rolled
    back), with the tallies' receivers connected and without, median of 51 appeals each."""
    import statistics

    from django.db import transaction
    from django.db.models.signals import post_save

    from appeals.models import Appeal
    from legal_statistics import reports
    from legal_statistics.reports import tallies

    bench = Appeal.objects.filter(reference__startswith=f"{TAG}-")
    first = bench.order_by("pk").values_list("pk", flat=True)[0]
    appeals = list(Appeal.objects.filter(pk__in=range(first, first + APPEALS, APPEALS // 51)))

    class Undo(Exception):
        pass

    def save(appeal) -> float:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                appeal.channel = "email" if appeal.channel != "email" else "written"
                appeal.save()
                raise Undo
        except Undo:
            pass
        return (time.perf_counter() - started) * 1000

    kept = statistics.median(save(appeal) for appeal in appeals)
    post_save.disconnect(sender=Appeal, dispatch_uid="report-tallies:appeals:appeals.Appeal")
    bare = statistics.median(save(appeal) for appeal in appeals)
    tallies.connect([reports.get("appeals")])
    print(f"an appeal changed and saved: {kept:.1f} ms with the tallies, {bare:.1f} ms without")


if __name__ == "__main__":
    main()
