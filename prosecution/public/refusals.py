"""Refusals at the citizen's doors, in the audit log (docs/security.md 24; issue 14: wrong status
codes, failed one-time codes, forged manage links and rate-limit refusals left no trace).

An attack is thousands of refusals; the log must show it without being flooded by it. Each kind
of refusal at each door is counted in a window of WINDOW_SECONDS (the atomic counters of
prosecution/public/ratelimit.py), and a record ("public.refused", outcome denied) is written at
the 1st, 10th, 100th ... refusal of the window, with the count so far: a handful of records per
window whatever the rate, and the count tells an auditor how large it was. The record carries the
client's address and the request id as every record does; nothing the citizen typed.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from prosecution.audit import log as audit
from prosecution.public import ratelimit

WINDOW_SECONDS = 15 * 60


def _recorded(hits: int) -> bool:
    """1, 10, 100, 1000 ...: a power of ten."""
    while hits % 10 == 0 and hits > 1:
        hits //= 10
    return hits == 1


def refused(door: str, reason: str) -> int:
    """Count one refusal of `reason` at `door` (and record it if it is the 1st, 10th, 100th ...
    of the window); the count so far."""
    start = ratelimit.window_start(timezone.now(), WINDOW_SECONDS)
    hits = ratelimit.count(f"refused:{door}:{reason}", start)
    if _recorded(hits):
        audit.denied(
            action="public.refused",
            door=door,
            reason=reason,
            count=hits,
            window_seconds=WINDOW_SECONDS,
        )
    return hits


def too_many(
    request: HttpRequest,
    error: ratelimit.RateLimited,
    *,
    door: str,
    template: str = "public/limited.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer of every citizen's door to a rate-limited request: the refusal counted (and
    recorded as above) under the limit's scope, or the door's name; the page, 429, with
    Retry-After. `template` gets `error` and `minutes` (how long to wait, rounded up)."""
    refused(error.scope or door, "rate_limited")
    page = {"error": error, "minutes": (error.retry_after + 59) // 60, **(context or {})}
    response = render(request, template, page, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response
