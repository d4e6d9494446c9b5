"""Analyses of the state of legality (Art. 20) and assessments of acts in force (Art. 21): ordered
with a term the prosecutor sets (a prosecution.Term of kind legality_analysis or acts_assessment,
whose minimum is in prosecution/terms/rules.py), ended by a result: the certificate's findings,
its date and the response they call for."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prosecution.lib.errors import RuleViolation
from prosecution.models import Term, TermKind
from prosecution.offices import access
from prosecution.terms import engine as terms
from supervision.functions.common import (
    acting_office,
    lock,
    log,
    require_change,
    require_staff_in_scope,
    required,
    term_of,
    working_day_set,
)
from supervision.models import (
    FunctionEventKind,
    RecommendedResponse,
    Study,
    StudyKind,
    StudyState,
)

ARTICLE = {StudyKind.ANALYSIS: "Art. 20", StudyKind.ASSESSMENT: "Art. 21"}
TERM_KIND = {
    StudyKind.ANALYSIS: TermKind.LEGALITY_ANALYSIS,
    StudyKind.ASSESSMENT: TermKind.ACTS_ASSESSMENT,
}


def article_of(study: Study) -> str:
    return ARTICLE[StudyKind(study.kind)]


def study_term(study: Study) -> Term | None:
    return term_of(study, TERM_KIND[StudyKind(study.kind)])


@transaction.atomic
def open_study(
    *,
    by: User,
    kind: str,
    topic: str,
    scope: str,
    responsible: User,
    due: date,
    started_on: date | None = None,
    is_classified: bool = False,
) -> Study:
    """Art. 20: an analysis of the state of legality, carried out without visiting the subject,
    from statistics, information of bodies and organisations, the media and case materials;
    Art. 21: an assessment of acts in force. The prosecutor who orders it sets its term, on a
    working day."""
    if kind not in StudyKind.values:
        raise RuleViolation(_("Choose an analysis or an assessment."))
    article = ARTICLE[StudyKind(kind)]
    office = acting_office(by, article, classified=is_classified)
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise RuleViolation(_("The work is not started in advance."), article=article)
    study = Study.objects.create(
        kind=kind,
        office=office,
        office_path=office.path,
        topic=required(topic, _("Give the topic."), article),
        scope=required(
            scope,
            _("Say which sources are studied, or which acts are assessed."),
            article,
        ),
        ordered_by=by,
        responsible=require_staff_in_scope(
            responsible, office, classified=is_classified, article=article
        ),
        started_on=started_on,
        is_classified=is_classified,
    )
    term = terms.open_term(
        subject=study,
        kind=TERM_KIND[StudyKind(kind)],
        office=office,
        start_date=started_on,
        start_event=str(StudyKind(kind).label),
        responsible=study.responsible,
        set_due=working_day_set(due, article),
        label=study.topic,
        is_classified=is_classified,
    )
    log(study, FunctionEventKind.OPENED, by=by, due=term.due_date)
    return study


@transaction.atomic
def complete_study(
    study: Study,
    *,
    by: User,
    findings: str,
    recommended_response: str,
    on: date | None = None,
) -> Study:
    """Art. 20: the results are set out in a certificate, and the measures of supervision or
    response they call for are taken (the acts themselves are recorded elsewhere); Art. 21 the
    same for acts in force. A result after the due date counts as the term met late."""
    study = lock(study)
    article = article_of(study)
    require_change(by, study, article)
    if study.state != StudyState.OPEN:
        raise RuleViolation(_("This work is already closed."), article=article)
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < study.started_on:
        raise RuleViolation(_("The result is dated between the start and today."), article=article)
    findings = required(findings, _("Record the findings."), article)
    if recommended_response not in RecommendedResponse.values:
        raise RuleViolation(_("Choose the response the findings call for."), article=article)
    if (term := study_term(study)) is not None:
        terms.meet_term(term, on=on, by=by)
    study.state = StudyState.COMPLETED
    study.findings = findings
    study.completed_on = on
    study.recommended_response = recommended_response
    study.save(update_fields=["state", "findings", "completed_on", "recommended_response"])
    log(study, FunctionEventKind.COMPLETED, by=by, on=on, response=recommended_response)
    return study


@transaction.atomic
def cancel_study(study: Study, *, by: User, reason: str) -> Study:
    """The head of the office or a deputy withdraws the work they no longer need (a reasoned
    decision, recorded); its term is cancelled."""
    study = lock(study)
    article = article_of(study)
    access.require(
        by, "decide", study, message=_("Only the head of the office or a deputy cancels this.")
    )
    if study.state != StudyState.OPEN:
        raise RuleViolation(_("This work is already closed."), article=article)
    reason = required(reason, _("A cancellation needs a reason."), article)
    if (term := study_term(study)) is not None:
        terms.cancel_term(term, reason=reason, by=by)
    study.state = StudyState.CANCELLED
    study.save(update_fields=["state"])
    log(study, FunctionEventKind.CANCELLED, by=by, reason=reason)
    return study
