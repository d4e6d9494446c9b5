"""Acts of the prosecutor's office (acts/services/): each kind's rule, with its article
(Art. 32-43; docs/rules.md "Acts of the prosecutor's office")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from acts import services as acts
from acts.models import (
    Act,
    ActEventKind,
    ActKind,
    ActState,
    AddresseeKind,
    BasisKind,
    ProtestedActKind,
    SanctionDecision,
)
from prosecution import workdays
from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeKind, Position, TermKind, TermState
from prosecution.terms import engine as terms
from tests.act_helpers import (
    DELIVERED,
    VALID_IIN,
    complaint_against,
    delivered,
    draft,
    drafted,
    signed,
)
from tests.appeal_helpers import register
from tests.check_helpers import started
from tests.conftest import make_staff, sealed_audit_log

# On Monday 2 November 2026, the day the acts are delivered (tests/acts/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

ALMATY = ZoneInfo("Asia/Almaty")


def _term(act, kind):
    return terms.terms_of(act).get(kind=kind)


# --- the act and its register -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ActKind.values)
def test_every_kind_is_drafted_signed_and_registered_art_32(ac, kind):
    """Art. 32(1): the three families; each act takes the next number of its office's year."""
    act = signed(ac, kind)
    assert act.state == ActState.SIGNED
    assert (act.year, act.number) == (2026, 1)
    assert act.register_number == "2026-R-AKMOLA-D1-00001"
    assert list(act.events.values_list("kind", flat=True))[:2] == ["drafted", "signed"]


def test_register_numbers_are_gapless_per_office_and_year(ac, cast):
    first, second = signed(ac), signed(ac)
    other = acts.sign_act(
        drafted(ac, by=cast.b_user), by=cast.b_user, on=DELIVERED
    )  # district B: its own register
    assert (first.number, second.number, other.number) == (1, 2, 1)
    next_year = acts.sign_act(drafted(ac), by=ac.prosecutor, on=date(2026, 1, 5))
    assert next_year.number == 3  # the same year 2026: no gap, no reuse


def test_the_database_keeps_register_numbers_unique(ac):
    act = signed(ac)
    twin = drafted(ac)
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.filter(pk=twin.pk).update(
            state=ActState.SIGNED,
            year=2026,
            number=act.number,
            register_number="x",
            signatory=ac.prosecutor,
            signed_on=DELIVERED,
        )


def test_an_act_of_supervision_or_response_rests_on_a_basis_art_32_2(ac):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, basis_kind="", basis_text="")
    assert refusal.value.article == "Art. 32(2)"
    with pytest.raises(RuleViolation):
        drafted(ac, basis_kind=BasisKind.OTHER, basis_text=" ")
    act = drafted(ac)
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.filter(pk=act.pk).update(basis_kind="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.filter(pk=act.pk).update(basis_kind=BasisKind.CHECK)  # no check linked


def test_an_organisational_act_needs_no_basis_art_32_1_3(ac):
    act = drafted(ac, ActKind.ORDER, by=ac.head)
    assert act.basis_kind == ""


def test_a_submission_rests_on_a_completed_check_of_the_office(ac, cc):
    check = started(cc, on=date(2026, 10, 1))
    act = drafted(ac, basis_kind=BasisKind.CHECK, basis_check=check)
    assert act.basis_check == check and list(check.acts.all()) == [act]


def test_a_basis_outside_the_drafters_scope_is_refused_art_32_2(ac, cast):
    appeal, _code = register(cast, office=cast.district_b, by=cast.b_user)
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, basis_kind=BasisKind.APPEAL, basis_appeal=appeal, basis_text="")
    assert refusal.value.code == "no_basis"


def test_the_addressees_bin_or_iin_is_validated(ac):
    with pytest.raises(RuleViolation):
        drafted(ac, addressee_number="120540012343")
    with pytest.raises(RuleViolation):
        drafted(ac, addressee_kind=AddresseeKind.PERSON, addressee_number="")
    person = drafted(ac, addressee_kind=AddresseeKind.PERSON, addressee_number=VALID_IIN)
    assert person.addressee_number == VALID_IIN


