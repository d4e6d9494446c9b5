"""The appeal's terms after registration: assignment, extension and telling the applicant
(Art. 24(4), 24(5)), a legality check (Art. 24(4)), procedural appeals (Art. 24(9)), and what
counts as an answer: redirection (Art. 24(1)) and termination of a repeated appeal (Art. 24(8))."""

from datetime import date

import pytest
import time_machine
from django.db import transaction

from appeals import services, workflow
from appeals.models import AppealEventKind, AppealState, Outcome
from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeKind, Term, TermKind, TermState
from prosecution.notices import outbox
from supervision import services as checks
from supervision.models import CheckState
from tests.appeal_helpers import citizen, register
from tests.check_helpers import running_since

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


def _answer_term(appeal, kind=TermKind.APPEAL_ANSWER):
    return Term.objects.get(subject_id=appeal.pk, kind=kind)


def _assigned(cast, head_a, **extra):
    appeal, _code = register(cast, **extra)
    with transaction.atomic():
        return services.assign_appeal(appeal, by=head_a, executor=cast.a_user)


def test_the_head_assigns_an_executor_of_the_office_and_the_term_follows(cast, head_a):
    appeal = _assigned(cast, head_a)
    assert appeal.state == AppealState.IN_WORK and appeal.executor == cast.a_user
    assert _answer_term(appeal).responsible == cast.a_user
    assert Notice.objects.filter(kind=NoticeKind.APPEAL_ASSIGNED, recipient=cast.a_user).exists()


def test_a_prosecutor_may_not_assign_and_an_executor_from_another_office_is_refused(cast, head_a):
    appeal, _code = register(cast)
    with pytest.raises(RuleViolation):
        services.assign_appeal(appeal, by=cast.a_user, executor=cast.a_user)
    with pytest.raises(RuleViolation) as refused:
        services.assign_appeal(appeal, by=head_a, executor=cast.b_user)
    assert refused.value.code == "executor_office"


def test_the_region_forwards_an_appeal_down_and_keeps_control(cast):
    appeal, _code = register(cast, office=cast.region, by=cast.region_user)
    with transaction.atomic():
        services.send_to_office(
            appeal, by=cast.region_user, office=cast.district_b, reason="По территориальности"
        )
    appeal.refresh_from_db()
    from appeals.selectors import visible_appeals

    assert appeal.office == cast.district_b and appeal.registered_in == cast.region
    assert visible_appeals(cast.region_user).filter(pk=appeal.pk).exists()
    assert visible_appeals(cast.b_user).filter(pk=appeal.pk).exists()
    term = _answer_term(appeal)
    assert term.office == cast.district_b and term.office_path == cast.district_b.path
    assert appeal.events.filter(kind="sent_to_office").get().data["to_office"] == "R-AKMOLA-D2"


def test_an_extension_is_decided_by_the_head_or_a_deputy_only(cast, head_a):
    """Art. 24(4): by a reasoned decision of the head of the office or a deputy."""
    appeal = _assigned(cast, head_a)
    with pytest.raises(RuleViolation):
        services.extend_appeal_term(
            appeal,
            by=cast.a_user,
            until=date(2026, 12, 15),
            ground="facts",
            reason="Запрос в акимат",
        )
    with pytest.raises(RuleViolation):
        services.extend_appeal_term(
            appeal, by=head_a, until=date(2026, 12, 15), ground="facts", reason=" "
        )


def test_an_extension_beyond_two_months_from_receipt_is_refused(cast, head_a):
    """Art. 24(4): at most two months in all: received 2 November, so 2 January 2027 at the
    latest; that is a holiday on a Saturday, which moves the day off to Monday 4 January, so the
    term ends on Tuesday 5 January."""
    appeal = _assigned(cast, head_a)
    with pytest.raises(RuleViolation) as refused:
        services.extend_appeal_term(
            appeal, by=head_a, until=date(2027, 1, 6), ground="facts", reason="Экспертиза"
        )
    assert refused.value.code == "extension_beyond_maximum"
    with transaction.atomic():
        services.extend_appeal_term(
            appeal, by=head_a, until=date(2027, 1, 5), ground="facts", reason="Экспертиза"
        )
    assert _answer_term(appeal).due_date == date(2027, 1, 5)


