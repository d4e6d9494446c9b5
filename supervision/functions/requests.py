"""Requests for information (Art. 26(3)-(4)): to a body or organisation, an official or a person,
answered within the term the prosecutor sets, at least 3 working days, or immediately where
irreversible consequences threaten (a reason recorded). The term is a prosecution.Term of kind
information_request: the engine enforces the minimum (prosecution/terms/rules.py), and its
reminders, mark_missed and escalation make an unanswered request overdue like every term."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prosecution.files import uploads
from prosecution.lib.errors import RuleViolation
from prosecution.lib.identifiers import validate_bin, validate_iin
from prosecution.models import Term, TermKind
from prosecution.offices import access
from prosecution.terms import engine as terms
from supervision.functions.common import (
    acting_office,
    lock,
    log,
    on_check_under_way,
    require_change,
    required,
    term_of,
    working_day_set,
)
from supervision.models import (
    AddresseeKind,
    Check,
    FunctionEventKind,
    InformationRequest,
    RequestFile,
    RequestState,
    Study,
    StudyState,
)

ART_26_3 = "Art. 26(3)"
ART_26_4 = "Art. 26(4)"


def request_term(request: InformationRequest) -> Term | None:
    return term_of(request, TermKind.INFORMATION_REQUEST)


def _addressee_number(kind: str, number: str) -> str:
    """A body by its BIN, a person by the IIN; an official's IIN is optional."""
    number = (number or "").strip().replace(" ", "")
    try:
        if kind == AddresseeKind.BODY:
            return validate_bin(number)
        if kind == AddresseeKind.PERSON:
            return validate_iin(number)
        if kind == AddresseeKind.OFFICIAL:
            return validate_iin(number) if number else ""
    except ValidationError as error:
        raise RuleViolation(
            _("The BIN or IIN of the addressee is not valid: %(error)s")
            % {"error": " ".join(error.messages)},
            article=ART_26_3,
            code="invalid",
        ) from None
    raise RuleViolation(_("Say whether the addressee is a body, an official or a person."))


def _context(by: User, legality_check: Check | None, study: Study | None) -> None:
    """Art. 26(3): on a check under way (within its term: Art. 18(5)), or an analysis or an
    assessment under way, that the prosecutor may act on."""
    if legality_check is not None:
        on_check_under_way(by, legality_check, ART_26_3)
    if study is not None:
        require_change(by, study, ART_26_3)
        if study.state != StudyState.OPEN:
            raise RuleViolation(
                _("Information is requested on an analysis or an assessment under way."),
                article=ART_26_3,
            )


@transaction.atomic
def send_request(
    *,
    by: User,
    addressee_kind: str,
    addressee_name: str,
    matter: str,
    requested: str,
    due: date,
    addressee_number: str = "",
    addressee_address: str = "",
    is_urgent: bool = False,
    urgent_reason: str = "",
    legality_check: Check | None = None,
    study: Study | None = None,
    sent_on: date | None = None,
    is_classified: bool = False,
) -> InformationRequest:
    """Art. 26(3): bodies, organisations and officials give the prosecutor the information,
    documents and materials requested within the term the prosecutor sets, but not less than
    three working days; Art. 26(4): immediately, to prevent irreversible consequences for life,
    health, legitimate interests of business, society or the state; the reason is recorded."""
    # What is asked on a classified check or study is classified with it (docs/rules.md "Secrecy").
    is_classified = (
        is_classified
        or (legality_check is not None and legality_check.is_classified)
        or (study is not None and study.is_classified)
    )
    office = acting_office(by, ART_26_3, classified=is_classified)
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise RuleViolation(_("A request is not dated in the future."), article=ART_26_3)
    _context(by, legality_check, study)
    urgent_reason = (urgent_reason or "").strip()
    if is_urgent and not urgent_reason:
        raise RuleViolation(
            _(
                "Information is demanded immediately only to prevent irreversible consequences: "
                "record which."
            ),
            article=ART_26_4,
            code="urgent_without_reason",
        )
    if not (is_urgent and due == sent_on):
        working_day_set(due, ART_26_3)
    request = InformationRequest.objects.create(
        office=office,
        office_path=office.path,
        legality_check=legality_check,
        study=study,
        matter=required(matter, _("Say on what matter the information is requested."), ART_26_3),
        addressee_kind=addressee_kind,
        addressee_name=required(addressee_name, _("Name the addressee."), ART_26_3),
        addressee_number=_addressee_number(addressee_kind, addressee_number),
        addressee_address=addressee_address.strip(),
        requested=required(requested, _("Say what is requested."), ART_26_3),
        sent_by=by,
        sent_on=sent_on,
        is_urgent=is_urgent,
        urgent_reason=urgent_reason if is_urgent else "",
        is_classified=is_classified,
    )
    term = terms.open_term(
        subject=request,
        kind=TermKind.INFORMATION_REQUEST,
        office=office,
        start_date=sent_on,
        start_event=_("Request for information sent"),
        responsible=by,
        set_due=due,
        urgent=is_urgent,
        label=f"{request.addressee_name}: {request.matter}",
        is_classified=is_classified,
    )
    log(request, FunctionEventKind.SENT, by=by, due=term.due_date, urgent=is_urgent)
    return request


