"""Input no field can hold, refused or cleaned at the door of every request (docs/security.md 26).

A NUL character is valid in a URL (%00), a form and a cookie, and PostgreSQL refuses it in any
text it is given to store or compare: `GET /reception/?q=%00` reached an office search and
answered 500, and so did `?office=%00` on the API's lists (issue 14). Forms and serializers refuse
it in their text fields already (Django's and DRF's CharField); a value a view reads itself (a
filter, a search, a cookie) is refused here, once for every door, before any view, session or
database sees it: the path, the names and values of the query string and of a submitted form,
and the cookies. The answer is 400: the API's error shape under /api/ (prosecution/api/errors.py),
a page that says what was wrong elsewhere.

The characters nobody sees (bidirectional controls, zero-width and other format characters, other
control characters: prosecution/lib/text.py) are taken out of every value of the query string and
of a submitted form here, and out of every string of an API body by the API's parsers
(prosecution/api/parsers.py), passwords excepted (a password is compared, never shown). On the way
out, every HTML page is neutralised, whatever was stored before. A request id a client sent is
dropped unless a proxy of ours stands in front (PROSECUTION_TRUSTED_PROXIES): the audit log
stores only one the server made or its proxy set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from prosecution.lib import text
from prosecution.lib.errors import error_shape, is_api

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# Fields whose value is compared, never shown, and must reach the check as typed.
_SECRET = re.compile(r"password", re.I)


def unreadable_part(request: HttpRequest) -> str:
    """The name of the first part of `request` that holds a NUL character, or ""."""
    if "\x00" in request.path:
        return "path"
    for name, value in request.COOKIES.items():
        if "\x00" in name or "\x00" in value:
            return "cookie"
    for source in _sources(request):
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "") or "?"
    return ""


def _reads_form(request: HttpRequest) -> bool:
    # The API takes JSON only (settings.REST_FRAMEWORK): a form body sent there is left unread,
    # so that DRF answers 415, not a 400 "required" for the fields of a body it never saw.
    return request.method == "POST" and request.content_type in _FORMS and not is_api(request)


def _sources(request: HttpRequest) -> list[QueryDict]:
    sources: list[QueryDict] = [request.GET]
    if _reads_form(request):
        sources.append(request.POST)
    return sources


def cleaned_query(query: QueryDict) -> QueryDict:
    """`query` with the invisible characters taken out of its names and values (passwords
    excepted); the same object when there is nothing to take out."""
    if not any(
        text.has_invisible(name) or any(map(text.has_invisible, values))
        for name, values in query.lists()
    ):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for name, values in query.lists():
        if _SECRET.search(name):
            cleaned.setlist(name, values)
        else:
            cleaned.setlist(text.clean_text(name), [text.clean_text(v) for v in values])
    cleaned._mutable = False
    return cleaned


def cleaned_data(value: Any, key: str = "") -> Any:
    """A parsed JSON body with the invisible characters taken out of every string and key
    (passwords excepted). The parser has bounded its depth (prosecution/api/parsers.py)."""
    if isinstance(value, str):
        return value if _SECRET.search(key) else text.clean_text(value)
    if isinstance(value, dict):
        return {text.clean_text(k): cleaned_data(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [cleaned_data(item, key) for item in value]
    return value


class InputGuardMiddleware:
    """After the locale (the answer is in the person's language), before the session, the user
    and the audit log (each of which would hand the value to the database)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _declared_length(request) > settings.REQUEST_MAX_BYTES:
            # Refused before a byte of the body is read (a file would go to a temporary file).
            message = _("The request is too large.")
            if is_api(request):
                return JsonResponse(error_shape("too_large", message), status=413)
            return render(request, "400.html", {"message": message}, status=413)
        part = unreadable_part(request)
        if part:
            message = _("The request cannot be read: it holds a NUL character.")
            if is_api(request):
                body = error_shape("invalid", message, fields={part: [message]})
                return JsonResponse(body, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        if settings.TRUSTED_PROXY_COUNT <= 0:
            # No proxy of ours sets X-Request-ID: one a client sent would be written into the
            # audit log as sent (issue 14); the audit log makes its own.
            request.META.pop("HTTP_X_REQUEST_ID", None)
            request.__dict__.pop("headers", None)  # HttpRequest.headers, if already read
        # The cleaned copies are immutable again, as Django's own (cleaned_query).
        request.GET = cleaned_query(request.GET)  # type: ignore[assignment]
        if _reads_form(request):
            request.POST = cleaned_query(request.POST)  # type: ignore[assignment]
        return neutralised(self.get_response(request))


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def neutralised(response: HttpResponseBase) -> HttpResponseBase:
    """An HTML page without the invisible characters, whatever the records it shows hold."""
    if not isinstance(response, HttpResponse) or not response.get("Content-Type", "").startswith(
        "text/html"
    ):
        return response  # a stream, a file: nothing read into a page
    try:
        page = response.content.decode(response.charset)
    except UnicodeDecodeError:
        return response
    if text.has_invisible(page):
        response.content = text.neutralise(page).encode(response.charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    return response
