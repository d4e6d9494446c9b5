"""What does the audit log cost a change on PostgreSQL? N audited changes one after the other, each
its own transaction, next to the same changes unaudited (the floor).

Run from the project root (PostgreSQL must answer; the database is created if missing):

    DJANGO_SECRET_KEY=... BENCH_AUDIT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<yours> \
        .venv/bin/python bench/bench_audit.py

- BENCH_AUDIT_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/prosecution_bench_audit): a
  database of its own, never the app's; it is migrated, and the log grows by every run.
- BENCH_AUDIT_N (default 1000): changes per figure.
- BENCH_AUDIT_RUNS (default 5): timed runs per figure after one warm-up; the median is printed.

A change is one UPDATE of a row (an office's English name, by raw SQL, so that no receiver adds
work of its own) in a transaction of its own; an audited change also records it
(`audit.record`, as a service does), and "5 records" records it five times in the transaction.
The figures are the whole wall time of the N changes, whatever the log does for them before,
during or after the commit. The bench checks that the chain verifies and holds every record.
Timings are printed, never asserted.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/prosecution_bench_audit"
N = int(os.environ.get("BENCH_AUDIT_N", "1000"))
RUNS = int(os.environ.get("BENCH_AUDIT_RUNS", "5"))


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


def _changes(records_each: int):
    from django.db import connection, transaction

    from prosecution.audit import log as audit

    def run() -> None:
        for n in range(N):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE prosecution_office SET name_en = %s WHERE code = 'GPO'",
                        [f"Prosecutor General's Office {n}"],
                    )
                for _ in range(records_each):
                    audit.record("bench.change", target=("prosecution.office", "GPO", ""), n=n)

    return run


def _median_s(fn) -> float:
    fn()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _verify_whole_chain(expected_new: int, before: int) -> int:
    try:
        from prosecution.audit.chain import verify
    except ImportError:  # before the log was split (prosecution/audit/log.py held everything)
        from prosecution.audit.log import verify
    from prosecution.models import AuditRecord

    count, broken = verify()
    assert broken is None, broken
    assert count == AuditRecord.objects.count() == before + expected_new, (count, before)
    return count


def main() -> None:
    url = os.environ.get("BENCH_AUDIT_DATABASE_URL", DEFAULT_URL)
    _setup_django(url)
    from django.db import connection

    from prosecution.models import AuditRecord

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        synchronous = cursor.fetchone()[0]
    print(
        f"N = {N:,} changes in a transaction each; PostgreSQL {version} "
        f"(synchronous_commit {synchronous}); {os.cpu_count()} CPUs ({platform.machine()}); "
        f"median of {RUNS} runs"
    )
    before = AuditRecord.objects.count()
    floor = _median_s(_changes(0))
    print(f"unaudited:          {floor:6.2f} s  {floor / N * 1000:6.2f} ms a change")
    for each in (1, 5):
        took = _median_s(_changes(each))
        print(
            f"audited, {each} record{'s' if each > 1 else ' '}: {took:6.2f} s  "
            f"{took / N * 1000:6.2f} ms a change  (+{(took - floor) / N * 1000:.2f} ms)"
        )
    count = _verify_whole_chain((RUNS + 1) * N * 6, before)
    print(f"the chain verifies: {count:,} records")


if __name__ == "__main__":
    main()
