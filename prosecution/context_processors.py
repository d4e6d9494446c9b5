from prosecution.notices import selectors
from prosecution.offices.access import staff_profile


def staff(request):
    """The signed-in member of staff and their office for the page header; the bell's unread
    count and, for administrators, the failed notices (counted only when a page shows them)."""
    user = getattr(request, "user", None)
    profile = staff_profile(user)
    context = {"staff_profile": profile}
    if profile is not None:
        context["unread_notices"] = lambda: selectors.unread_notice_count(user)
    if user is not None and user.is_staff:
        context["failed_notices"] = selectors.failed_notice_count
    return context
