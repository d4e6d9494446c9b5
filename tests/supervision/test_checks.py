"""Legality checks (supervision/services.py): appointment, registration before the start, the term
and its suspension and extension, the named inspectors, the end. Each rule cites its article
(docs/rules.md "Legality checks")."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from legal_statistics import services as register
from legal_statistics.models import Registration, RegistrationState
from prosecution import workdays
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office, Position, TermKind, TermState
from supervision import selectors
from supervision import services as checks
from supervision.models import (
    BusinessConsentKind,
    Check,
    CheckEventKind,
    CheckGround,
    CheckState,
    ExemptKind,
    SubjectKind,
    SuspensionCause,
)
from tests.check_helpers import (
    VALID_IIN,
    appointed,
    registered,
    resolution,
    started,
)
from tests.conftest import last_audit_record, make_staff

pytestmark = pytest.mark.django_db


def _refused(call, article: str, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as refusal:
        call(**kwargs)
    assert refusal.value.article == article, refusal.value.message
    return refusal.value


# --- appointment: Art. 18(1)-(2) ----------------------------------------------------------------


def test_heads_of_offices_and_the_pgs_deputies_appoint_checks_art_18_1(cc, cast):
    assert appointed(cc).office == cast.district_a
    check = checks.appoint_check(by=cast.region_user, resolution=resolution(cc))
    assert check.office == cast.region
    check = checks.appoint_check(by=cast.gpo_user, resolution=resolution(cc))  # a deputy PG
    assert check.office == cast.gpo
    assert check.events.get().kind == CheckEventKind.APPOINTED


@pytest.mark.parametrize("who", ["prosecutor", "deputy_head", "committee_head", "inactive", "none"])
def test_anyone_else_is_refused_the_appointment_art_18_1(cc, cast, who):
    people = {
        "prosecutor": cast.a_user,
        "deputy_head": make_staff("dh", cast.district_a, Position.DEPUTY_HEAD),
        "committee_head": make_staff("kh", Office.objects.get(code="KPSSU"), Position.HEAD),
        "inactive": cast.inactive_user,
        "none": None,
    }
    refusal = _refused(
        checks.appoint_check, "Art. 18(1)", by=people[who], resolution=resolution(cc)
    )
    assert refusal.code == "forbidden"
    assert not Check.objects.exists()


def test_no_ground_no_check_art_18_1(cc):
    _refused(checks.appoint_check, "Art. 18(1)", by=cc.head, resolution=resolution(cc, ground=""))


def test_an_instruction_is_recorded_with_its_number_and_date_art_18_1(cc):
    bare = resolution(cc, ground=CheckGround.PG_INSTRUCTION)
    _refused(checks.appoint_check, "Art. 18(1)", by=cc.head, resolution=bare)
    check = appointed(
        cc,
        ground=CheckGround.PG_INSTRUCTION,
        instruction_number="2-11/45",
        instruction_date=date(2025, 2, 20),
    )
    assert check.instruction_number == "2-11/45"


def test_the_subjects_bin_or_iin_is_validated(cc):
    with pytest.raises(RuleViolation):
        appointed(cc, subject_number="120540012340")  # a wrong check digit
    with pytest.raises(RuleViolation):
        appointed(cc, subject_kind=SubjectKind.PERSON, subject_number="850721300126")
    assert appointed(cc, subject_kind=SubjectKind.PERSON, subject_number=VALID_IIN).pk


def test_a_classified_check_names_only_cleared_inspectors_art_19_1(cc):
    _refused(
        checks.appoint_check,
        "Art. 19(1)",
        by=cc.head,
        resolution=resolution(cc, is_classified=True),
    )


def test_a_private_business_is_not_registered_without_the_instruction_or_agreement_art_18_2(cc):
    check = appointed(cc, is_private_business=True)
    _refused(checks.send_for_registration, "Art. 18(2)", check=check, by=cc.head)
    check = appointed(
        cc,
        is_private_business=True,
        business_consent_kind=BusinessConsentKind.PG_AGREEMENT,
        business_consent_number="7-02/11",
        business_consent_date=date(2025, 2, 25),
    )
    entry = checks.send_for_registration(check, by=cc.head)
    register.register_check(entry, by=cc.officer)


def test_the_database_refuses_a_registered_private_business_check_without_consent_art_18_2(cc):
    """Written around the service: the constraint holds whatever the code does."""
    check = registered(cc)
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.filter(pk=check.pk).update(is_private_business=True)


# --- registration before the start: Art. 18(4), 19(1) -------------------------------------------


def test_a_check_cannot_start_before_it_is_registered_art_18_4(cc):
    check = appointed(cc)
    _refused(checks.start_check, "Art. 18(4)", check=check, by=cc.inspector, on=date(2025, 3, 3))
    checks.send_for_registration(check, by=cc.head)
    _refused(checks.start_check, "Art. 18(4)", check=check, by=cc.inspector, on=date(2025, 3, 3))
    assert Check.objects.get(pk=check.pk).started_on is None


def test_the_database_refuses_a_started_check_without_registration_art_18_4(cc):
    check = appointed(cc)
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.filter(pk=check.pk).update(
            state=CheckState.RUNNING, started_on=date(2025, 3, 3)
        )


def test_a_refused_resolution_may_be_sent_again(cc):
    check = appointed(cc)
    entry = checks.send_for_registration(check, by=cc.head)
    register.refuse_registration(entry, by=cc.officer, reason="The period is not stated")
    check.refresh_from_db()
    assert check.state == CheckState.REGISTRATION_REFUSED
    again = checks.send_for_registration(check, by=cc.head)
    assert again.pk != entry.pk
    assert check.registrations.count() == 2


def test_an_exempt_check_skips_registration_and_the_term_art_18_4(cc):
    check = appointed(cc, exempt_kind=ExemptKind.ENFORCEMENT, ground="")
    _refused(checks.send_for_registration, "Art. 18(4)", check=check, by=cc.head)
    check = checks.start_check(check, by=cc.inspector, on=date(2025, 3, 3))
    assert check.state == CheckState.RUNNING
    assert checks.term_of(check) is None


# --- the term: Art. 18(4), 18(5) ----------------------------------------------------------------


def test_the_term_is_30_working_days_from_the_start_art_18_4(cc):
    check = started(cc, on=date(2025, 3, 3))
    term = checks.term_of(check)
    assert term.kind == TermKind.CHECK_DURATION
    assert workdays.working_days_between(date(2025, 3, 3), term.due_date) == 30


def test_a_suspension_stops_the_clock_art_18_4(cc):
    """Started 3 March 2025, suspended 14 March for an expert examination, resumed 14 April: due
    16 May 2025 (the day of suspension counts once; the count goes on from the resumption)."""
    check = started(cc, on=date(2025, 3, 3))
    check = checks.suspend_check(
        check,
        by=cc.inspector,
        cause=SuspensionCause.EXPERT_EXAMINATION,
        reason="Expert opinion on the meters",
        on=date(2025, 3, 14),
    )
    assert check.state == CheckState.SUSPENDED
    assert checks.term_of(check).state == TermState.SUSPENDED
    check = checks.resume_check(check, by=cc.inspector, on=date(2025, 4, 14))
    assert checks.term_of(check).due_date == date(2025, 5, 16)
    kinds = list(check.events.values_list("kind", flat=True))
    assert kinds[-2:] == [CheckEventKind.SUSPENDED, CheckEventKind.RESUMED]


def test_a_suspension_needs_a_cause_of_art_18_4(cc):
    check = started(cc)
    _refused(
        checks.suspend_check,
        "Art. 18(4)",
        check=check,
        by=cc.inspector,
        cause="holiday",
        reason="x",
        on=date(2025, 3, 10),
    )


def test_the_term_is_extended_once_by_at_most_30_working_days_with_the_pgs_consent_art_18_4(cc):
    """Art. 18(4); docs/sources.md, seed 004 para. 19(38): an inferior prosecutor extends with the
    PG's consent."""
    check = started(cc, on=date(2025, 3, 3))
    due = checks.term_of(check).due_date
    extend = dict(check=check, by=cc.head, reason="Large volume of contracts", on=date(2025, 4, 1))
    refusal = _refused(
        checks.extend_check,
        "GPO Regulations, para. 19(38) (seed 004)",
        days=20,
        **extend,
    )
    assert refusal.code == "consent_required"
    consent = {"consent_number": "2-05/9", "consent_date": date(2025, 3, 31)}
    _refused(checks.extend_check, "Art. 18(4)", days=31, **consent, **extend)
    checks.extend_check(days=20, **consent, **extend)
    new_due = checks.term_of(check).due_date
    assert workdays.working_days_between(due, new_due) == 20
    refusal = _refused(checks.extend_check, "Art. 18(4)", days=5, **consent, **extend)
    assert refusal.code == "extension_beyond_maximum"
    assert checks.term_of(check).due_date == new_due


