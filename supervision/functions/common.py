"""What the three services share: the history and the audit record of every change, the row lock,
the acting member of staff and the date a prosecutor sets for a term."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from prosecution import workdays
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office, Term
from prosecution.offices import access
from prosecution.terms import engine as terms
from supervision.models import (
    Check,
    CheckState,
    FunctionEvent,
    InformationRequest,
    Study,
    Summons,
)

# Art. 18(5): the check's own rule (no demand after its term), reused rather than copied.
from supervision.services import require_within_term

_M = TypeVar("_M", bound=models.Model)

Subject = Study | InformationRequest | Summons

_EVENT_FIELD = {Study: "study", InformationRequest: "request", Summons: "summons"}


def log(subject: Subject, kind: str, *, by: User | None, reason: str = "", **data: Any) -> None:
    """The record's history and the audit log: every change passes here."""
    plain = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    FunctionEvent.objects.create(
        **{_EVENT_FIELD[type(subject)]: subject}, kind=kind, by=by, reason=reason, data=plain
    )
    name = subject._meta.model_name
    audit.record(
        f"{name}.{kind}", target=subject, actor=by, state=subject.state, reason=reason, **plain
    )


def lock(record: _M) -> _M:
    """Re-read the record under a row lock: two decisions on one record never interleave."""
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def acting_office(by: User | None, article: str, *, classified: bool = False) -> Office:
    """The office of the member of staff who acts; nobody else acts here (Art. 5(2)). A classified
    record is made only by staff with a valid clearance (docs/rules.md "Secrecy")."""
    profile = access.staff_profile(by)
    if profile is None:
        raise RuleViolation(_("You may not do this here."), article=article, code="forbidden")
    if classified and not profile.clearance_valid():
        raise RuleViolation(
            _("A classified record is made only by staff with a valid clearance."),
            article=article,
            code="forbidden",
        )
    return profile.office


def require_change(by: User | None, record: models.Model, article: str = "") -> None:
    access.require(by, "change", record, article=article, message=_("You may not do this here."))


def on_check_under_way(by: User | None, legality_check: Check, article: str) -> None:
    """A request or a summons on a check (Art. 26(3), 26(7)): by someone who may act on it, while it
    is under way and within its term (Art. 18(5): nothing is demanded after the term)."""
    require_change(by, legality_check, article)
    if legality_check.state != CheckState.RUNNING:
        raise RuleViolation(
            _("A request or a summons is made on a check only while it is under way."),
            article=article,
        )
    require_within_term(legality_check, timezone.localdate())


def required(text: str, message: str, article: str) -> str:
    if not (text or "").strip():
        raise RuleViolation(message, article=article, code="required")
    return text.strip()


def require_staff_in_scope(
    person: User | None, office: Office, *, classified: bool, article: str
) -> User:
    """The responsible member of staff: active, of `office` or below, cleared if the record is
    classified (docs/rules.md "Secrecy")."""
    profile = access.staff_profile(person)
    if person is None or profile is None or not profile.office.path.startswith(office.path):
        raise RuleViolation(
            _("Choose an active member of staff of this office or of an office below it."),
            article=article,
        )
    if classified and not profile.clearance_valid():
        raise RuleViolation(
            _("A classified record is entrusted only to staff with a valid clearance."),
            article=article,
        )
    return person


def working_day_set(day: date, article: str) -> date:
    """A date a prosecutor sets falls on a working day; a day off is named (a holiday, Saturday or
    Sunday) so that the form says which day off it is."""
    reason = workdays.day_off_reason(day)
    if reason is not None:
        raise RuleViolation(
            _("%(day)s is a day off (%(reason)s): set a working day.")
            % {"day": date_format(day, "d.m.Y"), "reason": reason},
            article=article,
            code="day_off",
        )
    return day


def term_of(subject: models.Model, kind: str) -> Term | None:
    return terms.terms_of(subject).filter(kind=kind).first()
