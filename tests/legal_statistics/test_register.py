"""The register of legality checks (legal_statistics/services.py): registration officers register
resolutions under gapless numbers of the year, or refuse them with reasons (Art. 18(4), 19(1))."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from legal_statistics import register as register_reads
from legal_statistics import services as register
from legal_statistics.models import Registration, RegistrationState
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office, Position
from supervision import services as checks
from supervision.models import Check, CheckEventKind, CheckState
from tests.check_helpers import (
    CheckCast,
    appointed,
)
from tests.conftest import Cast, make_staff

pytestmark = pytest.mark.django_db


def _sent(cc, **changes) -> Registration:
    return checks.send_for_registration(appointed(cc, **changes), by=cc.head)


def test_an_officer_registers_under_the_next_number_of_the_year_art_18_4(cc):
    year = timezone.localdate().year
    entries = [_sent(cc, resolution_number=f"15-01/{n}") for n in range(3)]
    for entry in entries:
        register.register_check(entry, by=cc.officer)
    numbers = list(Registration.objects.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    first = Registration.objects.get(number=1)
    assert first.reference == f"{year}-000001"
    assert (first.decided_by, first.year) == (cc.officer, year)
    check = first.legality_check
    assert (check.state, check.registration) == (CheckState.REGISTERED, first)
    assert check.events.filter(kind=CheckEventKind.REGISTERED).exists()


@pytest.mark.parametrize("who", ["head", "inspector", "pg", "none"])
def test_only_a_registration_officer_registers_art_18_4(cc, who):
    entry = _sent(cc)
    person = {"head": cc.head, "inspector": cc.inspector, "pg": cc.pg, "none": None}[who]
    with pytest.raises(RuleViolation) as refusal:
        register.register_check(entry, by=person)
    assert refusal.value.code == "forbidden"
    assert Registration.objects.get().state == RegistrationState.PENDING


def test_an_officer_of_a_regional_department_registers_the_checks_of_the_region(cc, cast):
    regional = make_staff("stat_akmola", cast.region, Position.LEGAL_STATISTICS_OFFICER)
    elsewhere = make_staff("stat_pavlodar", cast.other_region, Position.LEGAL_STATISTICS_OFFICER)
    entry = _sent(cc)
    with pytest.raises(RuleViolation):
        register.register_check(entry, by=elsewhere)
    assert register.register_check(entry, by=regional).state == RegistrationState.REGISTERED


def test_a_classified_resolution_is_registered_only_by_a_cleared_officer(cc):
    cleared = make_staff(
        "stat_cleared",
        Office.objects.get(code="KPSSU"),
        Position.LEGAL_STATISTICS_OFFICER,
        has_clearance=True,
    )
    for inspector in (cc.inspector, cc.head):
        profile = inspector.staff_profile
        profile.has_clearance = True
        profile.save()
    entry = _sent(cc, is_classified=True)
    with pytest.raises(RuleViolation):
        register.register_check(entry, by=cc.officer)
    assert list(register_reads.register_queue(cc.officer)) == []
    assert list(register_reads.register_queue(cleared)) == [entry]
    register.register_check(entry, by=cleared)


def test_a_refusal_gives_reasons_and_is_decided_once_art_18_4(cc):
    entry = _sent(cc)
    with pytest.raises(RuleViolation):
        register.refuse_registration(entry, by=cc.officer, reason="  ")
    register.refuse_registration(entry, by=cc.officer, reason="No ground stated")
    with pytest.raises(RuleViolation) as refusal:
        register.register_check(entry, by=cc.officer_2)
    assert refusal.value.code == "already_decided"
    check = Check.objects.get()
    assert check.state == CheckState.REGISTRATION_REFUSED
    assert check.registration is None


def test_a_registered_resolution_is_not_registered_twice(cc):
    entry = _sent(cc)
    register.register_check(entry, by=cc.officer)
    with pytest.raises(RuleViolation):
        register.register_check(entry, by=cc.officer_2)
    assert Registration.objects.filter(number__isnull=False).count() == 1


def test_the_queue_shows_what_waits_oldest_first(cc, cast):
    first, second = _sent(cc, resolution_number="1"), _sent(cc, resolution_number="2")
    decided = _sent(cc, resolution_number="3")
    register.register_check(decided, by=cc.officer)
    assert list(register_reads.register_queue(cc.officer)) == [first, second]
    # Staff of the appointing district see their entries, staff elsewhere nothing.
    assert set(register_reads.in_register(cast.a_user)) == {first, second, decided}
    assert list(register_reads.in_register(cast.other_user)) == []


def test_a_page_of_the_queue_holds_the_same_entries_in_the_same_order(
    cc, django_assert_max_num_queries
):
    """The two-step page (register_queue_page: the ids, then the entries) shows what the
    queue's own order puts on that page, with what each entry shows loaded at once."""
    waiting = [_sent(cc, resolution_number=str(n)) for n in range(5)]
    register.register_check(waiting.pop(1), by=cc.officer)
    with django_assert_max_num_queries(4):  # the profile, the count, the ids, the entries
        page = register_reads.register_queue_page(cc.officer, "2", per_page=3)
        shown = [(e.legality_check.office.code, e.sent_by) for e in page.object_list]
    assert page.number == 2 and page.paginator.count == 4
    assert list(page.object_list) == waiting[3:]
    assert shown == [(cc.cast.district_a.code, cc.head)]
    assert list(register_reads.register_queue_page(cc.officer, "x", per_page=3)) == waiting[:3]