def test_the_inspector_does_not_extend_the_term_art_18_1(cc):
    check = started(cc)
    _refused(
        checks.extend_check,
        "Art. 18(1)",
        check=check,
        by=cc.inspector,
        days=10,
        reason="x",
        consent_number="1",
        consent_date=date(2025, 3, 31),
        on=date(2025, 4, 1),
    )


def test_after_the_term_nothing_more_is_done_under_the_check_art_18_5(cc):
    check = started(cc, on=date(2025, 3, 3))
    after = workdays.add_working_days(checks.term_of(check).due_date, 1)
    _refused(
        checks.suspend_check,
        "Art. 18(5)",
        check=check,
        by=cc.inspector,
        cause=SuspensionCause.OTHER_IMPEDIMENT,
        reason="late",
        on=after,
    )
    _refused(
        checks.change_inspectors,
        "Art. 18(5)",
        check=check,
        by=cc.head,
        inspectors=[cc.other_inspector],
        reason="late",
        on=after,
    )


# --- the named inspectors: Art. 18(4) -----------------------------------------------------------


def test_only_named_inspectors_act_on_the_check_art_18_4(cc):
    check = registered(cc)
    refusal = _refused(
        checks.start_check, "Art. 18(4)", check=check, by=cc.other_inspector, on=date(2025, 3, 3)
    )
    assert refusal.code == "forbidden"


