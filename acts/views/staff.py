"""Staff pages of acts: the list in the user's scope (by kind, state, lateness), the act with its
clocks ("why this date"), history and the actions the user may take, the draft form. Thin: forms
check the shape, acts/services/ the law. A refused action answers 400 with its form bound."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User as StaffUser
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from acts import forms, selectors, services
from acts.models import Act
from acts.rules import ARTICLE_OF, may_draft
from appeals.models import AppealKind
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.offices import access
from prosecution.terms.engine import explain_due_with_unit


def _staff_or_404(request: HttpRequest) -> StaffUser:
    """The signed-in member of staff; anyone else finds nothing here."""
    user = request.user
    if not isinstance(user, StaffUser) or access.staff_profile(user) is None:
        raise Http404
    return user


def _draft_form(request: HttpRequest, user: StaffUser, **kwargs: Any) -> forms.DraftForm:
    return forms.DraftForm(
        request.POST or None,
        checks=selectors.checks_for_basis(user),
        appeals=selectors.appeals_in_scope(user),
        **kwargs,
    )


@login_required
def act_list(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    form = forms.ActFilterForm(request.GET or None)
    filters = selectors.ActFilters(**form.cleaned_data) if form.is_valid() else None
    page = Paginator(selectors.acts_in_scope(user, filters), 50).get_page(request.GET.get("page"))
    audit.classified_read(page, where="act_list")
    return render(
        request,
        "acts/list.html",
        {"form": form, "page": page, "may_draft": may_draft(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def act_new(request: HttpRequest) -> HttpResponse:
    user = _staff_or_404(request)
    if not may_draft(user):
        raise Http404
    initial: dict[str, Any] = {}
    check_uuid = request.GET.get("check")
    if check_uuid:
        initial = {"basis_kind": "check", "basis_check": check_uuid}
    form = _draft_form(request, user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            act = services.draft_act(by=user, draft=services.ActDraft(**form.cleaned_data))
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("The act is drafted."))
            return redirect("act-detail", uuid=act.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "acts/draft.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def act_correct(request: HttpRequest, uuid: UUID) -> HttpResponse:
    user = _staff_or_404(request)
    act = selectors.get_act_or_404(user, str(uuid))
    if "correct" not in selectors.allowed_actions(act, user):
        raise Http404
    initial = {name: getattr(act, name) for name in forms.DraftForm.base_fields}
    initial["basis_check"] = act.basis_check.uuid if act.basis_check else None
    initial["basis_appeal"] = act.basis_appeal.reference if act.basis_appeal else ""
    form = _draft_form(request, user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "basis_act": act.basis_act}
        try:
            services.correct_draft(act, by=user, draft=services.ActDraft(**data))
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("The draft is corrected."))
            return redirect("act-detail", uuid=act.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "acts/draft.html", {"form": form, "act": act}, status=status)


def _complaint(act: Act, by: StaffUser, appeal: str) -> Any:
    complaint = selectors.appeal_in_scope(by, appeal, kind=AppealKind.COMPLAINT)
    if complaint is None:
        raise RuleViolation(_("No complaint with this number in your scope."), article="Art. 25")
    return services.link_complaint(act, by=by, appeal=complaint)


# action: (form, the service call with the act, the user and the cleaned data)
ACTIONS: dict[
    str, tuple[type[django_forms.Form], Callable[[Act, StaffUser, dict[str, Any]], Any]]
] = {
    "sign": (forms.OnForm, lambda a, u, d: services.sign_act(a, by=u, **d)),
    "deliver": (forms.OnForm, lambda a, u, d: services.deliver_act(a, by=u, **d)),
    "consideration": (
        forms.ConsiderationForm,
        lambda a, u, d: services.record_consideration(a, by=u, **d),
    ),
    "suspend_protested": (
        forms.ReasonOnForm,
        lambda a, u, d: services.suspend_protested_act(a, by=u, **d),
    ),
    "decide": (forms.DecideForm, lambda a, u, d: services.decide_act(a, by=u, **d)),
    "report": (forms.ReportForm, lambda a, u, d: services.report_result(a, by=u, **d)),
    "withdraw": (forms.ReasonOnForm, lambda a, u, d: services.withdraw_act(a, by=u, **d)),
    "claim": (forms.ClaimForm, lambda a, u, d: services.bring_claim(a, by=u, **d)),
    "complaint": (forms.ComplaintForm, lambda a, u, d: _complaint(a, u, d["appeal"])),
    "superior": (forms.SuperiorForm, lambda a, u, d: services.superior_decision(a, by=u, **d)),
    "lift": (forms.LiftForm, lambda a, u, d: services.lift_suspension(a, by=u, **d)),
}


def _form(action: str, data: Any = None) -> django_forms.Form:
    form_class = ACTIONS[action][0]
    initial = {"on": timezone.localdate()} if "on" in form_class.base_fields else {}
    return form_class(data, prefix=action, initial=initial)


def _detail(
    request: HttpRequest, act: Act, bound: tuple[str, django_forms.Form] | None = None
) -> HttpResponse:
    audit.classified_read([act], where="act_page")
    act_terms = services.terms_of(act)
    actions = selectors.allowed_actions(act, request.user)
    built = {a: _form(a) for a in actions if a in ACTIONS}
    if bound is not None:
        built[bound[0]] = bound[1]  # refused by role or state: the form shows why
    context = {
        "act": act,
        "article": ARTICLE_OF[act.kind],
        "terms": [(term, *explain_due_with_unit(term)) for term in act_terms],
        "events": act.events.select_related("by"),
        "complaints": act.complaints.all(),
        "following": act.following_acts.all(),
        "forms": built,
        "may_correct": "correct" in actions,
        "documents_given_up": selectors.documents_given_up(act),
    }
    return render(request, "acts/detail.html", context, status=400 if bound else 200)


@login_required
def act_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    act = selectors.get_act_or_404(_staff_or_404(request), str(uuid))
    return _detail(request, act)


@login_required
@require_POST
def act_action(request: HttpRequest, uuid: UUID, action: str) -> HttpResponse:
    """One action of the act's page: the form, then the service; on an error the page comes back
    (400) with the input kept and the error next to it."""
    user = _staff_or_404(request)
    act = selectors.get_act_or_404(user, str(uuid))
    if action not in ACTIONS:
        raise Http404
    form = _form(action, request.POST)
    if form.is_valid():
        try:
            result = ACTIONS[action][1](act, user, form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("Done."))
            target = result if isinstance(result, Act) else act
            return redirect("act-detail", uuid=target.uuid)
    act.refresh_from_db()
    return _detail(request, act, (action, form))
