"""Pages of the shell: public home, reception directory, staff "my work", office pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from prosecution import selectors
from prosecution.access import get_visible_or_404, staff_profile, visible_to
from prosecution.models import Office, OfficeKind


def home(request):
    return render(request, "home.html")


def reception(request):
    """Placeholder of the booking pages: the offices a citizen can come to."""
    offices = selectors.public_offices().exclude(
        kind__in=[OfficeKind.ACADEMY, OfficeKind.ASSET_RECOVERY]
    )
    return render(request, "reception.html", {"offices": offices})


def file_appeal(request):
    return render(request, "file_appeal.html")


@login_required
def my_work(request):
    profile = staff_profile(request.user)
    items = selectors.my_active_terms(request.user)[:200] if profile else []
    return render(
        request,
        "my_work.html",
        {"profile": profile, "items": items, "today": timezone.localdate()},
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
