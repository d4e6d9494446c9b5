"""Analyses of the state of legality (Art. 20) and assessments of acts in force (Art. 21)
(supervision/functions/studies.py): a term set by the prosecutor on a working day, a result."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from prosecution.lib.errors import RuleViolation
from prosecution.models import TermKind, TermState
from supervision.functions import studies
from supervision.models import RecommendedResponse, Study, StudyKind, StudyState
from tests.conftest import last_audit_record
from tests.dashboard_terms import on_day
from tests.supervision.function_helpers import FRIDAY, study

pytestmark = pytest.mark.django_db


@on_day(FRIDAY)
@pytest.mark.parametrize(
    ("kind", "term_kind", "article"),
    [
        (StudyKind.ANALYSIS, TermKind.LEGALITY_ANALYSIS, "Art. 20"),
        (StudyKind.ASSESSMENT, TermKind.ACTS_ASSESSMENT, "Art. 21"),
    ],
)
def test_the_prosecutor_sets_the_term_art_20_art_21(cast, kind, term_kind, article):
    opened = study(cast.a_user, cast.a_user, kind=kind)
    term = studies.study_term(opened)
    assert (term.kind, term.legal_basis, term.due_date) == (term_kind, article, date(2026, 4, 10))
    assert term.responsible == cast.a_user
    assert last_audit_record("study.opened").target_id == str(opened.pk)


@on_day(FRIDAY)
def test_a_due_date_on_a_day_off_says_which_day_off_art_20(cast):
    with pytest.raises(RuleViolation) as refusal:
        study(cast.a_user, cast.a_user, due=date(2026, 3, 23))  # Nauryz
    assert refusal.value.code == "day_off" and refusal.value.article == "Art. 20"
    assert "23.03.2026" in refusal.value.message
    assert not Study.objects.exists()


@on_day(FRIDAY)
def test_the_responsible_is_staff_in_the_scope_art_20(cast):
    with pytest.raises(RuleViolation):
        study(cast.a_user, cast.b_user)
    with pytest.raises(RuleViolation) as refusal:
        study(None, cast.a_user)
    assert refusal.value.code == "forbidden"


def test_the_result_is_a_certificate_with_its_findings_and_response_art_20(cast):
    with on_day(FRIDAY):
        opened = study(cast.a_user, cast.a_user)
    with on_day(date(2026, 4, 8)):
        with pytest.raises(RuleViolation):
            studies.complete_study(
                opened, by=cast.a_user, findings=" ", recommended_response="protest"
            )
        studies.complete_study(
            opened,
            by=cast.a_user,
            findings="Tariffs raised without a hearing",
            recommended_response=RecommendedResponse.PROTEST,
        )
    opened.refresh_from_db()
    assert (opened.state, opened.completed_on) == (StudyState.COMPLETED, date(2026, 4, 8))
    assert studies.study_term(opened).state == TermState.MET


@on_day(FRIDAY)
def test_the_database_refuses_a_result_without_findings_art_20(cast):
    opened = study(cast.a_user, cast.a_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Study.objects.filter(pk=opened.pk).update(state=StudyState.COMPLETED)


@on_day(FRIDAY)
def test_only_leadership_cancels_art_21(cast, head_a):
    opened = study(cast.a_user, cast.a_user, kind=StudyKind.ASSESSMENT)
    with pytest.raises(RuleViolation):
        studies.cancel_study(opened, by=cast.a_user, reason="Not needed")
    studies.cancel_study(opened, by=head_a, reason="Not needed")
    assert studies.study_term(opened).state == TermState.CANCELLED