def test_a_clerk_drafts_no_act(ac):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, by=ac.clerk)
    assert refusal.value.code == "forbidden"


# --- who signs ----------------------------------------------------------------------------------


def test_a_public_appeal_is_signed_only_by_a_head_art_40(ac, cast):
    act = drafted(ac, ActKind.PUBLIC_APPEAL)
    with pytest.raises(RuleViolation) as refusal:
        acts.sign_act(act, by=ac.prosecutor, on=DELIVERED)
    assert refusal.value.article == "Art. 40"
    assert refusal.value.code == "forbidden"
    deputy = make_staff("act_deputy_a", cast.district_a, Position.DEPUTY_HEAD)
    with pytest.raises(RuleViolation):
        acts.sign_act(act, by=deputy, on=DELIVERED)
    assert acts.sign_act(act, by=ac.head, on=DELIVERED).state == ActState.SIGNED


def test_an_order_is_signed_by_the_leadership_art_32_1_3(ac):
    act = drafted(ac, ActKind.ORDER)
    with pytest.raises(RuleViolation) as refusal:
        acts.sign_act(act, by=ac.prosecutor, on=DELIVERED)
    assert refusal.value.article == "Art. 32(1)(3)"
    assert acts.sign_act(act, by=ac.head, on=DELIVERED).signatory == ac.head


def test_nobody_outside_the_office_scope_signs(ac, cast):
    act = drafted(ac)
    with pytest.raises(RuleViolation):
        acts.sign_act(act, by=cast.b_user, on=DELIVERED)


# --- protest (Art. 33) --------------------------------------------------------------------------


def test_a_protest_is_considered_in_10_calendar_days_art_33_3(ac):
    act = delivered(ac, ActKind.PROTEST)
    term = _term(act, TermKind.PROTEST_CONSIDERATION)
    assert term.legal_basis == "Art. 33(3)"
    assert term.due_date == workdays.add_calendar_days(DELIVERED, 10) == date(2026, 11, 12)


def test_a_protest_term_set_at_2_working_days_is_refused_art_33_3(ac):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, ActKind.PROTEST, term_set_until=date(2026, 11, 4))  # Monday + 2 working days
    assert refusal.value.code == "term_below_minimum"
    assert refusal.value.article == "Art. 33(3)"


def test_a_protest_term_of_3_working_days_runs_from_delivery_art_33_3(ac):
    act = delivered(ac, ActKind.PROTEST, term_set_until=None)
    assert _term(act, TermKind.PROTEST_CONSIDERATION).fixed_due is None
    with pytest.raises(RuleViolation) as refusal:  # delivered Monday: Wednesday is 2 days
        terms.check_set_due(TermKind.PROTEST_CONSIDERATION, DELIVERED, date(2026, 11, 4))
    assert refusal.value.code == "term_below_minimum"
    terms.check_set_due(TermKind.PROTEST_CONSIDERATION, DELIVERED, date(2026, 11, 5))


@pytest.mark.parametrize(
    "kind",
    [
        ProtestedActKind.LEGISLATIVE,
        ProtestedActKind.PRESIDENT,
        ProtestedActKind.PRESIDENTIAL_ADMINISTRATION,
        ProtestedActKind.CONSTITUTIONAL_COURT,
        ProtestedActKind.AUDIT_CHAMBER,
    ],
)
def test_a_law_and_the_acts_of_art_33_6_cannot_be_protested(ac, kind):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, ActKind.PROTEST, protested_act_kind=kind)
    assert refusal.value.article == "Art. 33(6)"
    assert refusal.value.code == "unprotestable"
    act = drafted(ac, ActKind.PROTEST)
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.filter(pk=act.pk).update(protested_act_kind=kind)


