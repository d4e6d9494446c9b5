"""Staff pages of analyses and assessments (Art. 20, 21), requests for information (Art. 26(3)-(4))
and summons (Art. 26(7)-(14)): the lists in the user's scope with filters, the record with its
term ("why this date") and history, the actions the user's role allows. Thin: the forms check the
shape, supervision/functions/ the law; a refusal is shown next to the form with a 400."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User as StaffUser
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from prosecution.audit import log as audit
from prosecution.files import uploads
from prosecution.lib.errors import RuleViolation
from prosecution.models import Term
from prosecution.offices import access
from prosecution.terms.engine import explain_due_with_unit
from supervision.functions import forms, requests, selectors, studies, summons
from supervision.models import (
    Check,
    InformationRequest,
    RequestState,
    Study,
    StudyKind,
    StudyState,
    Summons,
    SummonsState,
)

# Who may come, and whom they may entrust: as on the checks' pages.
from supervision.views.staff import _staff_in_scope, _staff_or_404


def _page(request: HttpRequest, rows: QuerySet[Any], where: str) -> Any:
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    audit.classified_read(page, where=where)
    return page


# --- the three kinds of record, described once ------------------------------------------------


@dataclass(frozen=True)
class Action:
    form: type[django_forms.Form]
    run: Callable[[Any, StaffUser, dict[str, Any]], object]
    label: Any
    form_kwargs: Callable[[Any], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Kind:
    slug: str  # the URL's first part
    title: Any
    model: type[Model]
    states: list[tuple[str, Any]]
    actions: dict[str, Action]
    allowed: Callable[[Any, Any], list[str]]
    term: Callable[[Any], Term | None]
    study_kind: str = ""


def _study_complete(study: Study, by: StaffUser, data: dict[str, Any]) -> object:
    return studies.complete_study(study, by=by, **data)


def _study_cancel(study: Study, by: StaffUser, data: dict[str, Any]) -> object:
    return studies.cancel_study(study, by=by, **data)


STUDY_ACTIONS = {
    "complete": Action(forms.CompleteStudyForm, _study_complete, gettext_lazy("Record the result")),
    "cancel": Action(forms.ReasonForm, _study_cancel, gettext_lazy("Cancel")),
}


def _record_answer(r: InformationRequest, by: StaffUser, data: dict[str, Any]) -> object:
    document = data.pop("document", None)
    return requests.record_answer(r, by=by, files=[document] if document else [], **data)


REQUEST_ACTIONS = {
    "answer": Action(forms.AnswerForm, _record_answer, gettext_lazy("Record the answer")),
    "withdraw": Action(
        forms.ReasonForm,
        lambda r, by, data: requests.withdraw_request(r, by=by, **data),
        gettext_lazy("Withdraw the request"),
    ),
}


def _record_delivery(s: Summons, by: StaffUser, data: dict[str, Any]) -> object:
    notification = data.pop("notification")
    return summons.record_delivery(notification, by=by, **data)


SUMMONS_ACTIONS = {
    "notify": Action(
        forms.NotifyForm,
        lambda s, by, data: summons.notify_summons(s, by=by, **data),
        gettext_lazy("Send the notice"),
    ),
    "delivery": Action(
        forms.DeliveryForm,
        _record_delivery,
        gettext_lazy("Record the delivery"),
        lambda s: {"summons": s},
    ),
    "appearance": Action(
        forms.AppearanceForm,
        lambda s, by, data: summons.record_appearance(s, by=by, **data),
        gettext_lazy("Record the appearance"),
    ),
    "force": Action(
        forms.ForceForm,
        lambda s, by, data: summons.order_forced_delivery(s, by=by, **data),
        gettext_lazy("Decide forced delivery"),
    ),
    "cancel": Action(
        forms.ReasonForm,
        lambda s, by, data: summons.cancel_summons(s, by=by, **data),
        gettext_lazy("Cancel the summons"),
    ),
}

KINDS = {
    "analyses": Kind(
        "analyses",
        gettext_lazy("Analyses of the state of legality"),
        Study,
        StudyState.choices,
        STUDY_ACTIONS,
        selectors.allowed_study_actions,
        studies.study_term,
        StudyKind.ANALYSIS,
    ),
    "assessments": Kind(
        "assessments",
        gettext_lazy("Assessments of acts in force"),
        Study,
        StudyState.choices,
        STUDY_ACTIONS,
        selectors.allowed_study_actions,
        studies.study_term,
        StudyKind.ASSESSMENT,
    ),
    "information-requests": Kind(
        "information-requests",
        gettext_lazy("Requests for information"),
        InformationRequest,
        RequestState.choices,
        REQUEST_ACTIONS,
        selectors.allowed_request_actions,
        requests.request_term,
    ),
    "summonses": Kind(
        "summonses",
        gettext_lazy("Summonses"),
        Summons,
        SummonsState.choices,
        SUMMONS_ACTIONS,
        selectors.allowed_summons_actions,
        lambda s: None,
    ),
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _rows(kind: Kind, user: StaffUser, filters: selectors.Filters | None) -> QuerySet[Any]:
    if kind.model is Study:
        return selectors.studies_in_scope(user, kind.study_kind, filters)
    if kind.model is InformationRequest:
        return selectors.requests_in_scope(user, filters)
    return selectors.summonses_in_scope(user, filters)


def _get(kind: Kind, user: StaffUser, uuid: UUID) -> Any:
    extra = {"kind": kind.study_kind} if kind.study_kind else {}
    return selectors.get_or_404(user, kind.model, str(uuid), **extra)


# --- pages -------------------------------------------------------------------------------------


@login_required
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff_or_404(request)
    kind = _kind(slug)
    form = forms.FilterForm(request.GET or None, states=kind.states)
    filters = selectors.Filters(**form.cleaned_data) if form.is_valid() else None
    page = _page(request, _rows(kind, user, filters), where=f"{slug}_list")
    return render(
        request,
        "supervision/functions/list.html",
        {"kind": kind, "form": form, "page": page},
    )


def _new_form(kind: Kind, request: HttpRequest, data: Any) -> django_forms.Form:
    today = timezone.localdate()
    if kind.model is Study:
        return forms.OpenStudyForm(
            data,
            staff=_staff_in_scope(request),
            initial={"started_on": today, "responsible": request.user},
        )
    if kind.model is InformationRequest:
        return forms.SendRequestForm(data, initial={"sent_on": today})
    return forms.IssueSummonsForm(data)


def _linked(request: HttpRequest, user: StaffUser, model: type[Any], name: str) -> Any:
    """The check (?check=<uuid>) or the study (?study=<uuid>) a request or a summons is made
    from, if the user may see it."""
    uuid = request.GET.get(name)
    if not uuid:
        return None
    try:
        UUID(uuid)
    except ValueError:
        raise Http404 from None
    return access.get_visible_or_404(
        user, model._default_manager.all(), office_field="office_path", uuid=uuid
    )


def _study_url(study: Study) -> str:
    slug = "analyses" if study.kind == StudyKind.ANALYSIS else "assessments"
    return reverse("function-detail", kwargs={"slug": slug, "uuid": study.uuid})


def _create(kind: Kind, user: StaffUser, data: dict[str, Any], links: dict[str, Any]) -> Any:
    if kind.model is Study:
        return studies.open_study(by=user, kind=kind.study_kind, **data)
    if kind.model is InformationRequest:
        return requests.send_request(by=user, **links, **data)
    return summons.issue_summons(by=user, legality_check=links["legality_check"], **data)


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff_or_404(request)
    kind = _kind(slug)
    links = {
        "legality_check": _linked(request, user, Check, "check"),
        "study": _linked(request, user, Study, "study"),
    }
    form = _new_form(kind, request, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record = _create(kind, user, dict(form.cleaned_data), links)
            except RuleViolation as error:
                form.add_error(None, error.with_article())
            else:
                messages.success(request, _("Done."))
                return redirect("function-detail", slug=slug, uuid=record.uuid)
        status = 400
    context = {"kind": kind, "form": form, "check": links["legality_check"], **links}
    if links["study"] is not None:
        context["study_url"] = _study_url(links["study"])
    return render(request, "supervision/functions/new.html", context, status=status)


def _facts(record: Any) -> list[tuple[Any, Any]]:
    """What the page lists about the record, as (label, value)."""
    meta = record._meta
    names = {
        Study: [
            "kind",
            "topic",
            "scope",
            "office",
            "ordered_by",
            "responsible",
            "started_on",
            "state",
            "findings",
            "completed_on",
            "recommended_response",
        ],
        InformationRequest: [
            "matter",
            "addressee_kind",
            "addressee_name",
            "addressee_number",
            "addressee_address",
            "requested",
            "office",
            "sent_by",
            "sent_on",
            "is_urgent",
            "urgent_reason",
            "state",
            "answered_on",
            "answer",
        ],
        Summons: [
            "person_name",
            "person_iin",
            "birth_date",
            "phone",
            "email",
            "appear_at",
            "place",
            "purpose",
            "office",
            "issued_by",
            "state",
            "absence_reason",
        ],
    }[type(record)]
    facts = []
    for name in names:
        field = meta.get_field(name)
        value = getattr(record, name)
        if value in (None, ""):
            continue
        if getattr(field, "choices", None):
            value = getattr(record, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, StaffUser):
            value = value.get_full_name() or value.get_username()
        facts.append((field.verbose_name, value))
    if record.is_classified:
        facts.append((_("Classified"), _("yes")))
    return facts


def _action_form(
    kind: Kind, name: str, record: Any, data: Any = None, files: Any = None
) -> django_forms.Form:
    action = kind.actions[name]
    extra = action.form_kwargs(record) if action.form_kwargs else {}
    now = timezone.localtime()
    initial = {"on": now.date(), "answered_on": now.date()}
    return action.form(data, files, prefix=name, initial=initial, **extra)


def _detail(
    request: HttpRequest,
    kind: Kind,
    record: Any,
    bound: tuple[str, django_forms.Form] | None = None,
) -> HttpResponse:
    audit.classified_read([record], where=f"{kind.slug}_page")
    term = kind.term(record)
    allowed = kind.allowed(record, request.user)
    built = {name: _action_form(kind, name, record) for name in allowed}
    if bound is not None:
        built[bound[0]] = bound[1]  # refused by role or state: the form shows why
    context = {
        "kind": kind,
        "record": record,
        "facts": _facts(record),
        "term": term,
        "why": explain_due_with_unit(term) if term else None,
        "events": record.events.select_related("by"),
        "forms": [(name, kind.actions[name].label, form) for name, form in built.items()],
    }
    if isinstance(record, Summons):
        context["notifications"] = [
            (n, summons.delivery_of(n)) for n in record.notifications.select_related("notice")
        ]
        context["deliveries"] = record.deliveries.select_related("decided_by")
    if isinstance(record, InformationRequest):
        context["files"] = record.files.all()
        if record.study is not None:
            context["study"] = record.study
            context["study_url"] = _study_url(record.study)
    if isinstance(record, Study):
        context["requests_made"] = record.information_requests.all()
    if getattr(record, "legality_check_id", None):
        context["legality_check"] = record.legality_check
    return render(
        request,
        "supervision/functions/detail.html",
        context,
        status=400 if bound is not None else 200,
    )


@login_required
def record_detail(request: HttpRequest, slug: str, uuid: UUID) -> HttpResponse:
    user = _staff_or_404(request)
    kind = _kind(slug)
    return _detail(request, kind, _get(kind, user, uuid))


@login_required
@require_POST
def record_action(request: HttpRequest, slug: str, uuid: UUID, action: str) -> HttpResponse:
    user = _staff_or_404(request)
    kind = _kind(slug)
    record = _get(kind, user, uuid)
    if action not in kind.actions:
        raise Http404
    form = _action_form(kind, action, record, request.POST, request.FILES)
    if form.is_valid():
        try:
            kind.actions[action].run(record, user, dict(form.cleaned_data))
        except RuleViolation as error:
            form.add_error(None, error.with_article())
        else:
            messages.success(request, _("Done."))
            return redirect("function-detail", slug=slug, uuid=record.uuid)
    record.refresh_from_db()
    return _detail(request, kind, record, bound=(action, form))


@login_required
def request_file(request: HttpRequest, uuid: UUID, file_uuid: UUID) -> FileResponse:
    """A document of an answer, only through the access policy (404 outside the scope), always as
    a download (docs/security.md 14)."""
    user = _staff_or_404(request)
    found = selectors.get_or_404(user, InformationRequest, str(uuid))
    document = found.files.filter(uuid=file_uuid).first()
    if document is None:
        raise Http404
    audit.classified_read([found], where="information_request_file")
    return uploads.attachment_response(
        document.stored_name,
        download_name=document.original_name,
        content_type=document.content_type,
    )
