"""The audit log's chain (docs/security.md 24): the sealer that moves committed records into it,
and the verifier.

Each record holds the hash of the previous one and its own SHA-256 over a canonical JSON of its
fields and that previous hash (`digest`), so a record changed afterwards breaks the chain there;
`verify()` (manage.py verify_audit_log) finds the first broken link. `seq` is gapless: the next
number is the last one plus one.

How a record gets there. `record()` (log.py) writes it unchained, in the transaction of the change
it records, to the pending table (PendingAuditRecord): a change rolled back, or a savepoint rolled
back, takes its records with it, with nothing to keep track of. After the commit
(`transaction.on_commit`) the sealer (`seal`) chains what is pending, in a short transaction of
its own: it takes the chain's lock (a PostgreSQL transaction-level advisory lock; SQLite
serializes writers itself), reads the last record and the pending records in the order they were
written, inserts them chained and deletes them from the pending table. That transaction touches
the two audit tables alone, whose rows nobody else locks, so the lock is never held while a
transaction waits for rows or does its work (no deadlock through the log), and a change's
transaction never takes it: only the seals after the commits queue for it, one short transaction
each, and the first of them chains the records of the others committed by then. `seq` is the
order in which records were chained: the order of the commits, but for transactions committed
within one seal of each other (then the order in which their records were written).

A process that dies between its commit and its seal leaves its records pending, committed and
unchained: the next sealer of any transaction takes them along, and the seal task (beat, every
five minutes) and the anchor task seal whatever is left; `verify_audit_log` warns of records
pending for longer than SEAL_OVERDUE.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from prosecution.models import AuditRecord, PendingAuditRecord
from prosecution.models.audit import ENTRY_FIELDS

GENESIS = "0" * 64
# pg_advisory_xact_lock's key for the chain ("AUDI"): any constant no other lock uses.
CHAIN_LOCK = 0x41554449
# Records chained by one seal, in one transaction: the lock is held for that many INSERTs.
SEAL_CHUNK = 500
# Pending longer than this, a record was left by a process that died after its commit, or its
# sealer failed; the seal task (every five minutes) should have chained it by then.
SEAL_OVERDUE = timedelta(minutes=15)

HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "address",
    "request_id",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "outcome",
    "details",
    "prev_hash",
)


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def digest(values: dict) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of the hashed fields."""
    fields = {name: values[name] for name in HASHED_FIELDS}
    fields["at"] = _moment(fields["at"])
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# -- The sealer ----------------------------------------------------------------------------------


class SealRace(DatabaseError):
    """Another sealer deleted pending records this one had read: its transaction rolls back. The
    lock makes this impossible; the check keeps a fork out of the chain should the lock ever
    fail (a changed isolation level, a second database)."""


class _Batch:
    """Records this thread wrote since its last seal after a commit (see `sealer_after_commit`)."""

    sealed = False


_this_thread = threading.local()


def _lock_chain() -> tuple[int, str]:
    """Take the chain's lock for the rest of the transaction; the last number and hash.

    On PostgreSQL the seal's commit, in the same statement, does not wait for the disk
    (synchronous_commit off, for this transaction only), so that the lock is not held through a
    flush. Nothing can be lost by it: the records stay in the pending table, committed with
    their change, until a seal's commit deletes them; a crash that takes back the last seals
    takes back their deletions with them (the WAL keeps its order, so the chain that survives is
    a prefix of the one before), and the next seal chains the records again. An anchor names
    only a head on disk (anchors.take_anchor)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s), set_config('synchronous_commit', 'off', true)",
                [CHAIN_LOCK],
            )
    last = AuditRecord.objects.order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


def make_durable() -> None:
    """Wait until every seal committed so far is on disk: a transaction that commits waiting for
    the disk (it has a transaction id: txid_current) flushes the WAL up to its commit record, so
    every commit before it too. SQLite's commits wait for the disk anyway."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('synchronous_commit', 'on', true), txid_current()")