def test_the_body_tells_the_time_and_place_and_the_prosecutor_hears_art_33_3(ac):
    act = delivered(ac, ActKind.PROTEST)
    at = datetime(2026, 11, 10, 15, 0, tzinfo=ALMATY)
    act = acts.record_consideration(
        act, by=ac.prosecutor, at=at, place="Akimat, room 2", on=DELIVERED
    )
    assert act.state == ActState.UNDER_CONSIDERATION
    event = act.events.get(kind=ActEventKind.CONSIDERATION_SET)
    assert event.data["place"] == "Akimat, room 2"
    notice = Notice.objects.filter(kind=NoticeKind.ACT_CONSIDERATION_SET).first()
    assert notice is not None and notice.recipient == ac.prosecutor


def test_a_protest_is_withdrawn_before_consideration_by_its_author_or_a_superior_art_33_3(ac):
    act = delivered(ac, ActKind.PROTEST)
    with pytest.raises(RuleViolation) as refusal:
        acts.withdraw_act(act, by=ac.colleague, reason="x", on=DELIVERED)
    assert refusal.value.article == "Art. 33(3)"
    act = acts.withdraw_act(act, by=ac.regional_head, reason="Settled", on=DELIVERED)
    assert act.state == ActState.WITHDRAWN
    assert _term(act, TermKind.PROTEST_CONSIDERATION).state == TermState.CANCELLED
    mine = delivered(ac, ActKind.PROTEST)
    assert acts.withdraw_act(mine, by=ac.prosecutor, reason="Settled").state == "withdrawn"


def test_a_protest_is_not_withdrawn_after_its_consideration_art_33_3(ac, clock):
    act = delivered(ac, ActKind.PROTEST)
    past = datetime(2026, 11, 5, 10, 0, tzinfo=ALMATY)
    act = acts.record_consideration(act, by=ac.prosecutor, at=past, place="Akimat", on=DELIVERED)
    clock.move_to("2026-11-06 09:00 +05:00")
    with pytest.raises(RuleViolation) as refusal:
        acts.withdraw_act(act, by=ac.prosecutor, reason="Too late")
    assert refusal.value.article == "Art. 33(3)"


def test_the_protested_act_is_suspended_by_a_head_until_decided_art_33_5(ac):
    act = delivered(ac, ActKind.PROTEST)
    with pytest.raises(RuleViolation) as refusal:
        acts.suspend_protested_act(act, by=ac.prosecutor, reason="Harm", on=DELIVERED)
    assert refusal.value.article == "Art. 33(5)"
    act = acts.suspend_protested_act(act, by=ac.head, reason="Harm", on=DELIVERED)
    assert act.protested_act_suspended_on == DELIVERED
    assert act.events.filter(kind=ActEventKind.PROTESTED_ACT_SUSPENDED).exists()


def test_a_protests_result_is_reported_at_once_and_the_limitation_runs_again_art_32_4(ac, clock):
    """Art. 33(3): the result reported at once in writing; Art. 32(4): the limitation period
    stood still from the delivery until the decision."""
    act = delivered(ac, ActKind.PROTEST)
    assert act.limitation_suspended_on == DELIVERED and act.limitation_resumes_on is None
    decided_on = date(2026, 11, 9)
    clock.move_to("2026-11-09 12:00 +05:00")
    act = acts.decide_act(
        act,
        by=ac.prosecutor,
        outcome=ActState.SATISFIED,
        decision="Decision No. 5 cancelled",
        measures_taken="Official reprimanded",
        persons_liable=1,
        on=decided_on,
    )
    assert (act.decided_on, act.result_reported_on) == (decided_on, decided_on)
    assert act.limitation_resumes_on == decided_on
    term = _term(act, TermKind.PROTEST_CONSIDERATION)
    assert (term.state, term.met_on) == (TermState.MET, decided_on)


def test_an_organisational_act_does_not_touch_the_limitation_period_art_32_4(ac):
    act = drafted(ac, ActKind.ORDER)
    act = acts.deliver_act(acts.sign_act(act, by=ac.head, on=DELIVERED), by=ac.head, on=DELIVERED)
    assert act.limitation_suspended_on is None


