"""The audit log (docs/security.md 24): every change to cases, acts, permissions and the calendar,
every sign-in and denial, and every read of classified material, with who, what, when, from where
and the outcome.

`record(action, target=..., outcome=..., **details)` records one event. The actor, the address
and the request id come from the current request (a context variable set by AuditMiddleware,
middleware.py); Celery tasks and the beat record as the system (no actor). A service passes
`actor=by` when it knows who acts.

A record belongs to the transaction of the change it records: it is written there, unchained, and
chained once that transaction has committed (chain.py); a change rolled back, or a savepoint
rolled back, leaves no record.

Denials are the exception: the service refusing rolls back, and the denial must stay. They are
queued on the request (`denied`) and written when the response has been made.

Details never hold secrets: keys that name a password, a code, a token or a secret are masked,
and so is every twelve-digit number (an IIN) in any text of the record.

The rest of the log: chain.py (the sealer and the verifier), anchors.py (the chain's head kept
outside the database), middleware.py (where the request and the task context come from).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from prosecution.audit import chain
from prosecution.models import AuditOutcome, PendingAuditRecord

MASK = "***"
# What a detail's key may not carry in clear. Deliberately broad: an office's code is better
# masked than a confirmation code kept.
_SECRET_KEY = re.compile(r"pass|secret|token|otp|code|key|signature|session|cookie|iin", re.I)
_IIN = re.compile(r"(?<!\d)\d{8}(\d{4})(?!\d)")


@dataclass
class Context:
    """What a record takes from the request that caused it (set by middleware.py)."""

    request: Any = None
    request_id: str = ""
    address: str = ""
    system: bool = False
    # The request's denials, written once its response is made (`denied`).
    denials: list = field(default_factory=list)


_context: ContextVar[Context | None] = ContextVar("audit_context", default=None)


# What a record is about: a record, a model (many of its records), or (type, id, label) as such.
Target: TypeAlias = "models.Model | type[models.Model] | tuple[str, object, str] | None"

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


# -- Records -------------------------------------------------------------------------------------


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


def _actor(user: Any) -> tuple[int | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.pk, user.get_username()[:150]


def _current_user(context: Context | None) -> Any:
    if context is None or context.system or context.request is None:
        return None
    return getattr(context.request, "user", None)


def record(
    action: str,
    *,
    target: Target = None,
    outcome: str = AuditOutcome.OK,
    actor: Any = None,
    **details: Any,
) -> None:
    """Record one event in the current transaction: one INSERT, unchained, that a rollback of the
    transaction (or of the savepoint around it) takes back. Once the transaction has committed,
    the record is chained (chain.sealer_after_commit); outside any transaction, at once.

    `actor`: who acts, if the caller knows better than the request (a service's `by`);
    otherwise the request's user, or nobody (the system, a citizen)."""
    context = _context.get()
    actor_id, actor_name = _actor(actor if actor is not None else _current_user(context))
    kind, pk, label = _target(target)
    PendingAuditRecord.objects.create(
        at=timezone.now(),
        actor_id=actor_id,
        actor_name=actor_name,
        address=context.address if context else "",
        request_id=context.request_id if context else "",
        action=action,
        target_type=kind,
        target_id=pk[:64],
        target_label=mask_iin(label)[:200],
        outcome=str(outcome),
        details=json.loads(json.dumps(scrub(details), cls=DjangoJSONEncoder)),
    )
    # Robust: the change has committed whatever the seal does; a seal that fails (the database
    # gone for a moment) is logged, and the seal task chains the record later.
    transaction.on_commit(chain.sealer_after_commit(), robust=True)


def denied(
    target: Target = None, *, action: str = "access.denied", actor: Any = None, **details: Any
) -> None:
    """A refusal by the access policy. The refusing service's transaction is rolled back, so in
    a request the record waits for the response (AuditMiddleware); elsewhere it is written now."""
    context = _context.get()
    if context is not None and context.request is not None:
        context.denials.append((action, _target(target), actor, details))
        return
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
