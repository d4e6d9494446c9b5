"""The audit log (SECURITY.md 24): every change to cases, acts, permissions and the calendar,
every sign-in and denial, and every read of classified material, with who, what, when, from
where and the outcome.

`record(action, target=..., outcome=..., **details)` appends one record. The actor, the address
and the request id come from the current request (a context variable set by AuditMiddleware);
Celery tasks and the beat record as the system (no actor). A service passes `actor=by` when it
knows who acts.

The chain. Each record holds the hash of the previous one and its own SHA-256 over a canonical
JSON of its fields and that previous hash (`digest`), so a record changed afterwards breaks the
chain there; `verify()` (manage.py verify_audit_log) finds the first broken link. A record
belongs to the transaction of the change it records: it is kept until the transaction's
outermost block ends and written then, with the transaction's other records, just before the
commit (a change rolled back leaves no record). The writes serialize on one lock (a PostgreSQL
transaction-level advisory lock; SQLite serializes writers itself), held for the commit alone,
and `seq` is unique besides, so two transactions never fork the chain. `seq` is the order of
the commits; `at` is when the event happened.

Denials are the exception: the service refusing rolls back, and the denial must stay. They are
queued on the request (`denied`) and written when the response has been made.

Details never hold secrets: keys that name a password, a code, a token or a secret are masked,
and so is every twelve-digit number (an IIN) in any text of the record.

Anchors. A chain cut at its end (its last records deleted by someone who can disable the
triggers) is still a chain. Every hour a task writes the chain's head (the last record's number
and hash) outside the database (`take_anchor`: a line in AUDIT_ANCHOR_FILE, and the log, which
production ships off the host); `verify_audit_log` then checks that every anchored record is
still there with the hash it had (`check_anchors`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeAlias

from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from prosecution.lib.addresses import client_ip
from prosecution.models import AuditOutcome, AuditRecord

if TYPE_CHECKING:
    from prosecution.offices.access import Viewer

# What a record is about: a record, a model (many of its records), or (type, id, label) as such.
Target: TypeAlias = "models.Model | type[models.Model] | tuple[str, object, str] | None"

GENESIS = "0" * 64
# pg_advisory_xact_lock's key for the chain ("AUDI"): any constant no other lock uses.
CHAIN_LOCK = 0x41554449
MASK = "***"
# What a detail's key may not carry in clear. Deliberately broad: an office's code is better
# masked than a confirmation code kept.
_SECRET_KEY = re.compile(r"pass|secret|token|otp|code|key|signature|session|cookie|iin", re.I)
_IIN = re.compile(r"(?<!\d)\d{8}(\d{4})(?!\d)")


@dataclass
class Context:
    """What a record takes from the request that caused it."""

    request: Any = None
    request_id: str = ""
    address: str = ""
    system: bool = False
    # Denials waiting for the response: (action, target, actor, details).
    pending: list[tuple[str, Target, Viewer, dict[str, Any]]] = field(default_factory=list)


_context: ContextVar[Context | None] = ContextVar("audit_context", default=None)


# -- Masking -------------------------------------------------------------------------------------


def mask_iin(text: str) -> str:
    """An IIN keeps its last four digits: enough to tell two apart, not enough to use one."""
    return _IIN.sub(lambda m: "********" + m.group(1), text)


def scrub(value: Any, key: str = "") -> Any:
    """The value with secrets masked, recursively (see the module's docstring)."""
    if key and _SECRET_KEY.search(key) and value not in (None, "", [], {}):
        if key.lower() == "iin" and isinstance(value, str):
            return mask_iin(value) if _IIN.fullmatch(value) else MASK
        return MASK
    if isinstance(value, dict):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return mask_iin(value)
    return value


# -- The chain -----------------------------------------------------------------------------------

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


def _lock_chain() -> tuple[int, str]:
    """Take the chain's lock for the rest of the transaction; the last number and hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = AuditRecord.objects.order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


def _target(target: Target) -> tuple[str, str, str]:
    """(type, id, label) of a record, of a model (many records: their ids go in the details), or
    given as such a triple."""
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, pk, label = target
        return kind, str(pk), label
    meta = target._meta
    kind = f"{meta.app_label}.{meta.model_name}"
    if isinstance(target, type):
        return kind, "", ""
    # A classified record's label is itself classified: its id says enough to an auditor.
    label = "" if getattr(target, "is_classified", False) else str(target)
    return kind, str(target.pk), label


def _actor(user: Viewer) -> tuple[int | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.pk, user.get_username()[:150]


def _current_user(context: Context | None) -> Viewer:
    if context is None or context.system or context.request is None:
        return None
    return getattr(context.request, "user", None)


def record(
    action: str,
    *,
    target: Target = None,
    outcome: str = AuditOutcome.OK,
    actor: Viewer = None,
    **details: Any,
) -> AuditRecord:
    """Append one record to the current transaction: it is written when the transaction's
    outermost block ends, with the others of the transaction (the lock, one SELECT of the last
    record by the unique index, one INSERT for all of them), and not at all if it rolls back.
    The record returned has its number and hash from then on.

    `actor`: who acts, if the caller knows better than the request (a service's `by`);
    otherwise the request's user, or nobody (the system, a citizen)."""
    context = _context.get()
    actor_id, actor_name = _actor(actor if actor is not None else _current_user(context))
    kind, pk, label = _target(target)
    plain = json.loads(json.dumps(scrub(details), cls=DjangoJSONEncoder))
    values = {
        "at": timezone.now(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "address": context.address if context else "",
        "request_id": context.request_id if context else "",
        "action": action,
        "target_type": kind,
        "target_id": pk[:64],
        "target_label": mask_iin(label)[:200],
        "outcome": str(outcome),
        "details": plain,
    }
    instance = AuditRecord(**values)
    connection = transaction.get_connection()
    # Outside any transaction of ours, a transaction of its own; either way the record is
    # written when the outermost block ends (_write_before_commit).
    with transaction.atomic(savepoint=False):
        _pending(connection).append((_depth(connection), instance))
    return instance


# -- Written last, just before the commit --------------------------------------------------------
#
# A record is kept on the connection until the outermost atomic block of the change ends, and
# the records of that transaction are then chained and inserted together: the chain's lock is
# taken as the last thing before COMMIT, so it is held for the commit alone, whatever the change
# did before, and a transaction never waits for a row while holding it (no deadlock through the
# log). Records made in a block that rolls back (a savepoint, a refused nested service) are
# dropped with it. Django has no hook before COMMIT: Atomic.__exit__ is wrapped (once, below).
# The test runner's own blocks (TestCase) do not count: for a test, the change's block is the
# outermost one, as in production.


def _pending(connection: BaseDatabaseWrapper) -> list[tuple[int, AuditRecord]]:
    return connection.__dict__.setdefault("audit_pending", [])


def _depth(connection: BaseDatabaseWrapper) -> int:
    # _from_testcase: Django's own flag on a TestCase's block, which django-stubs does not declare.
    return sum(not block._from_testcase for block in connection.atomic_blocks)  # type: ignore[attr-defined]


def _write(records: list[AuditRecord]) -> None:
    last_seq, last_hash = _lock_chain()
    for record_ in records:
        record_.seq, record_.prev_hash = last_seq + 1, last_hash
        record_.hash = digest({name: getattr(record_, name) for name in HASHED_FIELDS})
        last_seq, last_hash = record_.seq, record_.hash
    AuditRecord.objects.bulk_create(records)


_Exit: TypeAlias = Callable[
    [transaction.Atomic, type[BaseException] | None, BaseException | None, TracebackType | None],
    None,
]


def _write_before_commit(original: _Exit) -> _Exit:
    def __exit__(
        self: transaction.Atomic,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection = transaction.get_connection(self.using)
        pending = connection.__dict__.get("audit_pending")
        if pending and not self._from_testcase:  # type: ignore[attr-defined]  # as in _depth
            depth = _depth(connection)  # this block's, still counted
            if exc_type is not None or connection.needs_rollback:
                pending[:] = [(d, r) for d, r in pending if d < depth]
            elif depth > 1:
                # The block's records now stand or fall with the block around it: a sibling
                # block that rolls back later must not take them along.
                pending[:] = [(min(d, depth - 1), r) for d, r in pending]
            else:
                records = [r for _d, r in pending]
                pending.clear()
                try:
                    _write(records)
                except Exception as error:
                    original(self, type(error), error, error.__traceback__)
                    raise
        return original(self, exc_type, exc_value, traceback)

    # Marks the wrapper so that a second import of this module does not wrap it again.
    __exit__.audit_wrapped = True  # type: ignore[attr-defined]
    return __exit__


if not getattr(transaction.Atomic.__exit__, "audit_wrapped", False):
    # The one hook before COMMIT (see above); mypy refuses any assignment to a method.
    transaction.Atomic.__exit__ = _write_before_commit(  # type: ignore[method-assign]
        transaction.Atomic.__exit__
    )


def denied(
    target: Target = None, *, action: str = "access.denied", actor: Viewer = None, **details: Any
) -> None:
    """A refusal by the access policy. The refusing service's transaction is rolled back, so in
    a request the record waits for the response (AuditMiddleware); elsewhere it is written now."""
    context = _context.get()
    if context is not None and context.request is not None:
        context.pending.append((action, _target(target), actor, details))
        return
    record(action, target=target, outcome=AuditOutcome.DENIED, actor=actor, **details)


def write_pending(context: Context) -> None:
    pending, context.pending = context.pending, []
    for action, target, actor, details in pending:
        record(action, target=target, outcome=AuditOutcome.DENIED, actor=actor, **details)


def classified_read(records: Iterable[models.Model], *, where: str) -> None:
    """Classified records were shown to the current user: one record for what one page, list,
    export or answer showed (their ids), not one per row. Ordinary records are not recorded."""
    shown = [r for r in records if getattr(r, "is_classified", False)]
    if not shown:
        return
    target = shown[0] if len(shown) == 1 else type(shown[0])
    record(
        "classified.read",
        target=target,
        where=where,
        count=len(shown),
        ids=[r.pk for r in shown],
    )


def classified_in(queryset: QuerySet[Any], *, where: str) -> None:
    """As classified_read, for an export about to stream `queryset`: the classified rows' ids
    are read first (one query)."""
    ids = list(queryset.filter(is_classified=True).order_by().values_list("pk", flat=True))
    if ids:
        record("classified.read", target=queryset.model, where=where, count=len(ids), ids=ids)


# -- The verifier --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def verify(*, chunk: int = 2000) -> tuple[int, Break | None]:
    """Walk the chain in order; the number of records and the first broken link, if any. One
    pass, a chunk at a time. (A chain cut at its end is still a chain: compare the count and the
    last hash with a copy kept elsewhere to see that.)"""
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


# -- Anchors: the head of the chain, kept outside the database -----------------------------------

anchor_log = logging.getLogger("prosecution.audit.anchor")


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str  # when it was taken, ISO 8601


def take_anchor(path: Path | None = None) -> Anchor | None:
    """Append the chain's head to the anchor file (one line of JSON) and to the log; None while
    the log is empty."""
    head = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
    if head is None:
        return None
    anchor = Anchor(head["seq"], head["hash"], timezone.now().isoformat())
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(json.dumps(asdict(anchor)) + "\n")
    anchor_log.info("audit log head: record %s, hash %s", anchor.seq, anchor.hash)
    return anchor


def read_anchors(path: Path) -> list[Anchor]:
    """The anchors of a file; a line that is not an anchor is an error naming the line (a file
    edited by hand proves nothing)."""
    found = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(Anchor(**json.loads(line)))
        except (ValueError, TypeError) as error:
            raise ValueError(
                _("line %(number)s of %(path)s is not an anchor") % {"number": number, "path": path}
            ) from error
    return found


def check_anchors(anchors: list[Anchor]) -> Break | None:
    """The first anchored record that is gone or has another hash than when it was anchored.
    With verify() (every record linked to the one before it), every record up to the last
    anchor is then as it was."""
    wanted = {anchor.seq: anchor for anchor in anchors}
    found = dict(AuditRecord.objects.filter(seq__in=wanted).values_list("seq", "hash"))
    for seq in sorted(wanted):
        anchor = wanted[seq]
        if seq not in found:
            problem = _("it was anchored at %(at)s and is gone: the log was cut")
            problem %= {"at": anchor.at}
            return Break(seq, problem)
        if found[seq] != anchor.hash:
            problem = _("its hash is not the one anchored at %(at)s") % {"at": anchor.at}
            return Break(seq, problem)
    return None


# -- Where the context comes from ----------------------------------------------------------------

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _request_id(request: HttpRequest) -> str:
    """The proxy's request id (X-Request-ID) if it looks like one; else our own."""
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


class AuditMiddleware:
    """Puts the request (its user, address and id) where `record` finds it, writes the denials
    of the request once the response is made, and records pages' PermissionDenied."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        context = Context(
            request=request, request_id=_request_id(request), address=client_ip(request)[:45]
        )
        token = _context.set(context)
        try:
            response = self.get_response(request)
            response.headers.setdefault("X-Request-ID", context.request_id)
            return response
        finally:
            try:
                write_pending(context)
            finally:
                _context.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            denied(path=request.path, method=request.method)


def task_context(task_id: str | None = "") -> Context:
    """The context of a Celery task: the system acts."""
    return Context(request_id=(task_id or "")[:64], system=True)


def _bind_celery() -> None:
    tokens: dict[str | None, Token[Context | None]] = {}

    @task_prerun.connect(weak=False)
    def _task_started(task_id: str | None = None, **_kwargs: Any) -> None:
        tokens[task_id] = _context.set(task_context(task_id))

    @task_postrun.connect(weak=False)
    def _task_finished(task_id: str | None = None, **_kwargs: Any) -> None:
        token = tokens.pop(task_id, None)
        if token is not None:
            _context.reset(token)


_bind_celery()