# --- submission (Art. 36) -----------------------------------------------------------------------


def test_a_submission_is_considered_in_30_calendar_days_and_told_3_working_days_before_art_36_2(
    ac,
):
    act = delivered(ac)
    consideration = _term(act, TermKind.SUBMISSION_CONSIDERATION)
    assert consideration.due_date == date(2026, 12, 2)
    notice = _term(act, TermKind.SUBMISSION_CONSIDERATION_NOTICE)
    assert notice.due_date == workdays.add_working_days(date(2026, 12, 2), -3)
    assert notice.legal_basis == "Art. 36(2)"


def test_a_submissions_own_term_without_the_urgency_reason_is_refused_art_36_2(ac):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, term_set_until=date(2026, 11, 20))
    assert refusal.value.code == "reason_required"
    assert refusal.value.article == "Art. 36(2)"


def test_a_submissions_own_term_beyond_30_days_is_refused_art_36_2(ac):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, term_set_until=date(2027, 3, 1), urgency_reason="Roof collapsing")
    assert refusal.value.code == "term_above_maximum"


def test_a_shorter_submission_term_with_its_reason_is_kept_art_36_2(ac):
    act = delivered(ac, term_set_until=date(2026, 11, 10), urgency_reason="Roof collapsing")
    term = _term(act, TermKind.SUBMISSION_CONSIDERATION)
    assert term.due_date == date(2026, 11, 10)
    assert "Roof collapsing" in term.events.get(kind="opened").reason


def test_a_submissions_results_are_reported_within_3_working_days_art_36_2(ac, clock):
    act = delivered(ac)
    at = datetime(2026, 11, 20, 11, 0, tzinfo=ALMATY)
    act = acts.record_consideration(act, by=ac.prosecutor, at=at, place="Akimat", on=DELIVERED)
    assert _term(act, TermKind.SUBMISSION_CONSIDERATION_NOTICE).state == TermState.MET
    clock.move_to("2026-11-24 12:00 +05:00")
    act = acts.decide_act(
        act, by=ac.prosecutor, outcome=ActState.PARTLY_SATISFIED, decision="Partly", on=at.date()
    )
    results = _term(act, TermKind.SUBMISSION_RESULTS)
    assert results.due_date == date(2026, 11, 25)
    assert act.result_reported_on is None
    act = acts.report_result(
        act,
        by=ac.prosecutor,
        measures_taken="Two officials reprimanded",
        persons_liable=2,
        on=date(2026, 11, 24),
    )
    results.refresh_from_db()
    assert (results.state, act.persons_liable) == (TermState.MET, 2)


def test_a_notice_of_consideration_given_late_is_recorded_as_such_art_36_2(ac):
    act = delivered(ac)
    at = datetime(2026, 11, 4, 11, 0, tzinfo=ALMATY)  # two working days after
    act = acts.record_consideration(act, by=ac.prosecutor, at=at, place="Akimat", on=DELIVERED)
    assert act.events.get(kind=ActEventKind.CONSIDERATION_SET).data["told_late"] is True


# --- resolution (Art. 37) and sanction (Art. 34) ------------------------------------------------


def test_a_resolution_is_executed_within_the_term_it_sets_art_37_2(ac):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, ActKind.RESOLUTION, term_set_until=None)
    assert refusal.value.article == "Art. 37(2)"
    act = delivered(ac, ActKind.RESOLUTION, term_set_until=date(2026, 12, 30))
    term = _term(act, TermKind.SET_BY_PROSECUTOR)
    assert term.due_date == date(2026, 12, 30)


def test_a_resolution_suspends_an_act_for_at_most_3_working_days_art_37_1_9(ac):
    """Monday 2 November 2026 + 4 working days is Friday 6 November: refused."""
    four, three = date(2026, 11, 6), date(2026, 11, 5)
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, ActKind.RESOLUTION, suspends_act_until=four)
    assert refusal.value.article == "Art. 37(1)(9)"
    assert refusal.value.code == "term_above_maximum"
    assert drafted(ac, ActKind.RESOLUTION, suspends_act_until=three).suspends_act_until == three


