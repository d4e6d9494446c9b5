"""Every change of a legality check (Art. 17-19; docs/rules.md "Legality checks"), one function per
action. Each locks the check, checks the actor through the one access policy, checks the state
the action expects, appends a CheckEvent and an audit record, and refuses with a RuleViolation
citing the article. Registration and its refusal are in legal_statistics/services.py.

The term (30 working days, extended once by at most 30, suspendable: Art. 18(4)) is a
prosecution.Term of kind check_duration, driven through the terms engine; checks exempt under
Art. 18(4) have none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legal_statistics.models import Registration, RegistrationState
from prosecution.audit import log as audit
from prosecution.lib.articles import article_label
from prosecution.lib.errors import RuleViolation
from prosecution.lib.identifiers import validate_bin, validate_iin
from prosecution.lib.values import plain, required
from prosecution.models import Office, OfficeKind, StaffProfile, TermKind, TermState
from prosecution.offices import access
from prosecution.terms import engine as terms
from supervision import signals, workflow
from supervision.models import (
    INSTRUCTION_GROUNDS,
    Check,
    CheckEvent,
    CheckEventKind,
    CheckState,
    SubjectKind,
    SuspensionCause,
)
from supervision.rules import (
    APPOINTING_OFFICE_KINDS,
    EXTENSION_CONSENT_ARTICLE,
    GPO_APPOINTING_POSITIONS,
)
from supervision.selectors import term_of

ART_18_1 = "Art. 18(1)"
ART_18_2 = "Art. 18(2)"
ART_18_4 = "Art. 18(4)"
ART_18_5 = "Art. 18(5)"
ART_19_2 = "Art. 19(2)"


@dataclass
class Resolution:
    """What a resolution appointing a check says (Art. 18(1)-(2), (4))."""

    resolution_number: str
    resolution_date: date
    subject_kind: str
    subject_number: str
    subject_name: str
    subject_address: str
    subject_matter: str
    period_from: date
    period_to: date
    inspectors: list[User] = field(default_factory=list)
    ground: str = ""
    instruction_number: str = ""
    instruction_date: date | None = None
    is_private_business: bool = False
    business_consent_kind: str = ""
    business_consent_number: str = ""
    business_consent_date: date | None = None
    is_classified: bool = False
    exempt_kind: str = ""


# --- helpers ------------------------------------------------------------------------------------


def log(
    check: Check, kind: str, *, by: User | None, on: date, reason: str = "", **data: Any
) -> CheckEvent:
    """The check's history and the audit log: every change of a check passes here."""
    event = CheckEvent.objects.create(
        legality_check=check, kind=kind, on=on, by=by, reason=reason, data=plain(data)
    )
    audit.record(
        f"check.{kind}", target=check, actor=by, state=check.state, on=on, reason=reason, **data
    )
    return event


def lock(check: Check) -> Check:
    """Re-read the check under a row lock: two decisions on one check never interleave."""
    return Check.objects.select_for_update().get(pk=check.pk)


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def may_appoint(by: User | None) -> bool:
    """Art. 18(1): the PG and the deputies at the GPO; the heads of the military, transport,
    regional, district and equated offices."""
    profile = access.staff_profile(by)
    if profile is None or profile.office.kind not in APPOINTING_OFFICE_KINDS:
        return False
    if profile.office.kind == OfficeKind.GPO:
        return profile.position in GPO_APPOINTING_POSITIONS
    return access.may(by, "appoint_check", profile.office)


def _require_appointing_authority(check: Check, by: User | None, message: str) -> None:
    """Extension, change of inspectors and cancellation: decided by a prosecutor who may appoint
    checks, in the appointing office or above it (Art. 5(2), 18(1))."""
    access.require(by, "appoint_check", check, article=ART_18_1, message=message)
    if not may_appoint(by):  # the role, but in an office that does not appoint checks
        audit.denied(check, actor=by, checked="appoint_check")
        raise RuleViolation(message, article=ART_18_1, code="forbidden")


