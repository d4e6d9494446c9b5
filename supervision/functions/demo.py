"""Demo analyses, assessments, requests and summonses for `make run`, in the office of the demo
checks (supervision/demo.py: Esil District of Astana), made through the services as staff would
make them: an analysis under way and one overdue, an assessment completed; requests awaiting an
answer, overdue, answered, and one demanded immediately; a summons notified by SMS (its delivery
status is the outbox's), one by registered mail, and one whose forced delivery was refused at
night (Art. 26(13)). Idempotent: an office that has them is left alone."""

import contextlib
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from prosecution import workdays
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office, Position, StaffProfile
from supervision.demo import INSPECTOR, OFFICE
from supervision.functions import requests, studies, summons
from supervision.models import (
    AddresseeKind,
    RecommendedResponse,
    Study,
    StudyKind,
    Summons,
    SummonsChannel,
    SummonsState,
)

BIN = "120540012342"


@transaction.atomic
def seed_demo_functions() -> int:
    """The demo records; 0 if the demo checks' office and people are not there, or it has some."""
    office = Office.objects.filter(code=OFFICE).first()
    inspector = get_user_model().objects.filter(username=INSPECTOR).first()
    head_profile = (
        StaffProfile.objects.filter(office=office, position=Position.HEAD, is_active=True)
        .select_related("user")
        .first()
    )
    if office is None or inspector is None or head_profile is None:
        return 0  # supervision.demo.seed_demo_checks comes first
    if Study.objects.filter(office=office).exists():
        return 0
    head = head_profile.user
    today = timezone.localdate()

    def ago(n: int):  # type: ignore[no-untyped-def]
        return workdays.add_working_days(today, -n)

    def ahead(n: int):  # type: ignore[no-untyped-def]
        return workdays.add_working_days(today, n)

    made = 0
    # Analyses and assessments (Art. 20, 21).
    for kind, topic, started, due in [
        (StudyKind.ANALYSIS, "Legality of utility tariffs in the district", ago(5), ahead(10)),
        (StudyKind.ANALYSIS, "Observance of pupils' right to free meals", ago(25), ago(3)),
        (StudyKind.ASSESSMENT, "Decisions of the district akimat on land, 2025", ago(20), ago(2)),
    ]:
        opened = studies.open_study(
            by=head,
            kind=kind,
            topic=topic,
            scope="Statistics of the legal statistics committee; appeals; media reports",
            responsible=inspector,
            due=due,
            started_on=started,
        )
        made += 1
        if kind == StudyKind.ASSESSMENT:
            studies.complete_study(
                opened,
                by=inspector,
                findings="Two decisions allot land without an auction.",
                recommended_response=RecommendedResponse.PROTEST,
                on=ago(4),
            )
    # Requests for information (Art. 26(3)-(4)).
    for name, sent, due, road in [
        ("Akimat of Esil district", ago(1), ahead(4), "open"),
        ("Astana Su Arnasy LLP", ago(10), ago(6), "overdue"),
        ("Department of education of Astana", ago(12), ago(7), "answered"),
        ("Astana Heat JSC", ago(2), ago(2), "urgent"),
    ]:
        sent_request = requests.send_request(
            by=inspector,
            addressee_kind=AddresseeKind.BODY,
            addressee_name=name,
            addressee_number=BIN,
            matter="Tariffs and the quality of public services",
            requested="The decisions, contracts and complaints of 2025",
            due=due,
            sent_on=sent,
            is_urgent=road == "urgent",
            urgent_reason="Heating off in two schools at -25 °C" if road == "urgent" else "",
        )
        made += 1
        if road in ("answered", "urgent"):
            requests.record_answer(
                sent_request,
                by=inspector,
                answered_on=sent if road == "urgent" else ago(8),
                answer="The documents are attached to the letter.",
            )
    made += _summonses(inspector, head)
    return made


def _summonses(inspector, head) -> int:  # type: ignore[no-untyped-def]
    tomorrow = timezone.localdate() + timedelta(days=1)
    at_ten = timezone.make_aware(datetime.combine(tomorrow, time(10, 0)))
    notified = summons.issue_summons(
        by=inspector,
        person_name="Серік Ахметов",
        phone="+7 701 234 56 78",
        email="serik.akhmetov@example.kz",
        appear_at=at_ten,
        place="Esil district prosecutor's office, room 12",
        purpose="Explanations on the tariffs charged to residents",
    )
    summons.notify_summons(notified, by=inspector, channel=SummonsChannel.SMS)
    by_mail = summons.issue_summons(
        by=inspector,
        person_name="Гүлнар Омарова",
        appear_at=at_ten + timedelta(hours=2),
        place="Esil district prosecutor's office, room 12",
        purpose="Explanations as director of the school canteen",
    )
    letter = summons.notify_summons(
        by_mail,
        by=inspector,
        channel=SummonsChannel.REGISTERED_MAIL,
        address="Astana, Kenesary st. 40, apt. 5",
    )
    summons.record_delivery(letter, by=inspector, delivered=True, note="Notice of delivery back")
    absent = summons.issue_summons(
        by=inspector,
        person_name="Ерлан Жақсыбеков",
        birth_date=date(tomorrow.year - 40, 1, 15),
        phone="+7 702 111 22 33",
        appear_at=at_ten,
        place="Esil district prosecutor's office, room 12",
        purpose="Explanations as director of Astana Heat JSC",
    )
    summons.notify_summons(absent, by=inspector, channel=SummonsChannel.PHONE)
    # The demo's past: the time to appear has gone by (a service only summons to a time to come).
    Summons.objects.filter(pk=absent.pk).update(appear_at=timezone.now() - timedelta(days=2))
    summons.record_appearance(absent, by=inspector, outcome=SummonsState.NOT_APPEARED)
    # Art. 26(13): refused at night, and kept so on the summons' page.
    with contextlib.suppress(RuleViolation):
        summons.order_forced_delivery(
            absent,
            by=head,
            deliver_at=timezone.make_aware(datetime.combine(tomorrow, time(23, 0))),
            reason="Did not appear without a valid reason; his explanations are needed.",
            executing_body="Esil district police department of Astana",
        )
    return 3