def test_a_refused_sanction_states_its_reasons_art_34_2(ac):
    with pytest.raises(RuleViolation) as refusal:
        drafted(ac, ActKind.SANCTION, sanction_decision=SanctionDecision.REFUSED)
    assert refusal.value.article == "Art. 34(2)"
    act = signed(
        ac,
        ActKind.SANCTION,
        sanction_decision=SanctionDecision.REFUSED,
        sanction_refusal_reasons="The materials do not justify a search",
    )
    assert act.events.get(kind=ActEventKind.SANCTION_DECIDED).data["decision"] == "refused"
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.filter(pk=act.pk).update(sanction_refusal_reasons="")


# --- claim to court (Art. 39(2)) ----------------------------------------------------------------


def test_a_rejected_protest_is_followed_by_a_claim_to_court_art_39_2(ac):
    act = delivered(ac, ActKind.PROTEST)
    with pytest.raises(RuleViolation):
        acts.bring_claim(act, by=ac.prosecutor, court="Court No. 2", demand="Declare illegal")
    act = acts.decide_act(
        act, by=ac.prosecutor, outcome=ActState.REJECTED, decision="Rejected", on=DELIVERED
    )
    claim = acts.bring_claim(act, by=ac.prosecutor, court="Court No. 2", demand="Declare illegal")
    assert (claim.kind, claim.basis_kind, claim.basis_act) == (ActKind.CLAIM, "act", act)
    assert claim.state == ActState.DRAFT and claim.addressee_kind == AddresseeKind.COURT
    assert act.events.filter(kind=ActEventKind.CLAIM_BROUGHT).exists()


def test_an_act_left_unconsidered_is_claimable_too_art_39_2(ac):
    act = delivered(ac)
    act = acts.decide_act(
        act, by=ac.prosecutor, outcome=ActState.UNCONSIDERED, decision="", on=DELIVERED
    )
    claim = acts.bring_claim(act, by=ac.prosecutor, court="Court", demand="Declare illegal")
    assert claim.basis_act == act


# --- the superior's powers (Art. 5(2), 43) -----------------------------------------------------


def test_a_superior_cancels_a_districts_act_and_its_clock_ends_art_43_3(ac):
    act = delivered(ac, ActKind.PROTEST)
    act = acts.superior_decision(
        act, by=ac.regional_head, decision="cancel", reason="The protest is unfounded"
    )
    assert act.state == ActState.CANCELLED
    assert _term(act, TermKind.PROTEST_CONSIDERATION).state == TermState.CANCELLED
    event = act.events.get(kind=ActEventKind.CANCELLED)
    assert (event.by, event.reason) == (ac.regional_head, "The protest is unfounded")
    notice = Notice.objects.get(kind=NoticeKind.ACT_SUPERIOR_DECISION)
    assert notice.recipient == ac.prosecutor


def test_a_superior_suspends_a_districts_protest_and_its_clock_stops_art_43_3(ac):
    act = delivered(ac, ActKind.PROTEST)
    act = acts.superior_decision(act, by=ac.regional_head, decision="suspend", reason="Review")
    assert act.state == ActState.SUSPENDED
    assert _term(act, TermKind.PROTEST_CONSIDERATION).state == TermState.SUSPENDED
    act = acts.lift_suspension(act, by=ac.regional_head, reason="Reviewed")
    assert act.state == ActState.DELIVERED
    assert _term(act, TermKind.PROTEST_CONSIDERATION).state == TermState.OPEN


def test_a_superior_amends_an_act_and_the_history_shows_it_art_43_3(ac):
    act = delivered(ac)
    act = acts.superior_decision(
        act, by=ac.regional_head, decision="amend", reason="Wording", amendment="Demand narrowed"
    )
    assert act.state == ActState.DELIVERED
    assert act.events.get(kind=ActEventKind.AMENDED).data["amendment"] == "Demand narrowed"


