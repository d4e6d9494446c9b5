"""How fast is the supervisors' deadline dashboard (legal_statistics/selectors.py) on PostgreSQL,
next to a hand-written single SQL computing the same numbers (the floor)? And how long does the
sweep of the terms (prosecution.terms.tasks.sweep_terms) take?

Run from the project root (PostgreSQL must answer; the database is created if missing):

    DJANGO_SECRET_KEY=... BENCH_N=100000 .venv/bin/python bench/bench_dashboard.py

- BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/prosecution_bench): a database of
  its own, never the app's. It is migrated, then seeded by bench/seed_terms.py with BENCH_N active
  terms (default 100,000) and half as many closed ones; it is reseeded only when the numbers or
  the day differ.
- BENCH_RUNS (default 9, at least 7): timed runs per figure, after one warm-up; the median is
  printed.
- BENCH_SWEEP=0 leaves the sweep out.
- BENCH_RECOMPUTE=0 leaves out the recomputation after a change of the calendar.
- BENCH_DASHBOARD=0 leaves the dashboard out.

The dashboard figure is what GET /api/v1/dashboard/ computes: scope_office() and dashboard() for a
member of staff of the office (the staff profile lookup included; the session and the JSON are
not). The floor is one hand-written statement computing the same numbers from the same tables
(the tallies of prosecution/models/tallies.py: roll-up by office path and kind, the 20 people, the
trend), run through the same connection. The bench checks the selector's numbers against a count
of the term table alone (the statement that was the floor before the tallies), run once per
scope. The sweep runs twice inside a transaction that is then rolled back, so that every run
starts from the seeded state: first the catch-up after a seed (every term due in the last two
days to mark missed, every near due date to remind, the 09:00 digest), then an idle minute.
Notices are queued to Celery's in-memory transport unless CELERY_BROKER_URL says otherwise.
Timings are printed, never asserted.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/prosecution_bench"
N = int(os.environ.get("BENCH_N", "100000"))
RUNS = max(int(os.environ.get("BENCH_RUNS", "9")), 7)
DASHBOARD = os.environ.get("BENCH_DASHBOARD", "1") != "0"
SWEEP = os.environ.get("BENCH_SWEEP", "1") != "0"
RECOMPUTE = os.environ.get("BENCH_RECOMPUTE", "1") != "0"
# (label, office code, target in ms): issue 3's targets for 1,000,000 active terms on 2 cores.
SCOPES = [("GPO", "GPO", 150.0), ("region", "R-AKMOLA", 150.0), ("district", "R-AKMOLA-B02", 30.0)]
RATIO_TARGET = 1.5

_AGGREGATES = """
       count(*) FILTER (WHERE (due_date < %(today)s AND state = 'open') OR state = 'missed'),
       count(*) FILTER (WHERE due_date = %(today)s AND state = 'open'),
       count(*) FILTER (WHERE due_date > %(today)s AND due_date <= %(soon)s AND state = 'open'),
       count(*) FILTER (WHERE state = 'suspended'),
       count(*)"""
_ACTIVE_IN_SCOPE = """
  FROM prosecution_term
 WHERE state IN ('open', 'suspended', 'missed') AND NOT is_classified
   AND office_path LIKE %(prefix)s"""
FLOOR_ROLLUP = f"""
SELECT 'o', office_path, kind, NULL::integer, NULL::date, {_AGGREGATES} {_ACTIVE_IN_SCOPE}
 GROUP BY office_path, kind"""
FLOOR_PEOPLE = f"""
SELECT 'p', NULL, NULL, responsible_id, NULL::date, {_AGGREGATES} {_ACTIVE_IN_SCOPE}
 GROUP BY responsible_id ORDER BY 6 DESC, 10 DESC, 4 LIMIT 20"""
FLOOR_TREND = """
SELECT 't', NULL, NULL, NULL::integer, due_date, NULL::bigint, NULL::bigint, NULL::bigint,
       NULL::bigint, count(*)
  FROM prosecution_term
 WHERE (state = 'missed' OR (state = 'met' AND met_on > due_date))
   AND due_date >= %(trend_from)s AND due_date < %(today)s
   AND NOT is_classified AND office_path LIKE %(prefix)s
 GROUP BY due_date"""
TRUTH = f"({FLOOR_ROLLUP}) UNION ALL ({FLOOR_PEOPLE}) UNION ALL ({FLOOR_TREND})"

# The same numbers from the tallies: the active terms by state, and the open ones due by the end
# of "due soon" by due date.
_NEAR_COUNTS = """
       sum(n) FILTER (WHERE due_date < %(today)s), sum(n) FILTER (WHERE due_date = %(today)s),
       sum(n) FILTER (WHERE due_date > %(today)s), 0, 0"""
_NEAR = """
 WHERE due_date <= %(soon)s AND NOT is_classified AND office_path LIKE %(prefix)s"""
_TALLY_COUNTS = """
       sum(n) FILTER (WHERE state = 'missed'), 0, 0, sum(n) FILTER (WHERE state = 'suspended'),
       sum(n)"""
FLOOR_TALLY_ROLLUP = f"""
SELECT 'o', office_path, kind, NULL::integer, NULL::date, {_TALLY_COUNTS}
  FROM prosecution_activetermsbykind WHERE NOT is_classified AND office_path LIKE %(prefix)s
 GROUP BY office_path, kind
 UNION ALL
