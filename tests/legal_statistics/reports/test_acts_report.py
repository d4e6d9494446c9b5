"""The acts report (legal_statistics/reports/acts.py): acts brought by kind, the addressees'
decisions, in time and late (Art. 33(3), 36(2)), the superior's decisions (Art. 43(3)) and
publication (Art. 42), against acts made by the test; the scope and secrecy of the viewer; and
the rule that every figure's list holds as many acts as the figure says."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from acts import publication
from acts import services as acts
from acts.models import ActKind, ActState
from legal_statistics import reports
from legal_statistics.reports import periods, tallies
from prosecution.models import StaffProfile, Term
from tests.act_helpers import ActCast, delivered, signed
from tests.conftest import last_audit_record

pytestmark = pytest.mark.django_db

REPORT = reports.get("acts")
Q4 = periods.parse("2026-Q4")


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    """Overrides the appeals' clock of conftest.py: the acts' decisions come later."""
    with time_machine.travel("2027-01-20 10:00 +05:00", tick=False):
        yield


def _due(act):
    return Term.objects.get(subject_id=act.pk, kind__in=reports.acts.CONSIDERATION_TERMS).due_date


def _decided(ac, kind, outcome, decision, on=None):
    """A delivered act decided by its addressee on `on` (by default the day after its due date:
    late)."""
    act = delivered(ac, kind)
    on = on or _due(act) + timedelta(days=1)
    acts.decide_act(act, by=ac.prosecutor, outcome=outcome, decision=decision, on=on)
    return act


@pytest.fixture
def made(cast):
    ac = ActCast(cast)
    satisfied = _decided(ac, ActKind.PROTEST, ActState.SATISFIED, "Отменено", date(2026, 11, 9))
    rejected = _decided(ac, ActKind.PROTEST, ActState.REJECTED, "Отклонено", date(2026, 11, 5))
    late = _decided(ac, ActKind.SUBMISSION, ActState.PARTLY_SATISFIED, "Частично")
    cancelled = delivered(ac, ActKind.PROTEST)
    acts.superior_decision(
        cancelled,
        by=ac.regional_head,
        decision="cancel",
        reason="Необоснован",
        on=date(2026, 11, 12),
    )
    warning = signed(ac, ActKind.WARNING)
    secret = signed(ac, ActKind.SUBMISSION)
    # Classified by a save (a queryset's update() would pass the report's tallies by).
    secret.is_classified = True
    secret.save(update_fields=["is_classified"])
    published = publication.publish_act(satisfied, by=ac.prosecutor, on_violation_of_rights=True)
    return locals()


def _figures(user, office, period=Q4) -> dict[str, tuple[int, int]]:
    return {row.figure.key: (row.current, row.before) for row in REPORT.rows(user, office, period)}


def _pks(user, office, key, period=Q4) -> set[int]:
    records = REPORT.records(REPORT.figure(key), user, office, period)
    return set(records.values_list("pk", flat=True))


def test_acts_brought_by_kind(cast, made):
    got = _figures(cast.region_user, cast.region)
    assert got["brought"] == (5, 0)  # the classified one is not the region's to see
    assert got["brought-protest"] == (3, 0)
    assert got["brought-submission"] == (1, 0)
    assert got["brought-warning"] == (1, 0)


def test_a_classified_act_counts_for_the_cleared_only(cast, made):
    """docs/rules.md "Secrecy": the report shows what the viewer may see, no more."""
    assert made["secret"].pk not in _pks(cast.a_user, cast.district_a, "brought-submission")
    StaffProfile.objects.filter(user=cast.a_user).update(has_clearance=True)
    cleared = get_user_model().objects.get(pk=cast.a_user.pk)  # its profile read afresh
    assert made["secret"].pk in _pks(cleared, cast.district_a, "brought-submission")


def test_counted_ahead_the_classified_act_counts_for_the_cleared_only(cast, made):
    """docs/rules.md "Secrecy", from the report's tallies (tallies.py): the classified act's count
    is kept apart and added for a reader cleared to see it; the tallies equal a count afresh."""
    assert tallies.differences(REPORT) == {}
    assert tallies.reading(REPORT, cast.a_user, cast.district_a, (Q4,)) is not None
    plain = _figures(cast.a_user, cast.district_a)["brought-submission"]
    StaffProfile.objects.filter(user=cast.a_user).update(has_clearance=True)
    cleared = get_user_model().objects.get(pk=cast.a_user.pk)  # its profile read afresh
    assert _figures(cleared, cast.district_a)["brought-submission"] == (plain[0] + 1, plain[1])
    listed = REPORT.records(REPORT.figure("brought-submission"), cleared, cast.district_a, Q4)
    assert listed.count() == plain[0] + 1


def test_the_addressees_decisions_by_kind(cast, made):
    got = _figures(cast.region_user, cast.region)
    assert got["satisfied"] == got["satisfied-protest"] == (1, 0)
    assert got["rejected-protest"] == (1, 0)
    assert got["partly_satisfied-submission"] == (1, 0)
    assert got["satisfied-submission"] == (0, 0)


def test_considered_in_time_and_late_art_33_3_and_36_2(cast, made):
    region = cast.region_user, cast.region
    assert _pks(*region, "in-time") == {made["satisfied"].pk, made["rejected"].pk}
    assert _pks(*region, "late") == {made["late"].pk}


def test_cancelled_by_a_superior_art_43_3_and_published_art_42(cast, made):
    region = cast.region_user, cast.region
    assert _pks(*region, "superior-cancelled") == {made["cancelled"].pk}
    assert _figures(*region)["superior-suspended"] == (0, 0)
    # Published today, 20 January 2027: in January's report, not in the fourth quarter's.
    assert _figures(*region)["published"] == (0, 0)
    january = periods.parse("2027-01")
    assert _pks(*region, "published", january) == {made["satisfied"].pk}


def test_outside_the_scope_nothing(cast, made):
    assert _figures(cast.b_user, cast.district_b)["brought"] == (0, 0)


def test_every_figure_is_a_door_its_list_holds_as_many_acts(cast, made):
    for user, office in ((cast.region_user, cast.region), (cast.a_user, cast.district_a)):
        for period in (Q4, periods.parse("2027-01"), periods.parse("2026")):
            for row in REPORT.rows(user, office, period):
                listed = list(REPORT.records(row.figure, user, office, period))
                assert len(listed) == row.current, (row.figure.key, period)


def test_the_page_and_the_api_list_the_acts_and_record_a_classified_read(client, cast, made):
    """docs/security.md: a classified record shown is recorded, on a page or through the API."""
    StaffProfile.objects.filter(user=cast.a_user).update(has_clearance=True)
    client.force_login(cast.a_user)
    query = "?period=2026-Q4"
    page = client.get(reverse("report-figure", args=["acts", "brought-submission"]) + query)
    assert page.status_code == 200 and page.context["page"].paginator.count == 2
    html = page.content.decode()
    assert reverse("act-detail", kwargs={"uuid": made["secret"].uuid}) in html
    assert last_audit_record("classified.read").details["where"] == "reports"
    api = client.get(reverse("api-report-figure", args=["acts", "brought-submission"]) + query)
    assert api.json()["count"] == 2
    assert last_audit_record("classified.read").details["where"] == "api_reports"
    table = client.get(reverse("reports") + query + "&report=acts")
    assert table.status_code == 200 and 'data-figure="superior-cancelled"' in table.content.decode()