def test_a_change_of_inspectors_is_an_event_and_moves_the_right_to_act_art_18_4(cc):
    check = started(cc)
    checks.change_inspectors(
        check, by=cc.head, inspectors=[cc.other_inspector], reason="Illness", on=date(2025, 3, 5)
    )
    event = check.events.get(kind=CheckEventKind.INSPECTORS_CHANGED)
    assert (event.data["before"], event.data["after"]) == (
        [cc.inspector.pk],
        [cc.other_inspector.pk],
    )
    suspend = dict(cause=SuspensionCause.OTHER_IMPEDIMENT, reason="x", on=date(2025, 3, 6))
    _refused(checks.suspend_check, "Art. 18(4)", check=check, by=cc.inspector, **suspend)
    checks.suspend_check(check, by=cc.other_inspector, **suspend)


# --- the end ------------------------------------------------------------------------------------


def test_completing_the_check_meets_its_term_art_19_2(cc):
    check = started(cc)
    _refused(
        checks.complete_check,
        "Art. 19(2)",
        check=check,
        by=cc.inspector,
        result=" ",
        on=date(2025, 4, 1),
    )
    check = checks.complete_check(
        check, by=cc.inspector, result="Overcharging found", on=date(2025, 4, 1)
    )
    assert check.state == CheckState.COMPLETED
    term = checks.term_of(check)
    assert (term.state, term.met_on) == (TermState.MET, date(2025, 4, 1))
    assert last_audit_record("check.completed").target_id == str(check.pk)


def test_cancelling_a_waiting_resolution_withdraws_it_from_the_queue(cc):
    check = appointed(cc)
    entry = checks.send_for_registration(check, by=cc.head)
    checks.cancel_check(check, by=cc.head, reason="The subject was liquidated")
    entry.refresh_from_db()
    assert entry.state == RegistrationState.WITHDRAWN
    with pytest.raises(RuleViolation):
        register.register_check(entry, by=cc.officer)