def test_the_applicant_is_told_of_an_extension_within_3_working_days(cast, head_a):
    """Art. 24(5): a term of its own (3 working days from the extension, Tuesday 10 November ->
    Friday 13 November); the notice is written in the appeal's language and its delivery meets
    that term."""
    appeal = _assigned(cast, head_a)
    with transaction.atomic():
        services.extend_appeal_term(
            appeal,
            by=head_a,
            until=date(2026, 12, 15),
            ground="facts",
            reason="Запрошены сведения у акимата",
        )
    told = _answer_term(appeal, TermKind.APPEAL_EXTENSION_NOTICE)
    assert told.due_date == date(2026, 11, 13) and told.legal_basis == "Art. 24(5)"
    notices = Notice.objects.filter(kind=NoticeKind.EXTENSION_TO_APPLICANT, subject_id=appeal.pk)
    assert {n.channel for n in notices} == {"email", "sms"} and all(n.term == told for n in notices)
    email = notices.get(channel="email")
    assert outbox.deliver(email.pk) == "sent"
    email.refresh_from_db()
    assert "продлён до 15.12.2026" in email.body and "Запрошены сведения" in email.body
    # Art. 24(4): the statutory ground, in the appeal's language, beside the reasoned decision.
    assert "Основание (п. 4 ст. 24): Необходимо установить фактические обстоятельства" in email.body
    told.refresh_from_db()
    assert told.state == TermState.MET and told.met_on == date(2026, 11, 10)
    assert outbox.deliver(notices.get(channel="sms").pk) == "sent"  # the other channel: no error


def test_an_applicant_without_contacts_is_told_by_post_which_staff_record(cast, head_a):
    """Art. 24(5): no e-mail and no phone: the term stays open until staff record the letter."""
    appeal = _assigned(
        cast, head_a, applicants=[citizen(email="", phone="", postal_address="Кокшетау")]
    )
    with transaction.atomic():
        services.extend_appeal_term(
            appeal, by=head_a, until=date(2026, 12, 15), ground="facts", reason="Запрос"
        )
    told = _answer_term(appeal, TermKind.APPEAL_EXTENSION_NOTICE)
    assert told.state == TermState.OPEN
    with transaction.atomic():
        services.record_extension_told(
            appeal, by=cast.a_user, on=date(2026, 11, 10), how="Письмо № 12 почтой"
        )
    told.refresh_from_db()
    assert told.state == TermState.MET
    # The history says what happened: one extension, then the applicant told of it (issue 13:
    # the telling was logged as a second "term extended").
    kinds = list(appeal.events.order_by("pk").values_list("kind", flat=True))
    assert kinds.count(AppealEventKind.EXTENDED) == 1
    assert kinds[-1] == AppealEventKind.EXTENSION_TOLD