def test_the_database_keeps_numbers_unique_in_a_year(cc):
    entry = _sent(cc)
    entry = register.register_check(entry, by=cc.officer)
    other = _sent(cc, resolution_number="99")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=other.pk).update(year=entry.year, number=entry.number)


def test_the_database_keeps_one_live_entry_per_check(cc):
    entry = _sent(cc)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            legality_check=entry.legality_check,
            office=entry.office,
            check_office=entry.check_office,
        )


# --- PostgreSQL: the races ----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_50_concurrent_registrations_get_50_gapless_numbers(reference_data):
    from tests.integration.test_postgres import run_at_once

    cc = CheckCast(Cast())
    entries = [_sent(cc, resolution_number=f"R-{n}") for n in range(50)]
    pending = iter(entries)

    def register_one():
        register.register_check(next(pending), by=cc.officer)

    outcomes = run_at_once(50, register_one, (RuleViolation,))
    assert outcomes.count("done") == 50, outcomes
    numbers = sorted(Registration.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 51))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_registering_one_resolution_at_once_register_it_once(reference_data):
    from tests.integration.test_postgres import run_at_once

    cc = CheckCast(Cast())
    entry = _sent(cc)
    officers = iter([cc.officer, cc.officer_2])

    def register_it():
        register.register_check(entry, by=next(officers))

    outcomes = run_at_once(2, register_it, (RuleViolation,))
    assert sorted(outcomes) == ["done", "refused"]
    assert Registration.objects.get().number == 1
    assert Check.objects.get().events.filter(kind=CheckEventKind.REGISTERED).count() == 1


def test_a_resolution_dated_in_the_future_is_refused(cc):
    with pytest.raises(RuleViolation):
        appointed(cc, resolution_date=date(2999, 1, 1))


def test_the_inspectors_hear_of_the_registration_and_the_sender_of_a_refusal(cc):
    from prosecution.models import Notice, NoticeKind
    from prosecution.notices import outbox

    register.register_check(_sent(cc), by=cc.officer)
    told = Notice.objects.get(kind=NoticeKind.CHECK_REGISTERED)
    assert told.recipient == cc.inspector
    title, body = outbox.render(told)
    assert told.context["number"] in title and "/checks/" in body
    register.refuse_registration(_sent(cc, resolution_number="9"), by=cc.officer, reason="No date")
    refused = Notice.objects.get(kind=NoticeKind.CHECK_REGISTRATION_REFUSED)
    assert refused.recipient == cc.head
    assert "No date" in outbox.render(refused)[1]


def test_a_classified_checks_notices_name_neither_its_subject_nor_the_reasons(cc):
    """docs/rules.md "Secrecy": e-mail and the bell are not cleared channels, so a notice about a
    classified check says what happened to which resolution, and the rest is in the system (as a
    classified term's notice does)."""
    from prosecution.models import Notice, NoticeKind
    from prosecution.notices import outbox

    for person in (cc.head, cc.inspector, cc.officer):
        person.staff_profile.has_clearance = True
        person.staff_profile.save()
    register.register_check(_sent(cc, is_classified=True), by=cc.officer)
    title, body = outbox.render(Notice.objects.get(kind=NoticeKind.CHECK_REGISTERED))
    assert "Kokshetau Water" not in title + body and "15-01/7" in body
    entry = _sent(cc, is_classified=True, resolution_number="9")
    register.refuse_registration(entry, by=cc.officer, reason="No date of the instruction")
    refused = Notice.objects.get(kind=NoticeKind.CHECK_REGISTRATION_REFUSED)
    title, body = outbox.render(refused)
    assert "Kokshetau Water" not in body and "No date of the instruction" not in body
    assert refused.context["classified"] and "9" in body
