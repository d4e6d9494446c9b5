"""Staff pages of legality checks: the list in the user's scope, the check with its term ("why
this date"), history and the actions the user may take, the resolution form. Thin: forms check the
shape, supervision/services.py the law."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User as StaffUser
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.offices import access
from prosecution.terms.engine import explain_due_with_unit
from supervision import forms, selectors, services
from supervision.models import Check

User = get_user_model()


def _staff_or_404(request: HttpRequest) -> StaffUser:
    """The signed-in member of staff; anyone else finds nothing here."""
    user = request.user
    if not isinstance(user, StaffUser) or access.staff_profile(user) is None:
        raise Http404
    return user


def _staff_in_scope(request: HttpRequest) -> QuerySet[StaffUser]:
    """Who may be named: active staff of the user's office and below."""
    profile = access.staff_profile(request.user)
    assert profile is not None
    return (
        User.objects.filter(
            is_active=True,
            staff_profile__is_active=True,
            staff_profile__office__path__startswith=profile.office.path,
        )
        .select_related("staff_profile")
        .order_by("last_name", "first_name", "username")
    )


@login_required
def check_list(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    form = forms.CheckFilterForm(request.GET or None)
    filters = selectors.CheckFilters(**form.cleaned_data) if form.is_valid() else None
    page = Paginator(selectors.checks_in_scope(request.user, filters), 50).get_page(
        request.GET.get("page")
    )
    audit.classified_read(page, where="check_list")
    return render(
        request,
        "supervision/list.html",
        {"form": form, "page": page, "may_appoint": services.may_appoint(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def appoint(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    if not services.may_appoint(user):
        raise Http404
    form = forms.AppointForm(
        request.POST or None,
        staff=_staff_in_scope(request),
        initial={"resolution_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["inspectors"] = list(data["inspectors"])
        try:
            check = services.appoint_check(by=user, resolution=services.Resolution(**data))
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("The check is appointed."))
            return redirect("check-detail", uuid=check.uuid)
    return render(request, "supervision/appoint.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The resolution corrected after a refusal (or before it is sent), on the appointing form."""
    user = _staff_or_404(request)
    check = selectors.get_check_or_404(user, str(uuid))
    if "correct" not in selectors.allowed_actions(check, user):
        raise Http404
    names = [f for f in forms.AppointForm.base_fields if f != "inspectors"]
    initial = {name: getattr(check, name) for name in names}
    initial["inspectors"] = list(check.inspectors.all())
    form = forms.AppointForm(request.POST or None, staff=_staff_in_scope(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["inspectors"] = list(data["inspectors"])
        try:
            services.correct_resolution(check, by=user, resolution=services.Resolution(**data))
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("The resolution is corrected."))
            return redirect("check-detail", uuid=check.uuid)
    return render(request, "supervision/appoint.html", {"form": form, "check": check})


def _run(action: str, check: Check, user: StaffUser, data: dict[str, Any]) -> None:
    if action == "send":
        services.send_for_registration(check, by=user)
    elif action == "start":
        services.start_check(check, by=user, on=data["on"])
    elif action == "suspend":
        services.suspend_check(check, by=user, **data)
    elif action == "resume":
        services.resume_check(check, by=user, **data)
    elif action == "extend":
        services.extend_check(check, by=user, **data)
    elif action == "inspectors":
        services.change_inspectors(
            check, by=user, inspectors=list(data["inspectors"]), reason=data["reason"]
        )
    elif action == "complete":
        services.complete_check(check, by=user, **data)
    elif action == "cancel":
        services.cancel_check(check, by=user, reason=data["reason"])


FORMS: dict[str, Any] = {
    "send": forms.EmptyForm,
    "start": forms.StartForm,
    "suspend": forms.SuspendForm,
    "resume": forms.ResumeForm,
    "extend": forms.ExtendForm,
    "inspectors": forms.InspectorsForm,
    "complete": forms.CompleteForm,
    "cancel": forms.ReasonForm,
}


def _form(request: HttpRequest, action: str, data: Any = None) -> Any:
    kwargs: dict[str, Any] = {"prefix": action}
    if action == "inspectors":
        kwargs["staff"] = _staff_in_scope(request)
    if FORMS[action] in (forms.StartForm, forms.SuspendForm, forms.ResumeForm, forms.CompleteForm):
        kwargs["initial"] = {"on": timezone.localdate()}
    return FORMS[action](data, **kwargs)


def _detail(
    request: HttpRequest, check: Check, bound: dict[str, Any] | None = None
) -> HttpResponse:
    audit.classified_read([check], where="check_page")
    term = services.term_of(check)
    actions = selectors.allowed_actions(check, request.user)
    context = {
        "check": check,
        "term": term,
        "why": explain_due_with_unit(term) if term else None,
        "events": check.events.select_related("by"),
        "inspectors": check.inspectors.order_by("last_name", "first_name"),
        "registrations": check.registrations.select_related("decided_by"),
        "forms": {a: (bound or {}).get(a) or _form(request, a) for a in actions if a in FORMS},
        "may_correct": "correct" in actions,
    }
    return render(request, "supervision/detail.html", context)


@login_required
def check_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    check = selectors.get_check_or_404(_staff_or_404(request), str(uuid))
    return _detail(request, check)


@login_required
@require_POST
def check_action(request: HttpRequest, uuid: UUID, action: str) -> HttpResponse:
    user = _staff_or_404(request)
    check = selectors.get_check_or_404(user, str(uuid))
    if action not in FORMS:
        raise Http404
    form = _form(request, action, request.POST)
    if form.is_valid():
        try:
            _run(action, check, user, form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("Done."))
            return redirect("check-detail", uuid=check.uuid)
    check.refresh_from_db()
    return _detail(request, check, {action: form})