def _require_inspector(check: Check, by: User | None) -> None:
    """Art. 18(4): the subject may refuse entry to people the resolution does not name; only the
    named inspectors act on the check (and only in the access policy's scope)."""
    access.require(by, "change", check, message=_("You may not do this to this check."))
    assert by is not None  # access.require refuses nobody
    if not check.inspectors.filter(pk=by.pk).exists():
        audit.denied(check, actor=by, checked="named_inspector")
        raise RuleViolation(
            _("Only the inspectors named in the resolution act on the check."),
            article=ART_18_4,
            code="forbidden",
        )


def require_within_term(check: Check, on: date) -> None:
    """Art. 18(5): the prosecutor may not exceed the term of the check."""
    term = term_of(check)
    if term is None:
        return
    if term.state == TermState.MISSED or (term.state == TermState.OPEN and on > term.due_date):
        raise RuleViolation(
            _("The term of the check ended on %(due)s: nothing more may be done under it.")
            % {"due": term.due_date.strftime("%d.%m.%Y")},
            article=ART_18_5,
            code="term_over",
        )


def _check_inspectors(inspectors: list[User], *, classified: bool, article: str) -> list[User]:
    """Art. 18(4): the resolution names the inspectors, active staff; Art. 19(1): a classified
    check needs inspectors cleared to state secrets."""
    if not inspectors:
        raise RuleViolation(
            _("Name at least one inspector in the resolution."), article=article, code="required"
        )
    profiles = {
        p.user_id: p
        for p in StaffProfile.objects.filter(
            user__in=inspectors, is_active=True, user__is_active=True
        )
    }
    for user in inspectors:
        profile = profiles.get(user.pk)
        if profile is None:
            raise RuleViolation(
                _("%(name)s is not an active member of staff.")
                % {"name": user.get_full_name() or user.get_username()},
                article=article,
            )
        if classified and not profile.clearance_valid():
            raise RuleViolation(
                _("%(name)s has no valid clearance to state secrets for a classified check.")
                % {"name": user.get_full_name() or user.get_username()},
                article="Art. 19(1)",
            )
    return inspectors


def _validated_subject(kind: str, number: str) -> str:
    try:
        if kind == SubjectKind.ORGANISATION:
            return validate_bin(number)
        if kind == SubjectKind.PERSON:
            return validate_iin(number)
    except ValidationError as error:
        raise RuleViolation(
            _("The BIN or IIN of the subject is not valid: %(error)s")
            % {"error": " ".join(error.messages)},
            code="invalid",
        ) from None
    raise RuleViolation(_("Say whether the subject is an organisation or a person."))


def require_business_consent(check: Check | Resolution) -> None:
    """Art. 18(2): a private business is checked only on the President's or the Prosecutor
    General's instruction or with their agreement, recorded with its number and date."""
    if check.is_private_business and not (
        check.business_consent_kind
        and check.business_consent_number.strip()
        and check.business_consent_date
    ):
        raise RuleViolation(
            _(
                "A check of a private business entity needs the instruction or agreement of the "
                "President or the Prosecutor General: give its kind, number and date."
            ),
            article=ART_18_2,
            code="business_consent_required",
        )


# --- the resolution -----------------------------------------------------------------------------


@transaction.atomic
def appoint_check(*, by: User, resolution: Resolution) -> Check:
    """Art. 18(1)-(2), (4): a check is appointed by a resolution of the Prosecutor General or a
    deputy, or of the head of a military, transport, regional, district or equated office, on an
    instruction of the President or the PG, or to protect one of the interests of Art. 18(1). The
    appointing office is the signer's."""
    r = resolution
    if not may_appoint(by):
        audit.denied(("supervision.check", "", ""), actor=by, checked="appoint_check")
        raise RuleViolation(
            _(
                "Only the Prosecutor General, the deputies and the heads of military, transport, "
                "regional, district and equated offices appoint checks."
            ),
            article=ART_18_1,
            code="forbidden",
        )
    profile = access.staff_profile(by)
    assert profile is not None  # may_appoint checked it
    office: Office = profile.office
    fields, inspectors = _validated_resolution(r)
    check = Check.objects.create(office=office, office_path=office.path, appointed_by=by, **fields)
    check.inspectors.set(inspectors)
    log(
        check,
        CheckEventKind.APPOINTED,
        by=by,
        on=r.resolution_date,
        inspectors=[u.pk for u in inspectors],
    )
    return check