SELECT 'o', office_path, kind, NULL::integer, NULL::date, {_NEAR_COUNTS}
  FROM prosecution_opentermsbykindandday {_NEAR}
 GROUP BY office_path, kind"""
FLOOR_TALLY_PEOPLE = f"""
SELECT 'p', NULL, NULL, responsible_id, NULL::date, sum(o), sum(t), sum(s), sum(u), sum(a)
  FROM (SELECT responsible_id, {_TALLY_COUNTS}
          FROM prosecution_activetermsbyperson
         WHERE NOT is_classified AND office_path LIKE %(prefix)s
         GROUP BY responsible_id
         UNION ALL
        SELECT responsible_id, {_NEAR_COUNTS}
          FROM prosecution_opentermsbypersonandday {_NEAR}
         GROUP BY responsible_id) AS parts (responsible_id, o, t, s, u, a)
 GROUP BY responsible_id ORDER BY 6 DESC, 10 DESC, 4 LIMIT 20"""
FLOOR_TALLY_TREND = """
SELECT 't', NULL, NULL, NULL::integer, due_date, NULL::bigint, NULL::bigint, NULL::bigint,
       NULL::bigint, sum(n)
  FROM prosecution_latetermsbyday
 WHERE due_date >= %(trend_from)s AND due_date < %(today)s
   AND NOT is_classified AND office_path LIKE %(prefix)s
 GROUP BY due_date"""
FLOOR_DASHBOARD = (
    f"({FLOOR_TALLY_ROLLUP}) UNION ALL ({FLOOR_TALLY_PEOPLE}) UNION ALL ({FLOOR_TALLY_TREND})"
)


# --- Set-up --------------------------------------------------------------------------------------


def _setup_django(url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prosecution.settings")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://localhost/")
    os.environ["DATABASE_URL"] = url
    _create_database_if_missing(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _create_database_if_missing(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}", file=sys.stderr)


# --- Timing --------------------------------------------------------------------------------------


def _median_ms(fn, runs: int = RUNS):
    """Median wall time of fn() in ms over `runs` runs after one warm-up, and its last result."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _floor(sql: str, params: dict):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _params(office, horizon) -> dict:
    first_monday = horizon.today - timedelta(days=horizon.today.weekday(), weeks=11)
    return {
        "prefix": office.path + "%",
        "today": horizon.today,
        "soon": horizon.soon_until,
        "trend_from": first_monday - timedelta(days=1),
    }


