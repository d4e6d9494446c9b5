"""The public page of published acts (Art. 42): no sign-in, in kk, ru and en, rate-limited per
address like the other public doors (docs/security.md 17). It shows only what was published,
as the preview showed it (acts/publication.py): personal data redacted, nothing classified."""

from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from acts import publication
from prosecution.public import ratelimit, refusals

# Per client address, per hour: a reader pages through freely, a scraper is slowed.
READ_LIMIT = 300
HOUR = 3600


def _limited(request: HttpRequest) -> HttpResponse | None:
    try:
        ratelimit.check(request, "published-acts", limit=READ_LIMIT, window_seconds=HOUR)
    except ratelimit.RateLimited as error:
        return refusals.too_many(request, error, door="published-acts")
    return None


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    refused = _limited(request)
    if refused is not None:
        return refused
    page = Paginator(publication.published(), 20).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"page": page}
    return render(request, "acts/public/list.html", context)


@require_GET
def published_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    refused = _limited(request)
    if refused is not None:
        return refused
    act = publication.published().filter(uuid=uuid).first()
    if act is None:
        raise Http404
    # What was published, as it was published: never the act's live text.
    shown = publication.PublicText(
        act.public_addressee, act.public_violation, act.public_demand, findings=[]
    )
    return render(request, "acts/public/detail.html", {"act": act, "published": shown})
