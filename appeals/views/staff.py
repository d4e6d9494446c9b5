"""Staff pages of appeals: the queue, search, registration, and the appeal page with its timeline,
terms ("why this date"), documents and actions. Thin: forms check the shape, services the law."""

from collections.abc import Callable
from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appeals import forms, selectors, services, workflow
from appeals.models import Appeal, AppealKind, AppealState
from appeals.services.answer import allowed_answer_languages, current_letter
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office
from prosecution.offices import access
from prosecution.terms.engine import explain_due_with_unit
from supervision.models import CheckState
from supervision.selectors import checks_in_scope


def _staff_or_404(request):
    profile = access.staff_profile(request.user)
    if profile is None:
        raise Http404
    return profile


def _offices_in_scope(request):
    return access.visible_to(request.user, Office.objects.filter(is_active=True), office_field="")


@login_required
def appeal_list(request):
    """The queues and search over the user's scope. Those who name executors land on "to hand
    out" (new appeals of their office that nobody executes, oldest first); the others on "my
    appeals" (by due date, overdue first). Any search field makes it a search."""
    _staff_or_404(request)
    form = forms.SearchForm(request.GET or None, offices=_offices_in_scope(request))
    hands_out = selectors.may_hand_out(request.user)
    view = request.GET.get("view") or (VIEW_TO_HAND_OUT if hands_out else VIEW_MINE)
    searching = any(name in request.GET for name in form.fields)
    if searching and form.is_valid():
        queryset = selectors.search(request.user, selectors.AppealFilters(**form.cleaned_data))
        heading, view = _("Search results"), ""
    elif view == VIEW_TO_HAND_OUT and hands_out:
        queryset = selectors.to_hand_out(request.user)
        heading = _("To hand out")
    else:
        queryset = selectors.my_queue(request.user)
        heading, view = _("My appeals"), VIEW_MINE
    page = Paginator(queryset.prefetch_related("applicants"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/list.html",
        {
            "form": form,
            "page": page,
            "heading": heading,
            "view": view,
            "hands_out": hands_out,
            "today": timezone.localdate(),
        },
    )


VIEW_TO_HAND_OUT, VIEW_MINE = "to-hand-out", "mine"
HAND_OUT_ON_MY_WORK = 10


def to_hand_out_section(request) -> dict | None:
    """The "to hand out" section of the "my work" page (settings.MY_WORK_SECTIONS): the oldest
    new appeals of the office without an executor, for those who name executors."""
    if not selectors.may_hand_out(request.user):
        return None
    queryset = selectors.to_hand_out(request.user).prefetch_related("applicants")
    return {
        "template": "appeals/_to_hand_out.html",
        "appeals": list(queryset[:HAND_OUT_ON_MY_WORK]),
        "count": queryset.count(),
        "today": timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    profile = _staff_or_404(request)
    offices = _offices_in_scope(request)
    complained = Office.objects.filter(is_active=True)
    form = forms.AppealForm(
        request.POST or None,
        offices=offices,
        complained_offices=complained,
        initial={"office": profile.office, "received_on": timezone.localdate(), "language": "kk"},
    )
    applicants = forms.ApplicantFormSet(request.POST or None, prefix="applicant")
    if request.method == "POST" and form.is_valid() and applicants.is_valid():
        data = form.cleaned_data
        people = [services.ApplicantData(**a.cleaned_data) for a in applicants if a.has_data()]
        try:
            with transaction.atomic():
                appeal, code = services.register_appeal(
                    by=request.user,
                    applicants=people,
                    **{k: v for k, v in data.items() if k not in ("complained_office",)},
                    complained_office=data["complained_office"]
                    if data["kind"] == AppealKind.COMPLAINT
                    else None,
                )
        except ValidationError as error:
            _errors_to_formset(applicants, people, error)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Appeal %(reference)s registered. Its secret code for the status page: %(code)s")
                % {"reference": appeal.reference, "code": code},
            )
            return redirect("appeal-detail", uuid=appeal.uuid)
    return render(request, "appeals/register.html", {"form": form, "applicants": applicants})


def _errors_to_formset(formset, people, error: ValidationError) -> None:
    """An applicant's identifier failed its check: show it next to the field of the right one."""
    filled = [f for f in formset if f.has_data()]
    target = filled[0] if filled else formset.forms[0]
    for field, messages_ in error.message_dict.items():
        target.add_error(field if field in target.fields else None, messages_)


@login_required
def detail(request, uuid):
    _staff_or_404(request)
    appeal = _visible_appeal(request, uuid)
    actions = workflow.allowed_actions(appeal, request.user)
    context = _detail_context(request, appeal)
    context["forms"] = _action_forms(request, appeal, actions)
    if "attach" in actions:
        context["attach_form"] = forms.AttachForm()
    return render(request, "appeals/detail.html", context)


@login_required
@require_POST
def attach(request, uuid):
    """Documents added to the appeal: every file checked before any is stored."""
    _staff_or_404(request)
    appeal = _visible_appeal(request, uuid)
    form = forms.AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_files(
                appeal,
                by=request.user,
                files=form.cleaned_data["files"],
                from_applicant=form.cleaned_data["from_applicant"],
            )
        except (RuleViolation, ValidationError) as error:
            # A RuleViolation always has its message: only a ValidationError gets to .messages.
            form.add_error("files", getattr(error, "message", None) or error.messages)  # type: ignore[union-attr]
        else:
            messages.success(request, _("Documents attached."))
            return redirect("appeal-detail", uuid=appeal.uuid)
    context = _detail_context(request, appeal)
    context["forms"] = _action_forms(
        request, appeal, workflow.allowed_actions(appeal, request.user)
    )
    context["attach_form"] = form
    return render(request, "appeals/detail.html", context, status=400)


def _visible_appeal(request, uuid) -> Appeal:
    return access.get_visible_or_404(
        request.user,
        Appeal.objects.select_related(
            "office",
            "registered_in",
            "executor",
            "complained_office",
            "legality_check__registration",
            "complained_act_link",
        ),
        office_field="office_path",
        uuid=uuid,
    )


def _action_forms(request, appeal, actions, bound=None) -> dict:
    """The form of each action the user may take now, keyed by action."""
    built = {}
    for action in actions:
        spec = ACTIONS.get(action)
        if spec is None:
            continue
        form_class, _service, prepare = spec
        if bound is not None and bound[0] == action:
            form = bound[1]
        else:
            form = form_class(initial={"on": timezone.localdate()}, auto_id=_ids_of(action))
        if prepare:
            prepare(form, request, appeal)
        built[action] = form
    if bound is not None and bound[0] not in built:
        built[bound[0]] = bound[1]  # refused by role or state: the form shows why
    return built


def _ids_of(action: str) -> str:
    """Each action's fields get ids of their own: the page holds every action's form at once, and
    seven "id_reason" sent each label to the first of them (issue 13). The names stay the same."""
    return f"id_{action}_%s"


def _prepare_assign(form, request, appeal):
    executors = services.assignable_executors(appeal)
    form.fields["executor"].queryset = executors
    form.fields["executor"].label_from_instance = lambda u: u.get_full_name() or u.username
    form.fields["co_executors"].queryset = access.visible_to(
        request.user,
        get_user_model().objects.filter(staff_profile__is_active=True, is_active=True),
        office_field="staff_profile__office",
    )
    form.fields["co_executors"].label_from_instance = form.fields["executor"].label_from_instance


def _prepare_send(form, request, appeal):
    form.fields["office"].queryset = _offices_in_scope(request).exclude(pk=appeal.office_id)


def _prepare_terminate(form, request, appeal):
    form.fields["earlier"].queryset = selectors.earlier_appeals(request.user, appeal).filter(
        state=AppealState.ANSWERED
    )


def _prepare_check(form, request, appeal):
    """Art. 24(4): the open checks the user sees, newest first."""
    field = form.fields["legality_check"]
    field.queryset = checks_in_scope(request.user).exclude(
        state__in=[CheckState.COMPLETED, CheckState.CANCELLED]
    )
    field.label_from_instance = lambda check: (
        f"{check.resolution_number} ({check.registration.reference if check.registration else '—'})"
        f": {check.subject_name}"
    )


def _prepare_decide(form, request, appeal):
    # A ChoiceField (base_fields types it as Field): its choices as given, a list of pairs.
    languages = dict(forms.AppealForm.base_fields["language"].choices)  # type: ignore[attr-defined]
    cast(django_forms.ChoiceField, form.fields["language"]).choices = [
        (code, languages.get(code, code)) for code in allowed_answer_languages(appeal)
    ]
    form.initial["language"] = services.answer_language_for(appeal)
    if appeal.kind != AppealKind.COMPLAINT:
        del form.fields["act_effect"]


# action: (form, service call with the cleaned data, form preparation)
ACTIONS: dict[
    str,
    tuple[
        type[django_forms.Form],
        Callable[..., Any],
        Callable[[Any, Any, Appeal], None] | None,
    ],
] = {
    "record_ground": (forms.GroundForm, services.record_ground, None),
    "assign": (forms.AssignForm, services.assign_appeal, _prepare_assign),
    "send_to_office": (forms.SendToOfficeForm, services.send_to_office, _prepare_send),
    "mark_procedural": (forms.ProceduralForm, services.mark_procedural, None),
    "extend": (forms.ExtendForm, services.extend_appeal_term, None),
    "tell_extension": (forms.ToldForm, services.record_extension_told, None),
    "appoint_check": (forms.CheckForm, services.appoint_check, _prepare_check),
    "complete_check": (forms.CheckDoneForm, services.complete_check, None),
    "decide_restore": (forms.RestoreForm, services.decide_restore, None),
    "redirect": (forms.RedirectForm, services.redirect_appeal, None),
    "terminate": (forms.TerminateForm, services.terminate_repeated, _prepare_terminate),
    "close_anonymous": (forms.ReasonForm, services.close_anonymous, None),
    "proceed_anonymous": (forms.ReasonForm, services.proceed_anonymous, None),
    "decide": (forms.DecideForm, services.decide_appeal, _prepare_decide),
    "reopen": (forms.ReasonForm, services.reopen_appeal, None),
    "send_answer": (forms.AnswerForm, services.send_answer, None),
    "record_personal_answer": (forms.PersonalAnswerForm, services.record_personal_answer, None),
}


@login_required
@require_POST
def act(request, uuid, action):
    """One action of the appeal page: the form, then the service; on an error the page comes
    back with the input kept and the error next to it."""
    _staff_or_404(request)
    appeal = _visible_appeal(request, uuid)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form_class, service, prepare = spec
    form = form_class(request.POST, auto_id=_ids_of(action))
    if prepare:
        prepare(form, request, appeal)
    if form.is_valid():
        try:
            with transaction.atomic():
                service(appeal, by=request.user, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("Done."))
            return redirect("appeal-detail", uuid=appeal.uuid)
    # The page again, with this form bound: the input kept and the errors next to it.
    appeal.refresh_from_db()
    actions = workflow.allowed_actions(appeal, request.user)
    return render(
        request,
        "appeals/detail.html",
        {
            **_detail_context(request, appeal),
            "forms": _action_forms(request, appeal, actions, bound=(action, form)),
            "failed_action": action,
        },
        status=400,
    )


def _detail_context(request, appeal) -> dict:
    terms = list(selectors.appeal_terms(appeal))
    return {
        "appeal": appeal,
        "applicants": appeal.applicants.all(),
        "terms": [(term, *explain_due_with_unit(term)) for term in terms],
        "events": selectors.timeline(appeal),
        "earlier": selectors.earlier_appeals(request.user, appeal)[:20],
        "letters": appeal.letters.all(),
        "letter": current_letter(appeal),
        "attachments": appeal.attachments.all(),
        "today": timezone.localdate(),
        "check": selectors.visible_check(request.user, appeal),
    }