def _checked_files(
    files: Sequence[File[Any]], existing: int
) -> list[tuple[File[Any], uploads.DetectedType]]:
    """Every file inspected before any is stored (docs/security.md 14): one bad file stores
    nothing, and the refusal names it."""
    try:
        return uploads.inspect_all(files, existing=existing)
    except ValidationError as error:
        raise RuleViolation(
            _("The documents are refused: %(problem)s") % {"problem": " ".join(error.messages)},
            article=ART_26_3,
            code="files",
        ) from None


@transaction.atomic
def record_answer(
    request: InformationRequest,
    *,
    by: User,
    answered_on: date,
    answer: str,
    files: Sequence[File[Any]] = (),
) -> InformationRequest:
    """Art. 26(3): the answer received is recorded with its date and the documents that came
    with it; its term is met (late, if it came after the due date: the overdue record stays)."""
    request = lock(request)
    require_change(by, request, ART_26_3)
    if request.state != RequestState.SENT:
        raise RuleViolation(_("This request is not awaiting an answer."), article=ART_26_3)
    if answered_on > timezone.localdate() or answered_on < request.sent_on:
        raise RuleViolation(
            _("An answer is dated between the request and today."), article=ART_26_3
        )
    answer = required(answer, _("Record what the answer says."), ART_26_3)
    checked = _checked_files(files, existing=request.files.count())
    if (term := request_term(request)) is not None:
        terms.meet_term(term, on=answered_on, by=by)
    for file, detected in checked:
        saved = uploads.store(file, detected)
        # The row goes with the transaction; a rollback leaves an orphan file, never a row
        # without its file.
        RequestFile.objects.create(
            request=request,
            stored_name=saved.name,
            original_name=(file.name or "file")[:255],
            content_type=saved.content_type,
            size=saved.size,
            sha256=saved.sha256,
            uploaded_by=by,
        )
    request.state = RequestState.ANSWERED
    request.answered_on = answered_on
    request.answer = answer
    request.save(update_fields=["state", "answered_on", "answer"])
    log(request, FunctionEventKind.ANSWERED, by=by, on=answered_on, files=len(checked))
    return request


@transaction.atomic
def withdraw_request(request: InformationRequest, *, by: User, reason: str) -> InformationRequest:
    """The prosecutor withdraws a request no longer needed (a reason recorded); its term is
    cancelled."""
    request = lock(request)
    access.require(
        by, "decide", request, message=_("Only the head of the office or a deputy withdraws it.")
    )
    if request.state != RequestState.SENT:
        raise RuleViolation(_("This request is not awaiting an answer."), article=ART_26_3)
    reason = required(reason, _("A withdrawal needs a reason."), ART_26_3)
    if (term := request_term(request)) is not None:
        terms.cancel_term(term, reason=reason, by=by)
    request.state = RequestState.CANCELLED
    request.save(update_fields=["state"])
    log(request, FunctionEventKind.CANCELLED, by=by, reason=reason)
    return request