def test_only_a_superior_office_decides_on_an_act_art_5_2(ac, cast):
    act = delivered(ac)
    for who in (ac.head, cast.b_user, cast.other_user):  # its own head, a sibling, elsewhere
        with pytest.raises(RuleViolation):
            acts.superior_decision(act, by=who, decision="cancel", reason="x")
    with pytest.raises(RuleViolation) as refusal:
        acts.superior_decision(act, by=ac.regional_head, decision="revoke", reason=" ")
    assert refusal.value.article == "Art. 43(3)"


def test_a_complaint_links_to_the_act_and_does_not_suspend_it_art_43_2(ac, cast):
    act = delivered(ac, ActKind.PROTEST)
    complaint = complaint_against(ac, "Protest of the district prosecutor")
    act = acts.link_complaint(act, by=cast.region_user, appeal=complaint)
    complaint.refresh_from_db()
    assert complaint.complained_act_link == act
    assert complaint.complained_act == "Protest of the district prosecutor"
    assert act.state == ActState.DELIVERED
    assert _term(act, TermKind.PROTEST_CONSIDERATION).state == TermState.OPEN
    assert act.events.filter(kind=ActEventKind.COMPLAINED).exists()


def test_a_resolution_is_not_suspended_by_a_complaint_art_37_2(ac, cast):
    act = delivered(ac, ActKind.RESOLUTION)
    complaint = complaint_against(ac, "Resolution")
    act = acts.link_complaint(act, by=cast.region_user, appeal=complaint)
    assert _term(act, TermKind.SET_BY_PROSECUTOR).state == TermState.OPEN


def test_an_appeal_that_is_not_a_complaint_is_not_linked_art_25(ac, cast):
    act = delivered(ac)
    appeal, _code = register(cast)
    with pytest.raises(RuleViolation):
        acts.link_complaint(act, by=ac.prosecutor, appeal=appeal)


def test_the_history_is_audited(ac):
    act = delivered(ac)
    acts.decide_act(act, by=ac.prosecutor, outcome="partly_satisfied", decision="Partly")
    log = sealed_audit_log().filter(target_type="acts.act", target_id=str(act.pk))
    actions = set(log.values_list("action", flat=True))
    assert {"act.drafted", "act.signed", "act.delivered", "act.decided"} <= actions
    decided = log.get(action="act.decided")
    assert decided.outcome == "ok"  # the record's outcome, not the addressee's decision
    assert decided.details["decided"] == "partly_satisfied"


def test_a_draft_is_corrected_and_a_signed_act_never(ac):
    act = drafted(ac)
    act = acts.correct_draft(act, by=ac.prosecutor, draft=draft(demand="New demand"))
    assert act.demand == "New demand"
    acts.sign_act(act, by=ac.prosecutor, on=DELIVERED)
    with pytest.raises(RuleViolation):
        acts.correct_draft(act, by=ac.prosecutor, draft=draft(demand="Later"))


def test_the_dashboard_rolls_up_the_terms_of_acts_by_kind_art_33_3_36_2(ac):
    """The dashboard counts every open term (legal_statistics/selectors.py): a protest's and a
    submission's clocks appear in its rows by kind, with their labels."""
    from legal_statistics import selectors as dashboard
    from legal_statistics.bands import Horizon

    delivered(ac, ActKind.PROTEST)
    delivered(ac)
    filters = dashboard.DashboardFilters()
    _totals, _rows, kinds = dashboard.rollup(
        ac.regional_head, ac.cast.region, filters, Horizon.on(DELIVERED)
    )
    labels = {row.kind: row.label for row in kinds}
    assert {"protest_consideration", "submission_consideration"} <= set(labels)
    assert "submission_consideration_notice" in labels
    assert labels["protest_consideration"] == str(TermKind.PROTEST_CONSIDERATION.label)
