"""Staff pages of legality checks: the list in the user's scope, the check with its term ("why
this date"), history and the actions the user may take, the resolution form. Thin: forms check the
shape, supervision/services.py the law."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.conf import settings
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
from prosecution.files import documents
from prosecution.lib.errors import RuleViolation
from prosecution.offices import access
from prosecution.terms.engine import explain_due_with_unit
from supervision import forms, selectors, services, workflow
from supervision.models import Check, CheckState

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
    if "correct" not in workflow.allowed_actions(check, user):
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


def _prepare_inspectors(request: HttpRequest) -> dict[str, Any]:
    return {"staff": _staff_in_scope(request)}


def _dated(request: HttpRequest) -> dict[str, Any]:
    return {"initial": {"on": timezone.localdate()}}


# action: (form, service called with the check, the actor and the cleaned data, the form's
# keyword arguments). Which actions the page offers: supervision/workflow.py.
ACTIONS: dict[
    str,
    tuple[
        type[django_forms.Form],
        Callable[..., object],
        Callable[[HttpRequest], dict[str, Any]] | None,
    ],
] = {
    "send": (forms.EmptyForm, services.send_for_registration, None),
    "start": (forms.StartForm, services.start_check, _dated),
    "suspend": (forms.SuspendForm, services.suspend_check, _dated),
    "resume": (forms.ResumeForm, services.resume_check, _dated),
    "extend": (forms.ExtendForm, services.extend_check, None),
    "inspectors": (forms.InspectorsForm, services.change_inspectors, _prepare_inspectors),
    "complete": (forms.CompleteForm, services.complete_check, _dated),
    "hand_certificate": (forms.HandCertificateForm, services.hand_certificate, _dated),
    "cancel": (forms.ReasonForm, services.cancel_check, None),
}


def _form(request: HttpRequest, action: str, data: Any = None) -> django_forms.Form:
    form_class, _service, prepare = ACTIONS[action]
    kwargs: dict[str, Any] = {"prefix": action, **(prepare(request) if prepare else {})}
    if data is not None:
        kwargs.pop("initial", None)
    return form_class(data, **kwargs)


def _detail(
    request: HttpRequest, check: Check, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    audit.classified_read([check], where="check_page")
    term = selectors.term_of(check)
    actions = workflow.allowed_actions(check, request.user)
    context = {
        "check": check,
        "term": term,
        "why": explain_due_with_unit(term) if term else None,
        "events": check.events.select_related("by"),  # who acted, in the one query
        "inspectors": check.inspectors.order_by("last_name", "first_name"),
        "registrations": check.registrations.select_related("decided_by"),
        # A form refused by role or state stays on the page, bound, to show why.
        "forms": {
            **{a: _form(request, a) for a in actions if a in ACTIONS},
            **(bound or {}),
        },
        "may_correct": "correct" in actions,
        "acts": selectors.acts_of(check, request.user),
    }
    return render(request, "supervision/detail.html", context, status=status)


@login_required
def check_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    check = selectors.get_check_or_404(_staff_or_404(request), str(uuid))
    return _detail(request, check)


@login_required
@require_POST
def check_action(request: HttpRequest, uuid: UUID, action: str) -> HttpResponse:
    """One action of the check's page: the form, then the service; on an error the page comes
    back (400) with the input kept and the error next to it."""
    user = _staff_or_404(request)
    check = selectors.get_check_or_404(user, str(uuid))
    if action not in ACTIONS:
        raise Http404
    _form_class, service, _prepare = ACTIONS[action]
    form = _form(request, action, request.POST)
    if form.is_valid():
        try:
            service(check, by=user, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("Done."))
            return redirect("check-detail", uuid=check.uuid)
    check.refresh_from_db()
    return _detail(request, check, {action: form}, status=400)


@login_required
def certificate(request: HttpRequest, uuid: UUID, language: str) -> HttpResponse:
    """Art. 19(2): the certificate of results of a completed check, in Kazakh, Russian or
    English, for staff who see the check (a classified one: only the cleared, as the check
    itself). Rendered from its template by the safe renderer; every download is audited."""
    user = _staff_or_404(request)
    check = selectors.get_check_or_404(user, str(uuid))
    if check.state != CheckState.COMPLETED or language not in dict(settings.LANGUAGES):
        raise Http404
    pdf = documents.render_pdf(
        "supervision/certificate.html", selectors.certificate_context(check), language=language
    )
    audit.record("check.certificate_read", target=check, actor=user, language=language)
    audit.classified_read([check], where="check_certificate")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"certificate-{check.registration.reference if check.registration else check.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{language}.pdf"'
    return response