def seal(*, limit: int = SEAL_CHUNK) -> list[AuditRecord]:
    """Chain up to `limit` pending records, the oldest first, in a transaction of its own (a
    savepoint inside one: a test's): the lock, a SELECT of the last record by the unique index,
    one of the pending records, one INSERT of them chained and one DELETE. The records chained.

    Only committed records are pending to another transaction: the lock is taken first, and each
    statement then sees what was committed before it began, including the last sealer's work.
    Called after a commit (on_commit, a task), never inside a change's transaction: there the
    lock would be held until that transaction ends (tests call it inside theirs)."""
    with transaction.atomic():
        last_seq, last_hash = _lock_chain()
        pending = list(PendingAuditRecord.objects.order_by("pk")[:limit])
        if not pending:
            return []
        chained = []
        for entry in pending:
            record_ = AuditRecord(**{name: getattr(entry, name) for name in ENTRY_FIELDS})
            record_.seq, record_.prev_hash = last_seq + 1, last_hash
            record_.hash = digest({name: getattr(record_, name) for name in HASHED_FIELDS})
            last_seq, last_hash = record_.seq, record_.hash
            chained.append(record_)
        AuditRecord.objects.bulk_create(chained)
        ids = [entry.pk for entry in pending]
        deleted, _by_model = PendingAuditRecord.objects.filter(pk__in=ids).delete()
        if deleted != len(ids):
            raise SealRace(f"{len(ids) - deleted} pending audit records were sealed twice")
    return chained


def seal_all() -> int:
    """Seal until nothing committed is pending; how many were chained. (A load that commits
    SEAL_CHUNK records during every seal would keep it going: far beyond this system's.)"""
    count = 0
    while len(sealed := seal()) == SEAL_CHUNK:
        count += len(sealed)
    return count + len(sealed)


def sealer_after_commit() -> Callable[[], None]:
    """The on_commit callback of a record just written (log.record): once its transaction has
    committed, chain it, and whatever else is pending.

    A transaction's records share one batch, so that the first of their callbacks seals and the
    others find it done, without a query. A batch is this thread's, from its first record until
    its seal: a callback runs only once the thread is out of every transaction, so when one seals,
    every record of the batch has been committed (and is chained) or rolled back (and is gone,
    with its callback). Records of a transaction rolled back leave the batch to the next ones."""
    batch = getattr(_this_thread, "batch", None)
    if batch is None:
        batch = _this_thread.batch = _Batch()

    def seal_after_commit() -> None:
        if batch.sealed:
            return
        seal_all()
        # Only once sealed: a failed seal (logged by on_commit) leaves the next callback to try.
        batch.sealed = True
        if getattr(_this_thread, "batch", None) is batch:
            _this_thread.batch = None

    return seal_after_commit


def overdue(*, now: datetime | None = None) -> tuple[int, datetime | None]:
    """Committed records pending for longer than SEAL_OVERDUE (by the time of their event): their
    number and the oldest one's time."""
    since = (now or timezone.now()) - SEAL_OVERDUE
    late = PendingAuditRecord.objects.filter(at__lt=since).aggregate(
        count=Count("pk"), oldest=Min("at")
    )
    return late["count"], late["oldest"]


# -- The verifier --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def verify(*, chunk: int = 2000) -> tuple[int, Break | None]:
    """Walk the chain in order; the number of records and the first broken link, if any. One
    pass, a chunk at a time. (A chain cut at its end is still a chain: compare the count and the
    last hash with a copy kept elsewhere to see that: anchors.py.)"""
    previous, expected, count = GENESIS, 1, 0
    fields = [*HASHED_FIELDS, "hash"]
    for row in AuditRecord.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk):
        seq = row["seq"]
        if seq != expected:
            problem = _("record %(seq)s is missing (the next one is %(next)s)") % {
                "seq": expected,
                "next": seq,
            }
            return count, Break(expected, problem)
        if row["prev_hash"] != previous:
            problem = _(
                "its previous hash %(stored)s is not the hash of the record before it %(actual)s"
            ) % {"stored": row["prev_hash"], "actual": previous}
            return count, Break(seq, problem)
        computed = digest(row)
        if computed != row["hash"]:
            problem = _(
                "its contents do not match its hash (stored %(stored)s, computed %(computed)s)"
            ) % {"stored": row["hash"], "computed": computed}
            return count, Break(seq, problem)
        previous, expected, count = row["hash"], seq + 1, count + 1
    return count, None
