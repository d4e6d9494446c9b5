"""The timers engine: every app opens, extends, suspends, resumes, meets and cancels its statutory
terms here. Each function checks the state it expects, writes the term and its history in one
transaction, and raises RuleViolation (with the article) when the law does not allow the change.

Actions of people go through the access policy (`by`); the beat and workers pass `system=True`.
Every change is also counted in the dashboard's tallies (prosecution/terms/tallies.py), in the same
transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prosecution import workdays
from prosecution.audit import log as audit
from prosecution.lib import bulk
from prosecution.lib.articles import article_label
from prosecution.lib.errors import RuleViolation
from prosecution.models import (
    Office,
    Term,
    TermEvent,
    TermEventKind,
    TermKind,
    TermState,
    TermUnitChoice,
)
from prosecution.offices import access
from prosecution.terms import tallies
from prosecution.terms.claims import claim_in_chunks
from prosecution.terms.reminders import (
    NOTICE_FIELDS,
    Staff,
    escalate_missed,
    tell_due_dates_changed,
)
from prosecution.terms.rules import RULES, Minimum, TermRule
from prosecution.workdays import TermUnit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def rule_of(term_or_kind: Term | str) -> TermRule:
    kind = term_or_kind.kind if isinstance(term_or_kind, Term) else term_or_kind
    return RULES[TermKind(kind)]


def compute_due(term: Term) -> date:
    """The due date from the stored parts (see Term); the only place a due date is made."""
    if term.fixed_due is not None:
        return term.fixed_due
    return workdays.due_date(term.count_from, _remaining(term), term.unit)


def _remaining(term: Term) -> int:
    """The part of the term still to run from count_from."""
    return term.length + term.extended_by - term.counted_before


def _at_least(start: date, minimum: Minimum) -> date:
    return workdays.due_date(start, minimum.length, minimum.unit)


def _day(value: date) -> str:
    """A date inside a message, written as the pages write it."""
    return date_format(value, "d.m.Y")


def _check_actor(by: User | None, term: Term, action: str, system: bool) -> None:
    """A person acts only as the access policy allows; the system (beat, workers) says so."""
    if not system:
        access.require(by, action, term, message=_("You may not do this to this term."))


def _log(
    term: Term,
    kind: str,
    *,
    on: date,
    by: User | None = None,
    reason: str = "",
    old_due: date | None = None,
    new_due: date | None = None,
) -> TermEvent:
    return TermEvent.objects.create(
        term=term, kind=kind, on=on, by=by, reason=reason, old_due=old_due, new_due=new_due
    )


def _audit(action: str, term: Term, by: User | None, **details: Any) -> None:
    audit.record(action, target=term, actor=by, state=term.state, **details)


@transaction.atomic
def open_term(
    *,
    subject: models.Model,
    kind: TermKind,
    office: Office,
    start_date: date,
    start_event: str,
    responsible: User | None = None,
    set_due: date | None = None,
    urgent: bool = False,
    label: str = "",
    is_classified: bool = False,
    reason: str = "",
) -> Term:
    """Start the clock of a statutory term for `subject` (any record). The start date is day 0.

    Where the law lets a prosecutor set the term (Art. 26(3), 33(3), 36(2), 37), `set_due` is the
    date set, and it must respect the statutory minimum and maximum; where a shorter term needs a
    reason (Art. 36(2): irreversible consequences), `reason` gives it and the history keeps it."""
    rule = rule_of(kind)
    if set_due is not None:
        check_set_due(kind, start_date, set_due, urgent=urgent, reason=reason)
    elif rule.length is None:
        raise RuleViolation(
            _("Under %(article)s, the prosecutor sets this term: give the date set.")
            % {"article": article_label(rule.article)},
            article=rule.article,
        )
    term = Term(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        subject_label=(label or str(subject))[:200],
        office=office,
        office_path=office.path,
        responsible=responsible,
        kind=kind,
        is_classified=is_classified,
        legal_basis=rule.article,
        start_event=start_event,
        start_date=start_date,
        unit=rule.unit,
        length=rule.length or 0,
        fixed_due=set_due,
        count_from=start_date,
    )
    term.due_date = compute_due(term)
    term.save()
    tallies.record([(None, tallies.facts(term))])
    opened_because = f"{start_event}: {reason.strip()}" if reason.strip() else start_event
    _log(term, TermEventKind.OPENED, on=start_date, new_due=term.due_date, reason=opened_because)
    _audit("term.open", term, None, due=term.due_date)
    return term


def check_set_due(
    kind: TermKind | str,
    start_date: date,
    set_due: date,
    *,
    urgent: bool = False,
    reason: str = "",
) -> None:
    """A date a prosecutor sets respects the statutory minimum and maximum of its kind; one
    shorter than the statutory term, where the law asks for it, has its reason. open_term checks
    it; a form or a draft asks it earlier, to answer before anything is written."""
    rule = rule_of(kind)
    minimum = rule.urgent_minimum if urgent and rule.urgent_minimum else rule.minimum
    if minimum is None:
        raise RuleViolation(
            _("%(article)s fixes this term; it cannot be set by a decision.")
            % {"article": article_label(rule.article)},
            article=rule.article,
        )
    earliest = _at_least(start_date, minimum)
    if set_due < earliest:
        raise RuleViolation(
            _("Under %(article)s, the term may not end before %(earliest)s.")
            % {"article": article_label(rule.article), "earliest": _day(earliest)},
            article=rule.article,
            code="term_below_minimum",
        )
    if rule.maximum is not None:
        latest = _at_least(start_date, rule.maximum)
        if set_due > latest:
            raise RuleViolation(
                _("Under %(article)s, the term may not end after %(latest)s.")
                % {"article": article_label(rule.article), "latest": _day(latest)},
                article=rule.article,
                code="term_above_maximum",
            )
    if rule.shorter_needs_reason and rule.length is not None and not reason.strip():
        statutory = workdays.due_date(start_date, rule.length, rule.unit)
        if set_due < statutory:
            raise RuleViolation(
                _(
                    "Under %(article)s, a term shorter than the statutory one is set only where "
                    "irreversible consequences threaten: say which."
                )
                % {"article": article_label(rule.article)},
                article=rule.article,
                code="reason_required",
            )


def _lock(term: Term) -> Term:
    """Re-read the term under a row lock (SELECT ... FOR UPDATE on PostgreSQL): two decisions on
    one term never interleave."""
    return Term.objects.select_for_update().get(pk=term.pk)


@transaction.atomic
def extend_term(
    term: Term,
    *,
    by: User | None,
    reason: str,
    until: date | None = None,
    length: int | None = None,
    on: date | None = None,
    system: bool = False,
) -> Term:
    """Extend a term by a reasoned decision, within the legal maximum of its kind.

    Art. 24(4): an appeal, by the head of the office or a deputy, at most two months in all (see
    term_rules.py for the reading); Art. 18(4): a check, by at most 30 more working days. An
    extension of an appeal opens the term to tell the applicant within 3 working days (Art. 24(5)).
    """
    term = _lock(term)
    rule = rule_of(term)
    on = on or timezone.localdate()
    article = rule.extension_article or rule.article
    if not rule.extension_article:
        raise RuleViolation(
            _("A term under %(article)s cannot be extended.")
            % {"article": article_label(rule.article)},
            article=article,
        )
    _check_actor(by, term, "decide", system)
    if not reason.strip():
        raise RuleViolation(_("An extension needs a reasoned decision."), article=article)
    if term.state != TermState.OPEN:
        raise RuleViolation(
            _("Only an open term can be extended; a missed term stays missed."), article=article
        )
    if on > term.due_date:
        raise RuleViolation(_("The term has already expired."), article=article)
    if (until is None) == (length is None):
        raise RuleViolation(_("Give either a new date or a number of days."), article=article)
    old_due = term.due_date
    if length is not None:
        if length <= 0:
            raise RuleViolation(_("An extension adds at least one day."), article=article)
        if rule.max_extension is not None and term.extended_by + length > rule.max_extension:
            raise RuleViolation(
                _(
                    "Under %(article)s, extensions add at most %(most)s %(unit)s in all; "
                    "%(used)s already used."
                )
                % {
                    "article": article_label(article),
                    "most": rule.max_extension,
                    "unit": TermUnitChoice(rule.unit).label,
                    "used": term.extended_by,
                },
                article=article,
                code="extension_beyond_maximum",
            )
        term.extended_by += length
        new_due = compute_due(term)
    else:
        assert until is not None  # either a date or a number of days, checked above
        new_due = until
    if new_due <= old_due:
        raise RuleViolation(_("An extension must move the due date later."), article=article)
    if rule.max_total_months is not None:
        latest = workdays.add_months(term.start_date, rule.max_total_months)
        if new_due > latest:
            raise RuleViolation(
                ngettext(
                    "Under %(article)s, the term with its extensions ends at most %(months)s month "
                    "after %(start)s, that is by %(latest)s.",
                    "Under %(article)s, the term with its extensions ends at most %(months)s "
                    "months after %(start)s, that is by %(latest)s.",
                    rule.max_total_months,
                )
                % {
                    "article": article_label(article),
                    "months": rule.max_total_months,
                    "start": _day(term.start_date),
                    "latest": _day(latest),
                },
                article=article,
                code="extension_beyond_maximum",
            )
    before = tallies.facts(term)
    if until is not None:
        term.fixed_due = until
    term.due_date = new_due
    term.reminder_stage = 0  # the new date is reminded afresh
    with tallies.collecting():  # with the follow-up's, one write of the tallies
        term.save()
        tallies.record_change(before, term)
        _log(
            term,
            TermEventKind.EXTENDED,
            on=on,
            by=by,
            reason=reason,
            old_due=old_due,
            new_due=new_due,
        )
        _audit("term.extend", term, by, old_due=old_due, new_due=new_due, reason=reason)
        if rule.extension_opens is not None:
            _open_follow_up(term, rule.extension_opens, on=on, event=reason)
    return term


def _open_follow_up(term: Term, kind: TermKind, *, on: date, event: str) -> Term:
    """A term that another term's change starts (e.g. Art. 24(5)). A second extension restarts it:
    the applicant must hear of each extension."""
    existing = (
        Term.objects.select_for_update()
        .filter(subject_type=term.subject_type, subject_id=term.subject_id, kind=kind)
        .first()
    )
    if existing is not None:
        tallies.record([(tallies.facts(existing), None)])
        existing.delete()
    subject = term.subject
    assert subject is not None  # the record of a term being changed is there
    return open_term(
        subject=subject,
        kind=kind,
        office=term.office,
        start_date=on,
        start_event=event[:200],
        responsible=term.responsible,
        label=term.subject_label,
    )


@transaction.atomic
def suspend_term(
    term: Term, *, on: date, reason: str, by: User | None, system: bool = False
) -> Term:
    """Art. 18(4): a check may be suspended for an expert examination, information from a foreign
    state, or another impediment; its clock stops."""
    term = _lock(term)
    rule = rule_of(term)
    if not rule.suspendable:
        raise RuleViolation(
            _("A term under %(article)s cannot be suspended.")
            % {"article": article_label(rule.article)},
            article=rule.article,
        )
    _check_actor(by, term, "change", system)
    if term.state != TermState.OPEN:
        raise RuleViolation(_("Only an open term can be suspended."), article=rule.article)
    if not reason.strip():
        raise RuleViolation(_("A suspension needs a reason."), article=rule.article)
    if not term.count_from <= on <= term.due_date:
        raise RuleViolation(_("The suspension date lies outside the term."), article=rule.article)
    before = tallies.facts(term)
    term.counted_before += _used(term, on)
    term.state = TermState.SUSPENDED
    term.suspended_on = on
    term.save()
    tallies.record_change(before, term)
    _log(term, TermEventKind.SUSPENDED, on=on, by=by, reason=reason, old_due=term.due_date)
    _audit("term.suspend", term, by, on=on, reason=reason)
    return term


def _used(term: Term, until: date) -> int:
    """Days of the term used from count_from up to and including `until`."""
    if term.unit == TermUnit.WORKING_DAYS:
        return workdays.working_days_between(term.count_from, until)
    return (until - term.count_from).days


@transaction.atomic
def resume_term(
    term: Term, *, on: date, by: User | None, reason: str = "", system: bool = False
) -> Term:
    """Art. 18(4): "the calculation ... continues from the day it is resumed": the day of
    resumption is the first day counted again, unless it is the day of the suspension, which was
    counted already. A resumption date is never before the suspension and never in the future."""
    term = _lock(term)
    rule = rule_of(term)
    _check_actor(by, term, "change", system)
    if term.state != TermState.SUSPENDED:
        raise RuleViolation(_("Only a suspended term can be resumed."), article=rule.article)
    assert term.suspended_on is not None  # set with the state by suspend_term
    if on < term.suspended_on or on > timezone.localdate():
        raise RuleViolation(
            _("A term resumes between the day of its suspension and today."), article=rule.article
        )
    old_due = term.due_date
    before = tallies.facts(term)
    # The day of the suspension was counted by suspend_term: resumed on that same day, the count
    # goes on from the day after it, so that no day is counted twice (docs/rules.md "Readings").
    term.count_from = max(on - timedelta(days=1), term.suspended_on)
    if term.fixed_due is not None:
        # A date set by a decision (Art. 33(3), 36(2), 37(2)) moves on by the days the term stood
        # still, the day of the suspension counted as above; a day off moves it to the next
        # working day, as every term's last day.
        stood_still = (term.count_from - term.suspended_on).days
        term.fixed_due = workdays.next_working_day_on_or_after(
            term.fixed_due + timedelta(days=stood_still)
        )
    term.state = TermState.OPEN
    term.suspended_on = None
    term.due_date = compute_due(term)
    term.reminder_stage = 0
    term.save()
    tallies.record_change(before, term)
    _log(
        term,
        TermEventKind.RESUMED,
        on=on,
        by=by,
        reason=reason,
        old_due=old_due,
        new_due=term.due_date,
    )
    _audit("term.resume", term, by, on=on, old_due=old_due, new_due=term.due_date)
    return term


@transaction.atomic
def meet_term(
    term: Term, *, on: date, by: User | None = None, system: bool = False, note: str = ""
) -> Term:
    """The obligation is fulfilled (the answer sent, the check completed ...). A missed term can
    still be met: it then counts as met late."""
    term = _lock(term)
    _check_actor(by, term, "change", system)
    if term.state not in (TermState.OPEN, TermState.MISSED, TermState.SUSPENDED):
        raise RuleViolation(_("This term is already closed."), article=term.legal_basis)
    before = tallies.facts(term)
    term.state = TermState.MET
    term.met_on = on
    term.suspended_on = None
    term.save()
    tallies.record_change(before, term)
    _log(term, TermEventKind.MET, on=on, by=by, reason=note, old_due=term.due_date)
    _audit("term.meet", term, by, on=on, due=term.due_date)
    return term


@transaction.atomic
def cancel_term(term: Term, *, reason: str, by: User | None, system: bool = False) -> Term:
    """The obligation fell away (e.g. the appeal was redirected, the act withdrawn)."""
    term = _lock(term)
    _check_actor(by, term, "decide", system)
    if term.state in (TermState.MET, TermState.CANCELLED):
        raise RuleViolation(_("This term is already closed."), article=term.legal_basis)
    if not reason.strip():
        raise RuleViolation(_("A cancellation needs a reason."), article=term.legal_basis)
    before = tallies.facts(term)
    term.state = TermState.CANCELLED
    term.save()
    tallies.record_change(before, term)
    _log(term, TermEventKind.CANCELLED, on=timezone.localdate(), by=by, reason=reason)
    _audit("term.cancel", term, by, reason=reason)
    return term


def assign_terms(
    subject: models.Model, *, responsible: User | None, office: Office | None = None
) -> int:
    """The record changed hands (an executor assigned, the appeal sent to another office): its
    active terms follow, so that reminders and the dashboard name the right person and office.
    Call it inside the transaction of that change. Returns the terms changed."""
    active = Term.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        state__in=[TermState.OPEN, TermState.SUSPENDED, TermState.MISSED],
    ).select_for_update()
    changes = []
    for term in active:
        before = tallies.facts(term)
        term.responsible = responsible
        if office is not None:
            term.office = office
            term.office_path = office.path
        term.save(update_fields=["responsible", "office", "office_path", "updated_at"])
        changes.append((before, tallies.facts(term)))
    # The dashboard's tallies count by person and office: the terms move there too.
    tallies.record(changes)
    return len(changes)


def terms_of(subject: models.Model) -> QuerySet[Term]:
    """The terms of a record, oldest first."""
    return Term.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).order_by("start_date", "pk")


def mark_missed(today: date | None = None) -> int:
    """docs/rules.md: "overdue" starts the day after the due date. Terms are claimed and marked a
    chunk at a time (claims.claim_in_chunks: FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite
    serializes writers), so two sweeps running at once mark each term, log it and escalate it
    once; the notices are written in the same transaction (prosecution/terms/reminders.py)."""
    today = today or timezone.localdate()
    staff = Staff()

    def mark(claimed: list[Any]) -> int:
        events = [
            {
                "term_id": term.pk,
                "kind": TermEventKind.MISSED,
                "on": term.due_date + timedelta(days=1),
                "old_due": term.due_date,
            }
            for term in claimed
        ]
        bulk.insert(TermEvent, events)
        # One record for the chunk: a bulk update is audited as one act of the system.
        ids = [term.pk for term in claimed]
        audit.record("term.missed", target=Term, count=len(ids), ids=ids, on=today)
        escalate_missed(claimed, staff)
        # Last: every change of a term of the same office and kind waits for these rows.
        tallies.record(
            (after._replace(state=TermState.OPEN), after) for after in map(tallies.facts, claimed)
        )
        return len(claimed)

    overdue = Term.objects.filter(state=TermState.OPEN, due_date__lt=today)
    fields = {*NOTICE_FIELDS, *tallies.FIELDS}
    return claim_in_chunks(overdue, fields=fields, handle=mark, state=TermState.MISSED)


class Moved(NamedTuple):
    term_id: int
    old_due: date
    new_due: date


RECOMPUTE_CHUNK = 2000


def recompute_after_calendar_change() -> list[Moved]:
    """A decree moved a day off: every active term whose due date changes is recomputed, logged,
    and its responsible person told the old and the new date. A chunk at a time
    (recompute_chunk): a million terms are never held, nor one cursor kept open for the run."""
    moved: list[Moved] = []
    after: int | None = 0
    staff = Staff()
    while after is not None:
        chunk, after = recompute_chunk(after, staff)
        moved += chunk
    return moved


_RECOMPUTED = Q(state__in=[TermState.OPEN, TermState.SUSPENDED], fixed_due__isnull=True)


def recompute_chunk(after: int, staff: Staff | None = None) -> tuple[list[Moved], int | None]:
    """The next RECOMPUTE_CHUNK open and suspended terms by id after `after`, read with only what
    the computation needs; those whose date moves are locked, computed again from what they hold
    (a change made meanwhile, a suspension or an extension, counts) and moved in one transaction
    (_move). Returns them and the id to go on after, or None at the end."""
    parts = ["due_date", "fixed_due", "count_from", "length", "extended_by", "counted_before"]
    scan = Term.objects.filter(_RECOMPUTED, pk__gt=after).order_by("pk").only(*parts, "unit")
    chunk = list(scan[:RECOMPUTE_CHUNK])
    if not chunk:
        return [], None
    candidates = [term.pk for term in chunk if compute_due(term) != term.due_date]
    moved = _move(candidates, staff or Staff()) if candidates else []
    return moved, chunk[-1].pk


@transaction.atomic
def _move(pks: list[int], staff: Staff) -> list[Moved]:
    """Recompute, move, log, tell and count, for the terms of one chunk at once: a few
    statements per chunk rather than per term (a decree moving a day off moves hundreds of
    thousands of terms at a million), each term locked and read afresh first."""
    moved, before, changed = [], [], []
    now, today = timezone.now(), timezone.localdate()
    terms = Term.objects.filter(_RECOMPUTED, pk__in=pks).select_for_update().order_by("pk")
    for term in terms:  # locked in id order, as the sweep locks
        new_due = compute_due(term)
        if new_due == term.due_date:
            continue  # recomputed by someone else meanwhile
        moved.append(Moved(term.pk, term.due_date, new_due))
        before.append(tallies.facts(term))
        # reminder_stage 0: the new date is reminded afresh.
        term.due_date, term.reminder_stage, term.updated_at = new_due, 0, now
        changed.append(term)
    if not changed:
        return []
    Term.objects.bulk_update(changed, ["due_date", "reminder_stage", "updated_at"])
    events = TermEvent.objects.bulk_create(
        TermEvent(
            term=term, kind=TermEventKind.RECOMPUTED, on=today, old_due=m.old_due, new_due=m.new_due
        )
        for term, m in zip(changed, moved, strict=True)
    )
    audit.record("term.recompute", target=Term, count=len(changed), ids=[t.pk for t in changed])
    told = zip(changed, [m.old_due for m in moved], [e.pk for e in events], strict=True)
    tell_due_dates_changed(list(told), staff)
    tallies.record(zip(before, map(tallies.facts, changed), strict=True))  # last, as mark_missed
    return moved


def explain_due_with_unit(term: Term) -> tuple[workdays.Explanation, StrOrPromise]:
    """ "Why this date" and the label of its unit, as the pages show it."""
    explanation = explain_due(term)
    return explanation, TermUnitChoice(explanation.unit).label


def explain_due(term: Term) -> workdays.Explanation:
    """ "Why this date" for a term, from its stored parts."""
    if term.fixed_due is None:
        return workdays.explain(term.count_from, _remaining(term), term.unit)
    # A date set by a decision: show the working days it leaves and the days off inside it.
    given = workdays.working_days_between(term.count_from, term.fixed_due)
    explanation = workdays.explain(term.count_from, given, TermUnit.WORKING_DAYS)
    explanation.due = term.fixed_due
    return explanation