def _same_numbers(result, rows) -> None:
    """Rows of TRUTH or of the floor, folded as the selector folds them, equal the selector's
    numbers."""
    totals = [0] * 5
    kinds: dict[str, list[int]] = {}
    people, trend = [], 0
    for part, _path, kind, person, _day, *counted in rows:
        counts = [n or 0 for n in counted]  # SUM ... FILTER of no row is NULL
        if part == "o":
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            kinds[kind] = [a + b for a, b in zip(kinds.get(kind, [0] * 5), counts, strict=True)]
        elif part == "p":
            people.append((person, counts[0], counts[4]))
        else:
            trend += counts[4]
    t = result.totals
    assert totals == [t.overdue, t.due_today, t.due_soon, t.suspended, t.total], "totals differ"
    assert {k.kind: k.counts.total for k in result.by_kind} == {k: c[4] for k, c in kinds.items()}
    assert [(p.user_id, p.counts.overdue, p.counts.total) for p in result.by_person] == people
    assert sum(w.missed for w in result.trend) == trend, "trend differs"


def _line(label: str, ms: float, floor_ms: float, target: float | None) -> str:
    ratio = ms / floor_ms
    text = f"{label}: {ms:.1f} ms (floor {floor_ms:.1f} ms, ratio {ratio:.2f}"
    if target is None:
        return text + ")"
    verdict = "met" if ms <= target and ratio <= RATIO_TARGET else "MISSED"
    return text + f"; target ≤ {target:g} ms, ratio ≤ {RATIO_TARGET:g}) {verdict}"


def measure_dashboard(today: date) -> None:
    for label, code, target in SCOPES:
        _measure_scope(label, code, target, today)


def _measure_scope(label: str, code: str, target: float, today: date) -> None:
    from django.contrib.auth import get_user_model

    from legal_statistics import selectors
    from legal_statistics.bands import Horizon
    from legal_statistics.selectors import DashboardFilters

    User = get_user_model()
    horizon = Horizon.on(today)
    none = DashboardFilters()
    user_pk = User.objects.get(username=f"bench.{code.lower()}.00").pk
    # A request reads its user afresh (and so the staff profile, on first use): so does each run.
    fresh = [User.objects.get(pk=user_pk) for _ in range(RUNS + 1)]

    def as_the_api_does():
        user = fresh.pop()
        office = selectors.scope_office(user, "")
        return selectors.dashboard(user, office, none, today=today)

    ms, result = _median_ms(as_the_api_does)
    params = _params(result.office, horizon)
    truth_ms, rows = _median_ms(_floor(TRUTH, params))
    _same_numbers(result, rows)
    tally_ms, rows = _median_ms(_floor(FLOOR_DASHBOARD, params))
    _same_numbers(result, rows)
    # The floor: the faster of the two statements (the tallies', or the terms' alone).
    floor_ms, source = min((tally_ms, "tallies"), (truth_ms, "terms"))
    print(_line(f"dashboard {label}", ms, floor_ms, target) + f" [floor from the {source}]")
    user, office = User.objects.get(pk=user_pk), result.office
    if office.children.exists():
        parts = [
            ("roll-up + kinds", partial(selectors.rollup, user, office, none, horizon)),
            ("people", partial(selectors.by_person, user, office, none, horizon)),
        ]
        floors = [FLOOR_TALLY_ROLLUP, FLOOR_TALLY_PEOPLE]
    else:  # the page of an office with none below it counts its own terms (_own_terms)
        own = partial(selectors._own_terms, user, office, none, horizon)
        parts = [("roll-up + kinds + people", own)]
        floors = [f"({FLOOR_ROLLUP}) UNION ALL ({FLOOR_PEOPLE})"]
    parts.append(("trend", partial(selectors.missed_per_week, user, office, none, today)))
    floors.append(FLOOR_TALLY_TREND)
    for (part, fn), sql in zip(parts, floors, strict=True):
        part_ms, _ = _median_ms(fn)
        part_floor, _ = _median_ms(_floor(sql, params))
        print("  " + _line(f"{part} {label}", part_ms, part_floor, None))