def test_a_check_on_the_appeal_gives_an_interim_reply_then_10_working_days(cast, head_a, cc):
    """Art. 24(4): the interim reply goes to the applicant (it meets the 15-day term: our
    reading), and the final answer is due 10 working days after the check's completion, which
    opens that term by itself, in the completion's transaction."""
    appeal = _assigned(cast, head_a)
    check = running_since(cc, date(2026, 11, 2))
    with transaction.atomic():
        services.appoint_check(
            appeal,
            by=cast.a_user,
            legality_check=check,
            interim_reply="Назначена проверка, о результатах сообщим.",
        )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ON_CHECK and appeal.legality_check == check
    assert _answer_term(appeal).state == TermState.MET
    assert Notice.objects.filter(kind=NoticeKind.APPEAL_INTERIM_REPLY).exists()
    # The linked check's end is recorded on the check, not on the appeal.
    assert "complete_check" not in workflow.allowed_actions(appeal, cast.a_user)
    with pytest.raises(RuleViolation) as refusal:
        services.complete_check(appeal, by=cast.a_user, completed_on=date(2026, 11, 10))
    assert refusal.value.code == "linked_check"
    with transaction.atomic():
        checks.complete_check(
            check, by=cc.inspector, result="Нарушений нет.", on=date(2026, 11, 10)
        )
    final = _answer_term(appeal, TermKind.APPEAL_FINAL_AFTER_CHECK)
    # Tuesday 10 November + 10 working days = Tuesday 24 November.
    assert final.due_date == date(2026, 11, 24) and final.legal_basis == "Art. 24(4)"
    appeal.refresh_from_db()
    assert appeal.state == AppealState.IN_WORK and appeal.check_completed_on == date(2026, 11, 10)


def test_the_appeal_page_names_its_check_only_to_those_who_may_see_the_check(
    cast, head_a, cc, client
):
    """A classified check (docs/rules.md "Secrecy") is neither named nor linked on the appeal's
    page for a viewer without clearance: its registration number is the check's, not the
    appeal's. With clearance, the number and the link are there."""
    from django.urls import reverse

    from prosecution.models import StaffProfile

    appeal = _assigned(cast, head_a)
    check = running_since(cc, date(2026, 11, 2))
    with transaction.atomic():
        services.appoint_check(appeal, by=cast.a_user, legality_check=check, interim_reply="I")
    shown = check.registration.reference
    client.force_login(cast.a_user)
    url = reverse("appeal-detail", kwargs={"uuid": appeal.uuid})
    page = client.get(url).content.decode()
    assert shown in page and reverse("check-detail", args=[check.uuid]) in page
    type(check).objects.filter(pk=check.pk).update(is_classified=True)
    StaffProfile.objects.filter(user=cast.a_user).update(has_clearance=False)
    page = client.get(url).content.decode()
    assert shown not in page and reverse("check-detail", args=[check.uuid]) not in page
    assert 'data-testid="appeal-check"' in page  # that a check was appointed is still said


def test_an_appeal_linked_to_a_check_that_fails_to_open_its_term_keeps_the_check_running(
    cast, head_a, cc
):
    """Art. 24(4): the completion and the appeal's final term are one transaction: a check whose
    completion is refused on the appeal's side (a date before the appeal's check) is not
    completed either."""
    appeal = _assigned(cast, head_a)
    check = running_since(cc, date(2026, 11, 2))
    with transaction.atomic():
        services.appoint_check(appeal, by=cast.a_user, legality_check=check, interim_reply="I")
    with pytest.raises(RuleViolation), transaction.atomic():
        checks.complete_check(check, by=cc.inspector, result="R", on=date(2026, 11, 3))
    check.refresh_from_db()
    appeal.refresh_from_db()
    assert check.state == CheckState.RUNNING and appeal.state == AppealState.ON_CHECK


def test_a_check_recorded_before_checks_were_linked_is_completed_by_staff(cast, head_a):
    """Art. 24(4): an appeal whose check number matched no check (migration 0007_check_link
    kept it in check_reference) is still completed by hand, 10 working days to answer."""
    appeal = _assigned(cast, head_a)
    type(appeal).objects.filter(pk=appeal.pk).update(
        state=AppealState.ON_CHECK,
        check_reference="КУИ-2026-0042",
        check_appointed_on=date(2026, 11, 2),
    )
    appeal.refresh_from_db()
    assert "complete_check" in workflow.allowed_actions(appeal, cast.a_user)
    with pytest.raises(RuleViolation):
        services.complete_check(appeal, by=cast.a_user, completed_on=date(2026, 11, 30))
    with transaction.atomic():
        services.complete_check(appeal, by=cast.a_user, completed_on=date(2026, 11, 10))
    final = _answer_term(appeal, TermKind.APPEAL_FINAL_AFTER_CHECK)
    assert final.due_date == date(2026, 11, 24)