def _validated_resolution(r: Resolution) -> tuple[dict[str, Any], list[User]]:
    """The columns of a resolution that passes Art. 18(1)-(2), (4), and its inspectors."""
    required(r.resolution_number, _("Give the number of the resolution."), ART_18_4)
    if r.resolution_date > timezone.localdate():
        raise RuleViolation(_("A resolution is not dated in the future."), article=ART_18_4)
    if not r.exempt_kind and not r.ground:
        raise RuleViolation(
            _("A check is appointed only on one of the grounds of %(article)s.")
            % {"article": article_label(ART_18_1)},
            article=ART_18_1,
            code="no_ground",
        )
    if r.ground in INSTRUCTION_GROUNDS and not (
        r.instruction_number.strip() and r.instruction_date
    ):
        raise RuleViolation(
            _("Give the number and date of the instruction the check is appointed on."),
            article=ART_18_1,
        )
    if r.business_consent_kind or r.business_consent_number.strip() or r.business_consent_date:
        require_business_consent(r)
    if r.period_from > r.period_to:
        raise RuleViolation(_("The period under review ends before it begins."))
    fields = {
        "resolution_number": r.resolution_number.strip(),
        "resolution_date": r.resolution_date,
        "ground": r.ground,
        "instruction_number": r.instruction_number.strip(),
        "instruction_date": r.instruction_date,
        "is_private_business": r.is_private_business,
        "business_consent_kind": r.business_consent_kind,
        "business_consent_number": r.business_consent_number.strip(),
        "business_consent_date": r.business_consent_date,
        "subject_kind": r.subject_kind,
        "subject_number": _validated_subject(r.subject_kind, r.subject_number),
        "subject_name": required(r.subject_name, _("Name the subject of the check."), ART_18_4),
        "subject_address": r.subject_address.strip(),
        "subject_matter": required(r.subject_matter, _("Say what the check is about."), ART_18_5),
        "period_from": r.period_from,
        "period_to": r.period_to,
        "is_classified": r.is_classified,
        "exempt_kind": r.exempt_kind,
    }
    inspectors = _check_inspectors(r.inspectors, classified=r.is_classified, article=ART_18_4)
    return fields, inspectors


@transaction.atomic
def correct_resolution(check: Check, *, by: User, resolution: Resolution) -> Check:
    """Art. 18(4): a resolution refused registration (or not yet sent) is corrected by the
    appointing authority and sent again. Once registered it is never edited: later changes are
    events (extension, suspension, inspectors ...). The correction is an event with the columns
    it changed."""
    check = lock(check)
    _require_appointing_authority(
        check, by, _("Only a prosecutor who may appoint checks corrects the resolution.")
    )
    workflow.expect(check, "correct", article=ART_18_4)
    fields, inspectors = _validated_resolution(resolution)
    changed = {name: value for name, value in fields.items() if getattr(check, name) != value}
    before = sorted(check.inspectors.values_list("pk", flat=True))
    after = sorted(u.pk for u in inspectors)
    for name, value in changed.items():
        setattr(check, name, value)
    check.save()
    check.inspectors.set(inspectors)
    log(
        check,
        CheckEventKind.CORRECTED,
        by=by,
        on=timezone.localdate(),
        changed=sorted(changed),
        inspectors=after if after != before else None,
    )
    return check