def measure_sweep(today: date) -> None:
    """The sweep at 10:00 Almaty time of the seed's day, whatever the clock says: on a working
    day the 09:00 digest is part of the catch-up, so that runs at any hour measure the same work
    (before 09:00 the digest is not due, after midnight the seed's "missed" shifts by a day)."""
    from datetime import datetime
    from datetime import time as clock

    import time_machine
    from django.db import transaction
    from django.utils import timezone

    from prosecution.terms.tasks import sweep_terms

    class Rollback(Exception):
        pass

    ten = datetime.combine(today, clock(10), tzinfo=timezone.get_current_timezone())
    try:
        with time_machine.travel(ten, tick=True), transaction.atomic():
            started = time.perf_counter()
            catch_up = sweep_terms()
            middle = time.perf_counter()
            idle = sweep_terms()
            ended = time.perf_counter()
            raise Rollback
    except Rollback:
        pass
    print(f"\nsweep, catch-up after the seed: {middle - started:.2f} s {catch_up}")
    print(f"sweep, the minute after: {(ended - middle) * 1000:.1f} ms {idle}")
    print("(inside one transaction, rolled back after: the per-chunk commits are not timed)")


def measure_recompute(today: date) -> None:
    """prosecution.terms.engine.recompute_after_calendar_change after a decree makes a day off: one
    beyond every due date (the scan alone: nothing moves), then the last due date of the open
    terms (the terms due that day move, each in its own transaction). Rolled back, as the
    sweep."""
    from django.db import transaction
    from django.db.models import Max

    from prosecution import workdays
    from prosecution.models import CalendarDay, Term
    from prosecution.terms import engine as terms

    class Rollback(Exception):
        pass

    recomputed = Term.objects.filter(state__in=["open", "suspended"], fixed_due__isnull=True)
    last = recomputed.aggregate(last=Max("due_date"))["last"]
    while not workdays.is_working_day(last):
        last -= timedelta(days=1)
    beyond = today + timedelta(days=400)
    # A working day with no row of its own (the seeded calendar reaches some years ahead).
    while not workdays.is_working_day(beyond) or CalendarDay.objects.filter(date=beyond).exists():
        beyond += timedelta(days=1)
    for label, day in (("nothing moves", beyond), (f"{last} off", last)):
        try:
            with transaction.atomic():
                CalendarDay.objects.create(date=day, kind="day_off", legal_source="bench")
                workdays.invalidate()
                started = time.perf_counter()
                moved = terms.recompute_after_calendar_change()
                took = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        workdays.invalidate()
        print(f"recompute after a calendar change, {label}: {took:.2f} s, {len(moved):,} moved")


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    started = time.perf_counter()
    _setup_django(url)
    from django.db import connection
    from django.utils import timezone
    from seed_terms import HISTORY_SHARE, seed

    print(f"setup + migrate: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    today = timezone.localdate()
    seed(today, N)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"{N:,} active terms (+{int(N * HISTORY_SHARE):,} closed) on {today}; PostgreSQL "
        f"{version}; {os.cpu_count()} CPUs ({platform.machine()}); median of {RUNS} runs"
    )
    calibration, _ = _median_ms(_floor("SELECT count(*) FROM prosecution_term", {}))
    print(
        f"calibration: SELECT count(*) over the {int(N * (1 + HISTORY_SHARE)):,} terms: "
        f"{calibration:.1f} ms (compare machines and moments by this)"
    )
    if DASHBOARD:
        measure_dashboard(today)
    if SWEEP:
        measure_sweep(today)
    if RECOMPUTE:
        measure_recompute(today)


if __name__ == "__main__":
    main()
