"""Pages of the shell: public home, staff "my work", office pages. (The reception pages are in
appeals/reception/.)"""

import contextlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from prosecution.audit import log as audit
from prosecution.models import Office
from prosecution.notices import outbox
from prosecution.notices.selectors import my_notices
from prosecution.offices import selectors
from prosecution.offices.access import get_visible_or_404, staff_profile, visible_to
from prosecution.terms.selectors import my_active_terms


def home(request):
    return render(request, "home.html")


@login_required
def my_work(request):
    profile = staff_profile(request.user)
    items = list(my_active_terms(request.user)[:200]) if profile else []
    audit.classified_read(items, where="my_work")
    # The apps' own sections (settings.MY_WORK_SECTIONS: e.g. the appeals a head hands out),
    # named by the settings so that prosecution imports no app.
    sections = (
        [import_string(path)(request) for path in settings.MY_WORK_SECTIONS] if profile else []
    )
    return render(
        request,
        "my_work.html",
        {
            "profile": profile,
            "items": items,
            "today": timezone.localdate(),
            "sections": [section for section in sections if section],
        },
    )


@login_required
def office_detail(request, uuid):
    """An office with its units and staff; outside the caller's scope it does not exist (404)."""
    office = get_visible_or_404(
        request.user, Office.objects.select_related("parent"), office_field="", uuid=uuid
    )
    children = visible_to(request.user, office.children.all(), office_field="")
    staff = selectors.visible_staff(request.user).filter(office=office)
    return render(
        request,
        "office_detail.html",
        {
            "office": office,
            "units": office.units.all(),
            "children": children,
            "staff": staff,
            "ancestors": selectors.ancestors(office),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notices(request):
    """The bell: the person's notices, newest first; POST marks one (or all) read."""
    if request.method == "POST":
        chosen = request.POST.getlist("notice")
        with contextlib.suppress(ValidationError):  # a malformed id marks nothing
            outbox.mark_read(request.user, uuids=chosen or None)
        return redirect("notices")
    page = Paginator(my_notices(request.user), 50).get_page(request.GET.get("page"))
    page.object_list = outbox.in_readers_language(
        list(page.object_list), (get_language() or "kk")[:2]
    )
    return render(request, "notices.html", {"page": page})