@transaction.atomic
def send_for_registration(check: Check, *, by: User) -> Registration:
    """Art. 18(4), 19(1): the resolution is registered with the legal statistics body before the
    check begins; it waits in the register's queue. A refused resolution may be sent again."""
    check = lock(check)
    access.require(by, "change", check, message=_("You may not do this to this check."))
    if check.is_exempt:
        raise RuleViolation(
            _("A check under %(law)s is not registered.")
            % {"law": check.get_exempt_kind_display()},
            article=ART_18_4,
            code="exempt",
        )
    workflow.expect(check, "send", article=ART_18_4)
    require_business_consent(check)
    registration = Registration.objects.create(
        legality_check=check,
        office=register_office(),
        check_office=check.office,
        is_classified=check.is_classified,
        sent_by=by,
    )
    check.state = CheckState.AWAITING_REGISTRATION
    check.save(update_fields=["state"])
    log(check, CheckEventKind.SENT_FOR_REGISTRATION, by=by, on=timezone.localdate())
    return registration


def register_office() -> Office:
    """The register: the Committee on Legal Statistics and Special Accounts (docs/offices.md);
    officers of departments placed below it see its entries through the access policy."""
    committee = (
        Office.objects.filter(kind=OfficeKind.LEGAL_STATISTICS_COMMITTEE, is_active=True)
        .order_by("depth", "pk")
        .first()
    )
    if committee is None:
        raise RuleViolation(_("There is no register of checks to send the resolution to."))
    return committee


# --- the check under way ------------------------------------------------------------------------


@transaction.atomic
def start_check(check: Check, *, by: User, on: date | None = None) -> Check:
    """Art. 18(4), 19(1): a check begins only once its resolution is registered (the database
    refuses it too: check_started_only_when_registered); its term of 30 working days runs from
    the start. A check exempt under Art. 18(4) starts without either."""
    check = lock(check)
    on = _today(on)
    _require_inspector(check, by)
    if check.is_exempt:
        workflow.expect(check, "start", article=ART_18_4)
    elif check.state != CheckState.REGISTERED or check.registration_id is None:
        raise RuleViolation(
            _("The check cannot begin before its resolution is registered."),
            article=ART_18_4,
            code="not_registered",
        )
    if on > timezone.localdate() or on < check.resolution_date:
        raise RuleViolation(
            _("A check starts between the date of its resolution and today."), article=ART_18_4
        )
    check.state = CheckState.RUNNING
    check.started_on = on
    check.save(update_fields=["state", "started_on"])
    if not check.is_exempt:
        terms.open_term(
            subject=check,
            kind=TermKind.CHECK_DURATION,
            office=check.office,
            start_date=on,
            start_event=_("Start of the check"),
            responsible=by,
            label=f"{check.resolution_number}: {check.subject_name}",
            is_classified=check.is_classified,
        )
    log(check, CheckEventKind.STARTED, by=by, on=on)
    return check


@transaction.atomic
def extend_check(
    check: Check,
    *,
    by: User,
    days: int,
    reason: str,
    consent_number: str = "",
    consent_date: date | None = None,
    on: date | None = None,
) -> Check:
    """Art. 18(4): in exceptional cases (more material needed, a large volume) the term is extended
    once, by at most 30 working days, by a reasoned decision of the appointing authority;
    docs/sources.md, seed 004 para. 19(38): an inferior prosecutor extends with the Prosecutor
    General's consent (its number and date recorded)."""
    check = lock(check)
    on = _today(on)
    _require_appointing_authority(
        check, by, _("Only a prosecutor who may appoint checks extends them.")
    )
    if check.is_exempt:
        raise RuleViolation(_("A check exempt from the term rule has no term."), article=ART_18_4)
    workflow.expect(check, "extend", article=ART_18_4)
    require_within_term(check, on)
    reason = required(reason, _("An extension needs a reasoned decision."), ART_18_4)
    # Once, by at most 30 working days: the term's rule, which the engine enforces
    # (prosecution/terms/rules.py, max_extensions and max_extension).
    if check.office.kind != OfficeKind.GPO and not (consent_number.strip() and consent_date):
        raise RuleViolation(
            _(
                "An inferior prosecutor extends a check with the consent of the Prosecutor "
                "General: give its number and date."
            ),
            article=EXTENSION_CONSENT_ARTICLE,
            code="consent_required",
        )
    term = term_of(check)
    assert term is not None  # a running check that is not exempt has its term
    old_due = term.due_date
    term = terms.extend_term(term, by=by, reason=reason, length=days, on=on)
    log(
        check,
        CheckEventKind.EXTENDED,
        by=by,
        on=on,
        reason=reason,
        days=days,
        old_due=old_due,
        new_due=term.due_date,
        consent_number=consent_number.strip(),
        consent_date=consent_date,
    )
    return check