def test_a_procedural_appeal_follows_the_term_of_its_code(cast, head_a):
    """Art. 24(9): the 15-day term gives way to the term entered from the procedural code."""
    appeal = _assigned(cast, head_a)
    with transaction.atomic():
        services.mark_procedural(
            appeal,
            by=cast.a_user,
            code="criminal",
            due=date(2026, 11, 5),
            reason="Ст. 103 УПК: жалоба рассматривается в трёхдневный срок",
        )
    assert _answer_term(appeal).state == TermState.CANCELLED
    procedural = _answer_term(appeal, TermKind.APPEAL_PROCEDURAL)
    assert procedural.due_date == date(2026, 11, 5) and procedural.legal_basis == "Art. 24(9)"


def test_an_appeal_on_no_ground_is_redirected_and_that_counts_as_its_answer(cast, head_a):
    """Art. 24(1): redirected to the competent body, the body and the date recorded, the
    applicant told; the term is met."""
    appeal = _assigned(cast, head_a)
    with transaction.atomic():
        services.redirect_appeal(
            appeal, by=cast.a_user, to_body="Департамент полиции", reason="Вопрос полиции"
        )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.REDIRECTED and appeal.outcome == Outcome.REDIRECTED
    assert appeal.redirected_on == date(2026, 11, 10)
    assert _answer_term(appeal).state == TermState.MET
    assert (
        Notice.objects.filter(kind=NoticeKind.APPEAL_REDIRECTED, subject_id=appeal.pk).count() == 2
    )


def test_the_ground_of_consideration_is_one_of_art_24_1(cast, head_a):
    appeal = _assigned(cast, head_a)
    with pytest.raises(RuleViolation):
        services.record_ground(appeal, by=cast.a_user, ground="8")
    with transaction.atomic():
        services.record_ground(appeal, by=cast.a_user, ground="6")
    appeal.refresh_from_db()
    assert appeal.ground == "6"


def test_a_repeated_appeal_is_terminated_only_citing_an_answered_one_of_the_same_applicant(
    cast, head_a
):
    """Art. 24(8)."""
    earlier = _assigned(cast, head_a, received_on=date(2026, 10, 1))
    later = _assigned(cast, head_a)
    with pytest.raises(RuleViolation) as refused:
        services.terminate_repeated(later, by=cast.a_user, earlier=earlier, reason="Доводы те же")
    assert refused.value.code == "earlier_not_answered"
    from appeals.models import Appeal

    Appeal.objects.filter(pk=earlier.pk).update(
        state=AppealState.ANSWERED, outcome=Outcome.EXPLAINED, answered_on=date(2026, 10, 20)
    )
    earlier.refresh_from_db()
    stranger = _assigned(cast, head_a, applicants=[citizen(iin="850615400705", last_name="Ким")])
    with pytest.raises(RuleViolation):
        services.terminate_repeated(stranger, by=cast.a_user, earlier=earlier, reason="x")
    with transaction.atomic():
        services.terminate_repeated(later, by=cast.a_user, earlier=earlier, reason="Доводы те же")
    later.refresh_from_db()
    assert later.state == AppealState.TERMINATED and later.earlier_appeal == earlier
    assert _answer_term(later).state == TermState.MET


def test_earlier_appeals_are_found_by_iin_or_by_name_and_contact(cast, head_a):
    from appeals.selectors import earlier_appeals

    first = _assigned(cast, head_a, received_on=date(2026, 10, 1))
    no_iin = _assigned(cast, head_a, received_on=date(2026, 10, 5), applicants=[citizen(iin="")])
    later = _assigned(cast, head_a)
    found = set(earlier_appeals(cast.a_user, later).values_list("pk", flat=True))
    assert found == {first.pk, no_iin.pk}
    assert not earlier_appeals(cast.b_user, later).exists()  # district B sees none of them