def test_cancelling_a_running_check_cancels_its_term(cc):
    check = started(cc)
    _refused(checks.cancel_check, "Art. 18(1)", check=check, by=cc.inspector, reason="x")
    checks.cancel_check(check, by=cc.head, reason="Instruction withdrawn")
    assert checks.term_of(check).state == TermState.CANCELLED


# --- scope: Art. 5(2) ---------------------------------------------------------------------------


def test_a_check_out_of_scope_is_not_found(cc, cast):
    check = appointed(cc)
    with pytest.raises(Http404):
        selectors.get_check_or_404(cast.b_user, check.uuid)
    assert selectors.get_check_or_404(cast.region_user, check.uuid) == check
    assert list(selectors.checks_in_scope(cast.other_user)) == []
    assert list(selectors.checks_in_scope(cast.a_user)) == [check]
    assert last_audit_record("access.denied").details["checked"] == "view"


def test_staff_out_of_scope_cannot_act_on_a_check(cc, cast):
    check = registered(cc)
    # Named, but serving in a sibling district: the access policy refuses first.
    Check.inspectors.through.objects.create(check_id=check.pk, user_id=cast.b_user.pk)
    _refused(checks.start_check, "", check=check, by=cast.b_user, on=date(2025, 3, 3))


def test_every_change_is_audited(cc):
    check = started(cc)
    for action in (
        "check.appointed",
        "check.sent_for_registration",
        "check.registered",
        "check.started",
    ):
        assert last_audit_record(action).target_id == str(check.pk)
    assert Registration.objects.get().state == RegistrationState.REGISTERED


def test_a_refused_resolution_is_corrected_and_sent_again_but_a_registered_one_never_art_18_4(
    cc,
):
    check = appointed(cc, is_private_business=True)
    _refused(checks.send_for_registration, "Art. 18(2)", check=check, by=cc.head)
    corrected = resolution(
        cc,
        is_private_business=True,
        business_consent_kind=BusinessConsentKind.PRESIDENT_INSTRUCTION,
        business_consent_number="P-1",
        business_consent_date=date(2025, 2, 1),
    )
    _refused(
        checks.correct_resolution, "Art. 18(1)", check=check, by=cc.inspector, resolution=corrected
    )
    check = checks.correct_resolution(check, by=cc.head, resolution=corrected)
    event = check.events.get(kind=CheckEventKind.CORRECTED)
    assert event.data["changed"] == [
        "business_consent_date",
        "business_consent_kind",
        "business_consent_number",
    ]
    entry = checks.send_for_registration(check, by=cc.head)
    register.register_check(entry, by=cc.officer)
    _refused(checks.correct_resolution, "Art. 18(4)", check=check, by=cc.head, resolution=corrected)


def test_the_database_refuses_a_certificate_handed_before_the_end_art_19_2(cc):
    """Art. 19(2): handed over after the check ends (check_certificate_handed_after_completion),
    whatever writes the row."""
    check = started(cc)
    checks.complete_check(check, by=cc.inspector, result="R", on=date(2025, 3, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.filter(pk=check.pk).update(certificate_handed_on=date(2025, 3, 19))
    running = started(cc, resolution_number="15-01/8")
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.filter(pk=running.pk).update(certificate_handed_on=date(2025, 3, 19))
    Check.objects.filter(pk=check.pk).update(certificate_handed_on=date(2025, 3, 20))


def test_a_closed_check_is_not_cancelled_and_the_state_table_says_so(cc):
    """supervision/workflow.py: one table of what each state allows, for the services and the
    pages alike."""
    from supervision import workflow

    check = started(cc)
    assert set(workflow.allowed_actions(check, cc.inspector)) == {"suspend", "complete"}
    assert set(workflow.allowed_actions(check, cc.head)) == {"extend", "inspectors", "cancel"}
    checks.complete_check(check, by=cc.inspector, result="R", on=date(2025, 3, 20))
    check.refresh_from_db()
    assert workflow.allowed_actions(check, cc.inspector) == ["hand_certificate"]
    assert workflow.allowed_actions(check, cc.head) == []
    refusal = _refused(checks.cancel_check, "Art. 18(4)", check=check, by=cc.head, reason="x")
    assert refusal.code == "wrong_state"