@transaction.atomic
def suspend_check(
    check: Check, *, by: User, cause: str, reason: str, on: date | None = None
) -> Check:
    """Art. 18(4): a check is suspended for an expert examination, information from a foreign
    state, or another impediment; its clock stops."""
    check = lock(check)
    on = _today(on)
    _require_inspector(check, by)
    workflow.expect(check, "suspend", article=ART_18_4)
    require_within_term(check, on)
    if cause not in SuspensionCause.values:
        raise RuleViolation(_("Choose the cause of the suspension."), article=ART_18_4)
    reason = required(reason, _("A suspension needs a reason."), ART_18_4)
    if on > timezone.localdate():
        raise RuleViolation(_("A check is not suspended in advance."), article=ART_18_4)
    if (term := term_of(check)) is not None:
        terms.suspend_term(term, on=on, reason=reason, by=by)
    check.state = CheckState.SUSPENDED
    check.save(update_fields=["state"])
    log(check, CheckEventKind.SUSPENDED, by=by, on=on, reason=reason, cause=cause)
    return check


@transaction.atomic
def resume_check(check: Check, *, by: User, on: date | None = None, reason: str = "") -> Check:
    """Art. 18(4): the count continues from the day the check is resumed."""
    check = lock(check)
    on = _today(on)
    _require_inspector(check, by)
    workflow.expect(check, "resume", article=ART_18_4)
    new_due = None
    if (term := term_of(check)) is not None:
        new_due = terms.resume_term(term, on=on, by=by, reason=reason).due_date
    check.state = CheckState.RUNNING
    check.save(update_fields=["state"])
    log(check, CheckEventKind.RESUMED, by=by, on=on, reason=reason, new_due=new_due)
    return check


@transaction.atomic
def change_inspectors(
    check: Check, *, by: User, inspectors: list[User], reason: str, on: date | None = None
) -> Check:
    """Art. 18(4): the resolution names who checks; a change of inspectors is a decision of the
    appointing authority, recorded as an event (the registered resolution is never edited)."""
    check = lock(check)
    on = _today(on)
    _require_appointing_authority(
        check, by, _("Only a prosecutor who may appoint checks changes the inspectors.")
    )
    workflow.expect(check, "inspectors", article=ART_18_4)
    require_within_term(check, on)
    reason = required(reason, _("Say why the inspectors change."), ART_18_4)
    inspectors = _check_inspectors(inspectors, classified=check.is_classified, article=ART_18_4)
    before = sorted(check.inspectors.values_list("pk", flat=True))
    after = sorted(u.pk for u in inspectors)
    if before == after:
        raise RuleViolation(_("These are already the named inspectors."), article=ART_18_4)
    check.inspectors.set(inspectors)
    log(
        check,
        CheckEventKind.INSPECTORS_CHANGED,
        by=by,
        on=on,
        reason=reason,
        before=before,
        after=after,
    )
    return check


