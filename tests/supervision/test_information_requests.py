"""Requests for information (supervision/functions/requests.py): Art. 26(3) at least 3 working
days, Art. 26(4) "immediately" only with a recorded reason; the answer; the overdue request's
term missed and on the dashboard like every term."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from legal_statistics import selectors as dashboard
from legal_statistics.selectors import DashboardFilters, Horizon
from prosecution.lib.errors import RuleViolation
from prosecution.models import TermKind, TermState
from prosecution.terms import engine as terms
from supervision.functions import requests
from supervision.models import AddresseeKind, InformationRequest, RequestState
from tests.check_helpers import VALID_IIN
from tests.conftest import last_audit_record
from tests.dashboard_terms import on_day
from tests.supervision.function_helpers import FRIDAY, request

pytestmark = pytest.mark.django_db


def _refused(article: str, **changes) -> RuleViolation:
    with pytest.raises(RuleViolation) as refusal:
        request(**changes)
    assert refusal.value.article == article, refusal.value.message
    assert not InformationRequest.objects.exists()
    return refusal.value


@on_day(FRIDAY)
def test_a_request_gives_at_least_three_working_days_art_26_3(cast):
    sent = request(cast.a_user)
    term = requests.request_term(sent)
    assert (term.kind, term.legal_basis, term.due_date) == (
        TermKind.INFORMATION_REQUEST,
        "Art. 26(3)",
        date(2026, 3, 30),  # Friday + 3 working days over Nauryz
    )
    assert last_audit_record("informationrequest.sent").target_id == str(sent.pk)


@on_day(FRIDAY)
def test_two_working_days_are_refused_art_26_3(cast):
    refusal = _refused("Art. 26(3)", by=cast.a_user, due=date(2026, 3, 27))
    assert refusal.code == "term_below_minimum"


@on_day(FRIDAY)
def test_a_due_date_on_a_day_off_names_the_day_off_art_26_3(cast):
    refusal = _refused("Art. 26(3)", by=cast.a_user, due=date(2026, 3, 22))  # Nauryz, a Sunday
    assert refusal.code == "day_off" and "22.03.2026" in refusal.message


@on_day(FRIDAY)
def test_immediately_without_a_reason_is_refused_art_26_4(cast):
    refusal = _refused("Art. 26(4)", by=cast.a_user, due=FRIDAY, is_urgent=True)
    assert refusal.code == "urgent_without_reason"


@on_day(FRIDAY)
def test_immediately_with_the_reason_of_irreversible_consequences_art_26_4(cast):
    sent = request(
        cast.a_user,
        due=FRIDAY,
        is_urgent=True,
        urgent_reason="Unsafe drinking water in two schools",
    )
    assert requests.request_term(sent).due_date == FRIDAY


@on_day(FRIDAY)
def test_the_database_refuses_immediately_without_a_reason_art_26_4(cast):
    sent = request(cast.a_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.filter(pk=sent.pk).update(is_urgent=True, urgent_reason="")


@on_day(FRIDAY)
def test_the_addressee_is_validated_by_bin_or_iin_art_26_3(cast):
    _refused("Art. 26(3)", by=cast.a_user, addressee_number="123456789012")
    person = request(
        cast.a_user,
        addressee_kind=AddresseeKind.PERSON,
        addressee_number=VALID_IIN,
        addressee_name="Серік Ахметов",
    )
    assert person.addressee_number == VALID_IIN
    official = request(cast.a_user, addressee_kind=AddresseeKind.OFFICIAL, addressee_number="")
    assert official.addressee_number == ""


def test_the_answer_meets_the_term_art_26_3(cast):
    with on_day(FRIDAY):
        sent = request(cast.a_user)
    with on_day(date(2026, 3, 27)):
        requests.record_answer(sent, by=cast.a_user, answered_on=date(2026, 3, 27), answer="Sent")
    sent.refresh_from_db()
    assert sent.state == RequestState.ANSWERED
    term = requests.request_term(sent)
    assert (term.state, term.met_on) == (TermState.MET, date(2026, 3, 27))
    with on_day(date(2026, 3, 27)), pytest.raises(RuleViolation):
        requests.record_answer(sent, by=cast.a_user, answered_on=date(2026, 3, 27), answer="x")


def test_an_overdue_request_is_missed_and_on_the_dashboard_art_26_3(cast):
    with on_day(FRIDAY):
        sent = request(cast.a_user)
    with on_day(date(2026, 3, 31)):
        assert terms.mark_missed() == 1
        term = requests.request_term(sent)
        assert term.state == TermState.MISSED
        office = dashboard.scope_office(cast.a_user)
        totals, _rows, _kinds = dashboard.rollup(
            cast.a_user, office, DashboardFilters(), Horizon.on(date(2026, 3, 31))
        )
        assert totals.as_dict()["overdue"] == 1
        items = dashboard.items(
            cast.a_user,
            office,
            DashboardFilters(kind=TermKind.INFORMATION_REQUEST),
            Horizon.on(date(2026, 3, 31)),
        )
        assert [t.pk for t in items] == [term.pk]
        # Answered late, it stays late: met after its due date.
        requests.record_answer(sent, by=cast.a_user, answered_on=date(2026, 3, 31), answer="Late")
        term.refresh_from_db()
        assert term.state == TermState.MET and term.met_on > term.due_date


def test_outside_the_scope_nobody_answers_or_withdraws_art_5_2(cast, head_a):
    with on_day(FRIDAY):
        sent = request(cast.a_user)
        with pytest.raises(RuleViolation) as refusal:
            requests.record_answer(sent, by=cast.b_user, answered_on=FRIDAY, answer="x")
        assert refusal.value.code == "forbidden"
        with pytest.raises(RuleViolation):
            requests.withdraw_request(sent, by=cast.a_user, reason="No longer needed")
        requests.withdraw_request(sent, by=head_a, reason="No longer needed")
    assert requests.request_term(sent).state == TermState.CANCELLED


def test_the_answer_keeps_its_documents_checked_by_their_content_art_26_3(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    with on_day(FRIDAY):
        sent = request(cast.a_user)
        program = SimpleUploadedFile("answer.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 64)
        with pytest.raises(RuleViolation) as refusal:
            requests.record_answer(
                sent, by=cast.a_user, answered_on=FRIDAY, answer="Sent", files=[program]
            )
        assert "answer.pdf" in refusal.value.message and not sent.files.exists()
        client.force_login(cast.a_user)
        action = reverse(
            "function-action",
            kwargs={"slug": "information-requests", "uuid": sent.uuid, "action": "answer"},
        )
        text = SimpleUploadedFile("decisions.txt", b"Decision No. 5 of 2025.\n", "text/plain")
        response = client.post(
            action,
            {"answer-answered_on": "2026-03-20", "answer-answer": "Sent", "answer-document": text},
        )
        assert response.status_code == 302
        document = sent.files.get()
        url = reverse("information-request-file", args=[sent.uuid, document.uuid])
        assert b"Decision No. 5" in b"".join(client.get(url).streaming_content)
        client.force_login(cast.b_user)
        assert client.get(url).status_code == 404


def test_no_request_on_a_check_after_its_term_art_18_5(cc):
    from tests.check_helpers import started

    with on_day(date(2025, 3, 4)):
        check = started(cc)
        sent = request(
            cc.inspector, legality_check=check, sent_on=date(2025, 3, 4), due=date(2025, 3, 7)
        )
        assert sent.legality_check == check
    # 30 working days from 3 March 2025 have run out.
    with on_day(date(2025, 4, 30)), pytest.raises(RuleViolation) as refusal:
        request(cc.inspector, legality_check=check, sent_on=date(2025, 4, 30), due=date(2025, 5, 6))
    assert refusal.value.article == "Art. 18(5)"


def test_a_request_on_a_classified_check_is_classified_docs_rules_secrecy(cc):
    from tests.check_helpers import started

    for user in (cc.head, cc.inspector, cc.officer):
        user.staff_profile.has_clearance = True
        user.staff_profile.save()
    with on_day(date(2025, 3, 4)):
        check = started(cc, is_classified=True)
        sent = request(
            cc.inspector, legality_check=check, sent_on=date(2025, 3, 4), due=date(2025, 3, 7)
        )
    assert sent.is_classified and requests.request_term(sent).is_classified
