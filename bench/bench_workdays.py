"""How fast is prosecution/workdays.py, next to numpy.busday_offset (the physical floor)?

Run from the project root:

    DJANGO_SECRET_KEY=... .venv/bin/python bench/bench_workdays.py

It migrates a throwaway SQLite database in a temporary directory (the calendar for 2020-2030 comes
from the seed migration), so it never touches var/db.sqlite3. It prints figures and asserts only
that both implementations agree; timings are never asserted.

numpy's business-day calendar is a weekmask plus holidays: it cannot make a Saturday or Sunday a
working day (Labour Code Art. 85(3) transfers, e.g. Sun 5 Jan 2025). Starts whose term touches such
a day are left out of the comparison, and their number is printed.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

N_STARTS = 200_000
TERM_WD = 15  # Art. 24(3): an appeal is considered within 15 working days
TERM_CD = 30  # Art. 36: a submission is considered within 30 calendar days
BETWEEN_SPAN = 45  # working_days_between(start, start + 45 days)
REPEATS = 3  # best of
FIRST, LAST = date(2025, 1, 1), date(2029, 12, 31)


def _setup_django(tmp: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prosecution.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _best_rate(fn, *columns) -> float:
    """Calls per second of fn over the columns (best of REPEATS, loop overhead included)."""
    n = len(columns[0])
    best = float("inf")
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for args in zip(*columns, strict=True):
            fn(*args)
        best = min(best, time.perf_counter() - t0)
    return n / best


def _best_vector_rate(fn, n: int) -> float:
    """Elements per second of one vectorized call (best of REPEATS)."""
    best = float("inf")
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return n / best


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-workdays-") as tmp:
        t0 = time.perf_counter()
        _setup_django(Path(tmp))
        print(f"setup + migrate of a throwaway SQLite DB: {time.perf_counter() - t0:.1f} s")
        run()


def run() -> None:
    import numpy as np

    from prosecution import workdays
    from prosecution.models import CalendarDay

    # --- Cold load: the first call after the cache is dropped (one aggregate + one SELECT + the
    # array of working-day ordinals for 1995-2075).
    cold = []
    for _ in range(7):
        workdays.invalidate()
        t0 = time.perf_counter()
        workdays.is_working_day(date(2026, 3, 23))
        cold.append((time.perf_counter() - t0) * 1000)
    recheck = []
    for _ in range(7):
        t0 = time.perf_counter()
        workdays._db_version()
        recheck.append((time.perf_counter() - t0) * 1000)
    print(
        f"cold load (first call): first {cold[0]:.1f} ms, median of 7 "
        f"{statistics.median(cold):.1f} ms; periodic recheck query: "
        f"{statistics.median(recheck):.2f} ms every {workdays.RECHECK_SECONDS:g} s"
    )

    # --- Inputs.
    rng = random.Random(20260320)
    span = (LAST - FIRST).days
    starts = [FIRST + timedelta(days=rng.randrange(span + 1)) for _ in range(N_STARTS)]
    ends = [s + timedelta(days=BETWEEN_SPAN) for s in starts]
    np_starts = np.array(starts, dtype="datetime64[D]")
    np_ends = np.array(ends, dtype="datetime64[D]")
    one = np.timedelta64(1, "D")

    rows = list(CalendarDay.objects.order_by("date"))
    days_off = [r.date for r in rows if not r.is_working]
    worked_weekends = [r.date for r in rows if r.is_working]
    cal = np.busdaycalendar(weekmask="1111100", holidays=np.array(days_off, dtype="datetime64[D]"))
    print(
        f"calendar: {len(days_off)} days off, {len(worked_weekends)} worked weekend days "
        f"({', '.join(d.isoformat() for d in worked_weekends)}); {N_STARTS:,} random starts "
        f"{FIRST}..{LAST}"
    )

    # numpy equivalents. Ours counts from day 0 = start (docs/rules.md): the n-th working day after
    # start is busday_offset with roll="backward" (a start on a day off rolls back to the last
    # working day before it, from which the n-th working day is the same).
    def np_add_wd(s, n=TERM_WD):
        return np.busday_offset(s, n, roll="backward", busdaycal=cal)

    def np_between(a, b):  # ours counts (a, b]; busday_count counts [a, b)
        return np.busday_count(a + one, b + one, busdaycal=cal)

    def np_is_working(d):
        return np.is_busday(d, busdaycal=cal)

    def np_add_cd(s, n=TERM_CD):
        return np.busday_offset(s + np.timedelta64(n, "D"), 0, roll="forward", busdaycal=cal)

    ours_add_wd = workdays.add_working_days
    ours_add_cd = workdays.add_calendar_days

    # --- Warm-up (also the results to compare).
    got = {
        "add_working_days": [ours_add_wd(s, TERM_WD) for s in starts],
        "working_days_between": [
            workdays.working_days_between(a, b) for a, b in zip(starts, ends, strict=True)
        ],
        "is_working_day": [workdays.is_working_day(s) for s in starts],
        "add_calendar_days": [ours_add_cd(s, TERM_CD) for s in starts],
    }
    want = {
        "add_working_days": np_add_wd(np_starts).astype(object).tolist(),
        "working_days_between": np_between(np_starts, np_ends).tolist(),
        "is_working_day": np_is_working(np_starts).tolist(),
        "add_calendar_days": np_add_cd(np_starts).astype(object).tolist(),
    }
    windows = {  # the days each result depends on, to leave out worked weekend days
        "add_working_days": lambda i: (starts[i], got["add_working_days"][i]),
        "working_days_between": lambda i: (starts[i], ends[i]),
        "is_working_day": lambda i: (starts[i], starts[i]),
        "add_calendar_days": lambda i: (starts[i], got["add_calendar_days"][i]),
    }
    print()
    print(f"{'function':<22} {'compared':>9} {'excluded*':>9} {'mismatch':>8} {'all-in':>8}")
    for name in got:
        excluded = mismatched = mismatched_all = 0
        for i, (g, w) in enumerate(zip(got[name], want[name], strict=True)):
            lo, hi = windows[name](i)
            touches_worked_weekend = any(lo <= d <= hi for d in worked_weekends)
            if g != w:
                mismatched_all += 1
            if touches_worked_weekend:
                excluded += 1
            elif g != w:
                mismatched += 1
        print(
            f"{name:<22} {N_STARTS - excluded:>9,} {excluded:>9,} {mismatched:>8} "
            f"{mismatched_all:>8}"
        )
        assert mismatched == 0, f"{name}: {mismatched} results differ from numpy"
    print("* starts whose term touches a worked weekend day, which numpy cannot model;")
    print("  'all-in' counts the mismatches if they were compared anyway.")

    # --- Timings.
    scalar_starts = list(np_starts)  # numpy scalars, so numpy's per-call figure is not conversion
    scalar_ends = list(np_ends)
    bench = [
        (
            f"add_working_days(s, {TERM_WD})",
            lambda: _best_rate(ours_add_wd, starts, [TERM_WD] * N_STARTS),
            lambda: _best_rate(np_add_wd, scalar_starts),
            lambda: _best_vector_rate(lambda: np_add_wd(np_starts), N_STARTS),
        ),
        (
            "working_days_between",
            lambda: _best_rate(workdays.working_days_between, starts, ends),
            lambda: _best_rate(np_between, scalar_starts, scalar_ends),
            lambda: _best_vector_rate(lambda: np_between(np_starts, np_ends), N_STARTS),
        ),
        (
            "is_working_day",
            lambda: _best_rate(workdays.is_working_day, starts),
            lambda: _best_rate(np_is_working, scalar_starts),
            lambda: _best_vector_rate(lambda: np_is_working(np_starts), N_STARTS),
        ),
        (
            f"add_calendar_days(s, {TERM_CD})",
            lambda: _best_rate(ours_add_cd, starts, [TERM_CD] * N_STARTS),
            lambda: _best_rate(np_add_cd, scalar_starts),
            lambda: _best_vector_rate(lambda: np_add_cd(np_starts), N_STARTS),
        ),
    ]
    print()
    header = (
        f"{'calls/s':<26} {'ours':>11} {'numpy/call':>11} {'numpy vec':>13} "
        f"{'ours/np call':>12} {'ours/np vec':>11}"
    )
    print(header)
    print("-" * len(header))
    for label, ours, np_call, np_vec in bench:
        o, c, v = ours(), np_call(), np_vec()
        print(f"{label:<26} {o:>11,.0f} {c:>11,.0f} {v:>13,.0f} {o / c:>12.2f} {o / v:>11.3f}")
    print(
        f"\n(best of {REPEATS} passes over {N_STARTS:,} starts; Python loop overhead included for "
        "'ours' and 'numpy/call'; 'numpy vec' is one call over the whole array)"
    )


if __name__ == "__main__":
    main()
