"""Where an audit record's context comes from (log.py: `record`): the request, set by
AuditMiddleware, or a Celery task, in which the system acts."""

from __future__ import annotations

import re
import uuid

from celery.signals import task_postrun, task_prerun
from django.core.exceptions import PermissionDenied
from django.db import transaction

from prosecution.audit.log import Context, _context, denied, record
from prosecution.lib.addresses import client_ip
from prosecution.models import AuditOutcome

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _request_id(request) -> str:
    """The proxy's request id (X-Request-ID) if it looks like one; else our own."""
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def write_denials(context: Context) -> None:
    """The request's denials (log.denied), now that its transactions are over."""
    denials, context.denials = context.denials, []
    if not denials:
        return
    with transaction.atomic():  # one seal after the commit for all of them, not one each
        for action, target, actor, details in denials:
            record(action, target=target, outcome=AuditOutcome.DENIED, actor=actor, **details)


class AuditMiddleware:
    """Puts the request (its user, address and id) where `record` finds it, writes the denials
    of the request once the response is made, and records pages' PermissionDenied."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
                write_denials(context)
            finally:
                _context.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            denied(path=request.path, method=request.method)


def task_context(task_id: str = "") -> Context:
    """The context of a Celery task: the system acts."""
    return Context(request_id=(task_id or "")[:64], system=True)


def _bind_celery() -> None:
    tokens = {}

    @task_prerun.connect(weak=False, dispatch_uid="prosecution.audit.task_started")
    def _task_started(task_id=None, **_kwargs):
        tokens[task_id] = _context.set(task_context(task_id))

    @task_postrun.connect(weak=False, dispatch_uid="prosecution.audit.task_finished")
    def _task_finished(task_id=None, **_kwargs):
        token = tokens.pop(task_id, None)
        if token is not None:
            _context.reset(token)


# Imported by the app's ready() (workers load no middleware), and by the web's MIDDLEWARE.
_bind_celery()
