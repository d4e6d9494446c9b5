"""What every action on an act shares: the history and the audit log, the row lock, the state
expected, the act's terms, how an act ends without a decision, and the signatory's notice."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from acts.models import (
    Act,
    ActEvent,
)
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind, Term, TermKind, TermState
from prosecution.notices import outbox
from prosecution.terms import engine as terms

if TYPE_CHECKING:
    pass


ART_32_2 = "Art. 32(2)"
ART_33_3 = "Art. 33(3)"
ART_33_5 = "Art. 33(5)"
ART_33_6 = "Art. 33(6)"
ART_34_2 = "Art. 34(2)"
ART_36_2 = "Art. 36(2)"
ART_37_2 = "Art. 37(2)"
ART_39_2 = "Art. 39(2)"
ART_43_2 = "Art. 43(2)"

# The register of acts: one gapless sequence per office and year (prosecution/lib/numbering.py).
REGISTER_SCOPE = "act_register"


# --- helpers ------------------------------------------------------------------------------------


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def log(
    act: Act, kind: str, *, by: User | None, on: date, reason: str = "", **data: Any
) -> ActEvent:
    """The act's history and the audit log: every change of an act passes here."""
    event = ActEvent.objects.create(
        act=act, kind=kind, on=on, by=by, reason=reason, data=_plain(data)
    )
    audit.record(f"act.{kind}", target=act, actor=by, state=act.state, on=on, reason=reason, **data)
    return event


def lock(act: Act) -> Act:
    """Re-read the act under a row lock: two decisions on one act never interleave."""
    return Act.objects.select_for_update().get(pk=act.pk)


def _expect(act: Act, *states: str, article: str) -> None:
    if act.state not in states:
        raise RuleViolation(
            _("This cannot be done to an act in the state “%(state)s”.")
            % {"state": act.get_state_display()},
            article=article,
            code="wrong_state",
        )


def _required(text: str, message: str, article: str) -> str:
    if not (text or "").strip():
        raise RuleViolation(message, article=article, code="required")
    return text.strip()


def _not_future(on: date, article: str) -> None:
    if on > timezone.localdate():
        raise RuleViolation(_("This is not recorded in advance."), article=article)


def terms_of(act: Act) -> list[Term]:
    """The act's terms, oldest first."""
    return list(terms.terms_of(act))


def _active_terms(act: Act) -> list[Term]:
    return [t for t in terms_of(act) if t.state in (TermState.OPEN, TermState.MISSED)]


def _term(act: Act, kind: TermKind) -> Term | None:
    return terms.terms_of(act).filter(kind=kind).first()


def _label(act: Act) -> str:
    return f"{act.get_kind_display()} {act.register_number}: {act.addressee_name}"


def _open(act: Act, kind: TermKind, *, on: date, set_due: date | None = None, **kw: Any) -> Term:
    return terms.open_term(
        subject=act,
        kind=kind,
        office=act.office,
        start_date=on,
        start_event=_("Delivery of the act"),
        responsible=act.signatory,
        set_due=set_due,
        label=_label(act),
        is_classified=act.is_classified,
        **kw,
    )


def _end(act: Act, state: str, *, by: User, on: date, reason: str) -> None:
    """The act ends without a decision: its clocks are cancelled and the limitation period runs
    again (Art. 32(4))."""
    act.state = state
    if act.limitation_suspended_on is not None and act.limitation_resumes_on is None:
        act.limitation_resumes_on = on
    act.save()
    for term in terms_of(act):
        if term.state not in (TermState.MET, TermState.CANCELLED):
            terms.cancel_term(term, reason=reason, by=by, system=True)


def tell_signatory(act: Act, kind: NoticeKind, *, key: str, **extra: Any) -> None:
    """The signatory hears of it in the system and by e-mail, in their language, written in the
    change's transaction. Of a classified act the notice names neither the addressee nor the
    reasons: e-mail and the bell are not cleared channels (docs/rules.md "Secrecy")."""
    person = act.signatory
    if person is None:
        return
    last = act.events.order_by("-pk").first()
    classified = act.is_classified
    outbox.save(
        outbox.build(
            kind=kind,
            key=outbox.notice_key("act", act.pk, key, person.pk),
            recipients=outbox.staff_recipients(person),
            context={
                "number": act.register_number,
                "act_kind": act.kind,
                "classified": classified,
                "addressee": "" if classified else act.addressee_name,
                "reason": "" if classified or last is None else last.reason,
                "at": _moment(act.consideration_at),
                "place": "" if classified else act.consideration_place,
                "act_uuid": str(act.uuid),
                **extra,
            },
            subject=act,
        )
    )


def _moment(at: datetime | None) -> str:
    """A time of consideration inside a notice, in the office's time zone, as the pages write it."""
    return timezone.localtime(at).strftime("%d.%m.%Y %H:%M") if at else ""
