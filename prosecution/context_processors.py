from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from prosecution.notices import selectors
from prosecution.offices.access import staff_profile


def staff(request: HttpRequest) -> dict[str, Any]:
    """The signed-in member of staff and their office for the page header; the bell's unread
    count and, for administrators, the failed notices (counted only when a page shows them)."""
    user = getattr(request, "user", None)
    profile = staff_profile(user)
    context: dict[str, Any] = {"staff_profile": profile}
    if profile is not None and isinstance(user, User):  # a staff profile is a User's
        context["unread_notices"] = lambda: selectors.unread_notice_count(user)
    if user is not None and user.is_staff:
        context["failed_notices"] = selectors.failed_notice_count
    return context
