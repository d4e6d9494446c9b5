"""Intake: registration numbers, the first term, anonymous appeals, complaints against a
prosecutor, the API's idempotency key, filing online with a one-time code, the status page."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from appeals import services
from appeals.models import Appeal, AppealKind, AppealState, RestoreDecision, Source
from appeals.services.intake import complaint_deadline
from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeKind, Term, TermKind
from tests.appeal_helpers import RECEIVED, citizen, register

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_numbers_are_unique_per_office_and_year_and_given_in_order(cast):
    first, _code = register(cast)
    second, _code = register(cast)
    other, _code = register(cast, office=cast.district_b, by=cast.b_user)
    last_year, _code = register(cast, received_on=date(2025, 12, 30))
    assert first.reference == "R-AKMOLA-D1/2026/00001"
    assert second.reference == "R-AKMOLA-D1/2026/00002"
    assert other.reference == "R-AKMOLA-D2/2026/00001"
    assert last_year.reference == "R-AKMOLA-D1/2025/00001"


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_an_appeal_is_answered_in_15_working_days_from_receipt(cast):
    """Art. 24(3): the receipt (Monday 2 November) is day 0; three weeks of five working days
    end on Monday 23 November."""
    appeal, _code = register(cast)
    term = Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_ANSWER)
    assert term.due_date == date(2026, 11, 23)
    assert term.legal_basis == "Art. 24(3)" and term.office == cast.district_a
    assert appeal.state == AppealState.REGISTERED


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_the_applicant_is_told_of_the_registration_with_the_status_code(cast):
    appeal, code = register(cast)
    notices = Notice.objects.filter(subject_id=appeal.pk, kind=NoticeKind.APPEAL_REGISTERED)
    assert {n.channel for n in notices} == {"email", "sms"}
    assert all(n.context["status_code"] == code and n.language == "ru" for n in notices)
    assert code not in appeal.status_code_hash


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_an_invalid_iin_is_refused_before_anything_is_stored(cast):
    with pytest.raises(ValidationError) as refused:
        register(cast, applicants=[citizen(iin="900101300127")])
    assert "iin" in refused.value.message_dict
    assert not Appeal.objects.exists()


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_an_anonymous_appeal_is_not_considered(cast):
    """Art. 24(6)."""
    appeal, _code = register(cast, applicants=[], is_anonymous=True)
    assert appeal.state == AppealState.NOT_CONSIDERED
    assert not Term.objects.filter(subject_id=appeal.pk).exists()


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_an_anonymous_report_of_a_crime_or_a_threat_is_considered(cast):
    """Art. 24(6): unless it reports a criminal offence or a threat to national or public
    security."""
    appeal, _code = register(cast, applicants=[], is_anonymous=True, reports_offence_or_threat=True)
    assert appeal.state == AppealState.REGISTERED
    assert Term.objects.filter(subject_id=appeal.pk, kind=TermKind.APPEAL_ANSWER).exists()


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_staff_can_still_find_an_anonymous_appeal_reports_a_crime(cast):
    """Art. 24(6): closed at registration, reopened when staff find the report; the term runs
    from the receipt."""
    appeal, _code = register(cast, applicants=[], is_anonymous=True)
    with transaction.atomic():
        services.proceed_anonymous(appeal, by=cast.a_user, reason="Сообщает о готовящемся поджоге")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.REGISTERED and appeal.reports_offence_or_threat
    term = Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_ANSWER)
    assert term.due_date == date(2026, 11, 23)


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_a_named_appeal_needs_an_applicant_and_an_anonymous_one_has_none(cast):
    with pytest.raises(RuleViolation):
        register(cast, applicants=[])
    with pytest.raises(RuleViolation):
        register(cast, is_anonymous=True)


def _complaint(cast, **extra):
    fields = {
        "kind": AppealKind.COMPLAINT,
        "complained_office": cast.district_a,
        "complained_act": "Отказ в регистрации заявления, постановление от 10.10.2026",
        "learned_on": date(2026, 10, 12),
    }
    fields.update(extra)
    return register(cast, **fields)


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_a_complaint_against_a_prosecutor_goes_to_the_superior_office_with_20_working_days(cast):
    """Art. 25(1): decided by the superior prosecutor within 20 working days."""
    appeal, _code = _complaint(cast)
    assert appeal.office == cast.region and appeal.reference.startswith("R-AKMOLA/2026/")
    term = Term.objects.get(subject_id=appeal.pk, kind=TermKind.COMPLAINT_DECISION)
    # 2 Nov + 20 working days: four full weeks -> Monday 30 November.
    assert term.due_date == date(2026, 11, 30) and term.legal_basis == "Art. 25(1)"
    assert appeal.restore == RestoreDecision.NOT_NEEDED
    # The district complained about does not see the complaint; the region does.
    from appeals.selectors import visible_appeals

    assert not visible_appeals(cast.a_user).filter(pk=appeal.pk).exists()
    assert visible_appeals(cast.region_user).filter(pk=appeal.pk).exists()


def test_the_term_to_complain_is_three_months_moved_off_a_day_off():
    """Art. 25(1): 3 months from the day the person learned of it. 2 Aug 2026 + 3 months is
    Monday 2 November; 5 Sep 2026 + 3 months is Saturday 5 December, which moves to Monday 7."""
    assert complaint_deadline(date(2026, 8, 2)) == date(2026, 11, 2)
    assert complaint_deadline(date(2026, 9, 5)) == date(2026, 12, 7)


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_a_late_complaint_is_registered_with_a_request_to_restore_its_term(cast, head_a):
    """Art. 25(1): filed after three months, it is considered only if the term is restored."""
    appeal, _code = _complaint(cast, learned_on=date(2026, 7, 1))
    assert appeal.restore == RestoreDecision.REQUESTED
    with pytest.raises(RuleViolation):  # decided by the superior's leadership, not the district
        services.decide_restore(appeal, by=head_a, granted=True, reason="x")
    with transaction.atomic():
        services.decide_restore(
            appeal, by=cast.region_user, granted=False, reason="Уважительных причин нет"
        )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.NOT_CONSIDERED and appeal.restore == "refused"
    assert Term.objects.get(subject_id=appeal.pk).state == "met"


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_a_restored_term_lets_the_complaint_be_considered(cast):
    appeal, _code = _complaint(cast, learned_on=date(2026, 7, 1))
    with transaction.atomic():
        services.decide_restore(
            appeal, by=cast.region_user, granted=True, reason="Заявитель был в больнице"
        )
    appeal.refresh_from_db()
    assert appeal.restore == RestoreDecision.GRANTED and appeal.state == AppealState.REGISTERED


def _api_fields(cast) -> dict:
    return {
        "office": cast.district_a,
        "channel": "api",
        "received_on": RECEIVED,
        "language": "kk",
        "summary": "Жалақы",
        "text": "Жалақы төленбейді.",
        "applicants": [citizen()],
    }


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_the_api_key_makes_a_retry_return_the_first_appeal(cast):
    """docs/security.md 18: a retry never makes a second appeal."""
    fields = _api_fields(cast)
    first, code, created = services.register_from_api(
        by=cast.a_user, idempotency_key="k-1", **fields
    )
    again, no_code, created_again = services.register_from_api(
        by=cast.a_user, idempotency_key="k-1", **fields
    )
    assert created and not created_again and code and no_code is None
    assert first.pk == again.pk and Appeal.objects.count() == 1
    assert first.source == Source.API
    with pytest.raises(RuleViolation):
        services.register_from_api(by=cast.a_user, idempotency_key="", **fields)


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_another_system_registers_only_in_offices_of_its_account_s_scope(cast):
    """docs/security.md 1: the API is a door of staff accounts, and the access policy applies to it
    as to staff registering by hand."""
    fields = _api_fields(cast)
    with pytest.raises(RuleViolation) as refused:
        services.register_from_api(by=cast.b_user, idempotency_key="k-1", **fields)
    assert refused.value.code == "forbidden" and not Appeal.objects.exists()
    appeal, _code, created = services.register_from_api(
        by=cast.region_user, idempotency_key="k-1", **fields
    )
    assert created and appeal.office == cast.district_a


def _filing_code(filing) -> str:
    notice = Notice.objects.get(subject_id=filing.confirmation_id, kind=NoticeKind.ONE_TIME_CODE)
    return notice.context["code"]


def test_an_appeal_filed_online_is_registered_once_the_code_is_confirmed(cast):
    with time_machine.travel("2026-11-07 22:00 +05:00", tick=False):  # a Saturday night
        with transaction.atomic():
            filing = services.start_online_filing(
                office=cast.district_a,
                applicant=citizen(),
                language="kk",
                summary="Жалақы",
                text="Жалақы үш ай төленбейді.",
                confirm_by="email",
            )
        assert not Appeal.objects.exists()
    with time_machine.travel("2026-11-07 22:06 +05:00", tick=False):
        assert services.confirm_online_filing(filing, code="000000x") is None
        appeal, status_code = services.confirm_online_filing(filing, code=_filing_code(filing))
        assert services.confirm_online_filing(filing, code=_filing_code(filing)) is None
    assert Appeal.objects.count() == 1
    # The receipt is the day the citizen filed; a Saturday: day 1 is Monday 9 November.
    assert appeal.received_on == date(2026, 11, 7) and appeal.source == Source.ONLINE
    term = Term.objects.get(subject_id=appeal.pk)
    assert term.due_date == date(2026, 11, 27)
    assert services.status_for(reference=appeal.reference, code=status_code) == appeal


def test_the_online_form_needs_a_valid_iin_and_the_address_for_the_code(cast):
    with pytest.raises(ValidationError) as refused:
        services.start_online_filing(
            office=cast.district_a,
            applicant=citizen(iin="", email=""),
            language="ru",
            summary="x",
            text="y",
            confirm_by="email",
        )
    assert "iin" in refused.value.message_dict


@time_machine.travel("2026-11-03 10:00 +05:00", tick=False)
def test_the_status_page_answers_the_same_for_an_unknown_number_and_a_wrong_code(cast):
    appeal, code = register(cast)
    assert services.status_for(reference=appeal.reference.lower(), code=code.lower()) == appeal
    assert services.status_for(reference=appeal.reference, code="AAAAA-AAAAA") is None
    assert services.status_for(reference="R-AKMOLA-D1/2026/99999", code=code) is None
