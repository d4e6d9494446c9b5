"""Workers of the acts app: they take ids, call one function, and return quietly if the row is
gone. And where a signed act's documents are sent to them from (`queue_documents`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

# Acts signed inside `built_here()`: their documents wait to be built in this process.
_here: ContextVar[list[int] | None] = ContextVar("acts_documents_built_here", default=None)


# celery has no type hints (pyproject.toml): its decorator is untyped to the strict mypy of acts.
@shared_task(soft_time_limit=110, time_limit=120)  # type: ignore[untyped-decorator]
def sign_act_documents(act_id: int) -> str:
    """Render, store and sign the PDFs of a signed act in each language (WeasyPrint,
    time-limited: docs/security.md 15)."""
    # Imported here: WeasyPrint is heavy, and the module must load without it (Celery's way).
    from acts import documents

    return documents.build_signed(act_id)


# A signed act whose documents are still missing this long after its signing lost them on the
# way: the worker's message (a broker restart) or the render (a crash, the time limit above).
DOCUMENTS_LOST_AFTER = timedelta(minutes=10)
RESCUE_BATCH = 200
# How many failed builds of an act's documents there are before the rescue leaves the act to a
# person (acts/documents.py build_signed tells the signatory; `manage.py build_act_documents`
# tries again): a render that fails each time (a template, a font, the signing key) would
# otherwise take a worker for up to two minutes every ten minutes, for ever.
DOCUMENT_ATTEMPTS = 3


@shared_task(soft_time_limit=50, time_limit=60)  # type: ignore[untyped-decorator]
def rescue_act_documents() -> int:
    """The beat's entry (prosecution/beat.py): queue again the signed acts without documents,
    signed more than DOCUMENTS_LOST_AFTER ago, so that a lost build is not lost for good (the
    act's page says its documents are being prepared until they are). build_signed does
    nothing for an act whose documents were made meanwhile. Returns how many were queued."""
    from acts import selectors  # it reads appeals and supervision, which import this module's app

    lost = list(selectors.documents_lost(timezone.now() - DOCUMENTS_LOST_AFTER)[:RESCUE_BATCH])
    for act_id in lost:
        sign_act_documents.delay(act_id)
    return len(lost)


def queue_documents(act_id: int) -> None:
    """Once the signing commits, the act's documents go to a worker, or, inside `built_here()`,
    to the end of it."""
    pending = _here.get()
    if pending is None:
        transaction.on_commit(lambda: sign_act_documents.delay(act_id))
    else:
        transaction.on_commit(lambda: pending.append(act_id))


@contextmanager
def built_here() -> Iterator[None]:
    """The documents of acts signed inside are built in this process when it ends, not by the
    worker. For the demo seed: its ~25 signed acts put ~75 PDFs on the broker, and on `make run`
    a citizen's one-time code waited 11 s behind them (issue 13: the seed leaves no backlog).
    Enter it outside the transaction that signs, so that the signings have committed."""
    pending: list[int] = []
    token = _here.set(pending)
    try:
        yield
    finally:
        _here.reset(token)
    # Imported here: WeasyPrint is heavy (as in the task above).
    from acts import documents

    for act_id in pending:
        documents.build_signed(act_id)