@transaction.atomic
def complete_check(
    check: Check,
    *,
    by: User,
    result: str,
    violations: str = "",
    violations_count: int = 0,
    on: date | None = None,
) -> Check:
    """Art. 19(2): the check ends with a certificate of its results, which names the violations
    found and how many (none is an answer too: 0 and no text). Completing after the due date is
    recorded: the term counts as met late; Art. 18(5) forbids acting under the check, not
    recording its end.

    An appeal the check was appointed on (appeals.Appeal.legality_check) then owes its final
    answer within 10 working days (Art. 24(4)): the signal `check_completed` is sent in this
    transaction and the appeals app opens that term (appeals/signals.py); supervision knows
    nothing of appeals, which are built on it."""
    check = lock(check)
    on = _today(on)
    _require_inspector(check, by)
    workflow.expect(check, "complete", article=ART_19_2)
    result = required(result, _("Record the results of the check."), ART_19_2)
    violations = (violations or "").strip()
    if violations_count < 0 or bool(violations) != bool(violations_count):
        raise RuleViolation(
            _("Describe the violations found and give their number, or neither if none."),
            article=ART_19_2,
            code="violations",
        )
    if on > timezone.localdate() or (check.started_on and on < check.started_on):
        raise RuleViolation(_("A check ends between its start and today."), article=ART_19_2)
    if (term := term_of(check)) is not None:
        terms.meet_term(term, on=on, by=by)
    check.state = CheckState.COMPLETED
    check.completed_on = on
    check.result = result
    check.violations, check.violations_count = violations, violations_count
    check.save(update_fields=["state", "completed_on", "result", "violations", "violations_count"])
    log(check, CheckEventKind.COMPLETED, by=by, on=on, violations=violations_count)
    signals.check_completed.send(sender=Check, check=check, by=by, on=on)
    return check


@transaction.atomic
def hand_certificate(check: Check, *, by: User, on: date, received_by: str) -> Check:
    """Art. 19(2): the certificate of results is handed to the subject against signature: who
    signed for it and when, on or after the day the check ended (the database refuses an
    earlier date too: check_certificate_handed_after_completion). Handed once."""
    check = lock(check)
    _require_inspector(check, by)
    workflow.expect(check, "hand_certificate", article=ART_19_2)
    if check.certificate_handed_on is not None:
        raise RuleViolation(
            _("The certificate was already handed over on %(date)s.")
            % {"date": check.certificate_handed_on.strftime("%d.%m.%Y")},
            article=ART_19_2,
            code="already_handed",
        )
    received_by = required(received_by, _("Name who signed for the certificate."), ART_19_2)
    assert check.completed_on is not None  # a completed check has its date
    if on < check.completed_on or on > timezone.localdate():
        raise RuleViolation(
            _("The certificate is handed over between the end of the check and today."),
            article=ART_19_2,
            code="wrong_date",
        )
    check.certificate_handed_on, check.certificate_received_by = on, received_by
    check.save(update_fields=["certificate_handed_on", "certificate_received_by"])
    log(check, CheckEventKind.CERTIFICATE_HANDED, by=by, on=on, received_by=received_by)
    return check


@transaction.atomic
def cancel_check(check: Check, *, by: User, reason: str) -> Check:
    """The appointing authority cancels a check it appointed (a reasoned decision, recorded). A
    resolution waiting in the register is withdrawn from its queue."""
    check = lock(check)
    _require_appointing_authority(
        check, by, _("Only a prosecutor who may appoint checks cancels them.")
    )
    workflow.expect(check, "cancel", article=ART_18_4)  # not once completed or cancelled
    reason = required(reason, _("A cancellation needs a reason."), ART_18_4)
    Registration.objects.filter(legality_check=check, state=RegistrationState.PENDING).update(
        state=RegistrationState.WITHDRAWN, decided_at=timezone.now()
    )
    if (term := term_of(check)) is not None and term.state != TermState.CANCELLED:
        terms.cancel_term(term, reason=reason, by=by)
    check.state = CheckState.CANCELLED
    check.save(update_fields=["state"])
    log(check, CheckEventKind.CANCELLED, by=by, on=timezone.localdate(), reason=reason)
    return check
