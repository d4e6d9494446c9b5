"""What every appeal service does: check the actor, the state, lock the row, log the event, and
tell the applicant."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from appeals import workflow
from appeals.models import Appeal, AppealEvent
from appeals.workflow import ANSWER_TERM_KINDS
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.lib.values import plain
from prosecution.models import NoticeKind, Term, TermState
from prosecution.notices import outbox
from prosecution.offices import access

ACTIVE = (TermState.OPEN, TermState.SUSPENDED, TermState.MISSED)


def lock(appeal: Appeal) -> Appeal:
    """Re-read the appeal under a row lock: two decisions on one appeal never interleave, and
    each sees the state the other left."""
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def begin(appeal: Appeal, action: str, *, by: User | None) -> tuple[Appeal, str | None]:
    """Lock the appeal, check the actor's scope and role for `action`, and its state."""
    appeal = lock(appeal)
    role, article = workflow.role_for(appeal, action), workflow.role_article(appeal, action)
    access.require(
        by, role, appeal, article=article, message=_("You may not do this to this appeal.")
    )
    return appeal, workflow.expect(appeal, action)


def not_before_receipt(appeal: Appeal, day: date, *, field: str) -> date:
    """Every date entered on an appeal after its receipt (a decision, an extension, telling the
    applicant, a check, a redirection, an answer) is not before the day of receipt: the term runs
    from that day (Art. 24(3), 25(1)), and the record of the appeal begins on it (issue 14,
    docs/security.md 26). `field` is the input's name, for the API's 400 and the form."""
    if day < appeal.received_on:
        raise RuleViolation(
            _("The date cannot be before the appeal was received (%(received)s).")
            % {"received": formats.date_format(appeal.received_on, "SHORT_DATE_FORMAT")},
            article="Art. 24(3)",
            code="before_receipt",
            field=field,
        )
    return day


def log(
    appeal: Appeal,
    kind: str,
    *,
    by: User | None,
    from_state: str = "",
    note: str = "",
    **data: Any,
) -> AppealEvent:
    """The appeal's history, and the audit log (every change of an appeal passes here)."""
    event = AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        by=by,
        from_state=from_state,
        to_state=appeal.state if from_state else "",
        note=note,
        data=plain(data),
    )
    audit.record(
        f"appeal.{kind}",
        target=appeal,
        actor=by,
        event=event.pk,
        state=appeal.state,
        from_state=from_state,
        data=event.data,
    )
    return event


def active_terms(appeal: Appeal, kinds: Iterable[str] = ANSWER_TERM_KINDS) -> QuerySet[Term]:
    return Term.objects.filter(
        subject_type=ContentType.objects.get_for_model(Appeal),
        subject_id=appeal.pk,
        kind__in=kinds,
        state__in=ACTIVE,
    )


def term_label(appeal: Appeal) -> str:
    """How the appeal's terms name it in lists and notices."""
    return f"{appeal.reference}: {appeal.summary}"[:200]


def answer_term(appeal: Appeal) -> Term | None:
    """The term the next answer meets (one at a time: the interim reply on a check meets the
    first, and completing the check opens the final one; appeals/services/deadlines.py)."""
    return active_terms(appeal).order_by("due_date").first()


def notify_applicants(
    appeal: Appeal, kind: NoticeKind, *, term: Term | None = None, **context: Any
) -> int:
    """Every applicant with an e-mail address or a phone hears, in the language of the appeal
    (Art. 24(7); another language gets Russian, see prosecution/notices/outbox.py). Returns how many
    applicants could be told."""
    told = 0
    base = {
        "reference": appeal.reference,
        "received": appeal.received_on.isoformat(),
        "office_id": appeal.office_id,
        "appeal_uuid": str(appeal.uuid),
    }
    for applicant in appeal.applicants.all():
        if not (applicant.email or applicant.phone):
            continue
        outbox.notify_applicant(
            kind=kind,
            subject=appeal,
            term=term,
            language=appeal.language,
            email=applicant.email,
            phone=applicant.phone,
            context={**base, **plain(context)},
        )
        told += 1
    return told
