"""Input no field can hold, refused at the door of every request (docs/security.md 26).

A NUL character is valid in a URL (%00), a form and a cookie, and PostgreSQL refuses it in any
text it is given to store or compare: `GET /reception/?q=%00` reached an office search and
answered 500, and so did `?office=%00` on the API's lists (issue 14). Forms and serializers refuse
it in their text fields already (Django's and DRF's CharField); a value a view reads itself (a
filter, a search, a cookie) is refused here, once for every door, before any view, session or
database sees it: the path, the names and values of the query string and of a submitted form,
and the cookies. The answer is 400: the API's error shape under /api/ (prosecution/api/errors.py),
a page that says what was wrong elsewhere.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from prosecution.lib.errors import error_shape, is_api

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def unreadable_part(request) -> str:
    """The name of the first part of `request` that holds a NUL character, or ""."""
    if "\x00" in request.path:
        return "path"
    for name, value in request.COOKIES.items():
        if "\x00" in name or "\x00" in value:
            return "cookie"
    sources = [request.GET]
    if request.method == "POST" and request.content_type in _FORMS:
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "") or "?"
    return ""


class InputGuardMiddleware:
    """After the locale (the answer is in the person's language), before the session, the user
    and the audit log (each of which would hand the value to the database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = unreadable_part(request)
        if not part:
            return self.get_response(request)
        message = _("The request cannot be read: it holds a NUL character.")
        if is_api(request):
            body = error_shape("invalid", message, fields={part: [message]})
            return JsonResponse(body, status=400)
        return render(request, "400.html", {"message": message}, status=400)
