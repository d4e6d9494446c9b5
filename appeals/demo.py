"""Demo appeals for `make run`: in every demo district, appeals in every state, some overdue, so
that the queues, the dashboard and the citizen's status page show a living system. Made through
the services, as staff would make them. Idempotent: an office that has appeals is left alone."""

import itertools
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appeals import letters, services
from appeals.models import Appeal, Channel, ExtensionGround
from appeals.services.answer import current_letter
from prosecution import workdays
from prosecution.models import Office, Position, StaffProfile
from supervision import services as checks
from supervision.models import Check, CheckGround, SubjectKind

DEMO_BIN = "120540012342"  # a valid BIN (its check digit holds)

PEOPLE = [
    ("Серикбаева", "Айгерим", "900101300126"),
    ("Омаров", "Канат", "850615400705"),
    ("Жаксылыков", "Болат", ""),
    ("Ким", "Ольга", ""),
    ("Smith", "John", ""),
]
MATTERS = [
    ("Невыплата заработной платы", "Работодатель третий месяц не выплачивает заработную плату."),
    ("Жер телімі", "Әкімдік жер телімін заңсыз алып қойды."),
    ("Бездействие полиции", "Заявление о краже не зарегистрировано участковым."),
    ("Коммунальные тарифы", "Тариф на отопление повышен без публичных слушаний."),
    ("Пособие на ребёнка", "Отказ в назначении пособия без объяснения причин."),
    ("Unlawful inspection of a business", "Officials inspect the shop every week without grounds."),
]
# What becomes of each appeal of an office: (working days since receipt, the road it takes).
ROADS = [
    (2, "registered"),
    (6, "in_work"),
    (18, "in_work"),  # overdue: 15 working days passed
    (14, "in_work"),  # due within 3 working days
    (12, "extended"),
    (9, "on_check"),
    (20, "answered"),
    (10, "redirected"),
    (4, "anonymous"),
]


def seed_demo_appeals(limit_offices: int | None = None) -> int:
    """Appeals in every demo district (or the first `limit_offices`; settings.DEMO_APPEAL_OFFICES
    lets the tests keep it small)."""
    limit_offices = limit_offices or getattr(settings, "DEMO_APPEAL_OFFICES", None)
    offices = Office.objects.filter(kind__in=["city", "inter_district", "district"]).order_by(
        "path"
    )
    heads = {
        p.office_id: p.user
        for p in StaffProfile.objects.filter(position=Position.HEAD, is_active=True)
    }
    made = 0
    people = itertools.cycle(PEOPLE)
    matters = itertools.cycle(MATTERS)
    for n, office in enumerate(offices[:limit_offices] if limit_offices else offices):
        head = heads.get(office.pk)
        if head is None or Appeal.objects.filter(office=office).exists():
            continue
        for days, road in ROADS:
            _make(office, head, days, road, next(people), next(matters), letter=n < 4)
            made += 1
    return made


def _check_on(appeal: Appeal, head) -> Check:
    """The resolution appointing a check on the appeal, signed by the head of the district, who
    checks it himself (supervision/demo.py has checks in every state)."""
    today = timezone.localdate()
    return checks.appoint_check(
        by=head,
        resolution=checks.Resolution(
            resolution_number=f"{appeal.office.code}-CHK-{appeal.number}",
            resolution_date=today,
            subject_kind=SubjectKind.ORGANISATION,
            subject_number=DEMO_BIN,
            subject_name="ТОО «Демо»",
            subject_address=appeal.office.name,
            subject_matter=appeal.summary,
            period_from=date(today.year - 1, 1, 1),
            period_to=date(today.year - 1, 12, 31),
            inspectors=[head],
            ground=CheckGround.UNLIMITED_PERSONS,
        ),
    )


def _make(office, head, days, road, person, matter, *, letter: bool) -> Appeal:
    today = timezone.localdate()
    received = workdays.add_working_days(today, -days)
    last, first, iin = person
    applicants = (
        []
        if road == "anonymous"
        else [
            services.ApplicantData(
                iin=iin,
                last_name=last,
                first_name=first,
                email=f"{first.lower()}.demo@example.kz" if first.isascii() else "",
                phone="+77010000000",
                postal_address="",
            )
        ]
    )
    with transaction.atomic():
        appeal, _code = services.register_appeal(
            office=office,
            channel=Channel.WRITTEN if days % 2 else Channel.EGOV,
            received_on=received,
            language=_language(person, matter),
            summary=matter[0],
            text=matter[1],
            applicants=applicants,
            is_anonymous=road == "anonymous",
            by=head,
        )
        if road in ("registered", "anonymous"):
            return appeal
        services.assign_appeal(appeal, by=head, executor=head)
        if road == "extended":
            services.extend_appeal_term(
                appeal,
                by=head,
                until=workdays.add_working_days(received, 25),
                ground=ExtensionGround.OTHER_BODIES,
                reason="Запрошены сведения у акимата; ответ ожидается.",
            )
        elif road == "on_check":
            services.appoint_check(
                appeal,
                by=head,
                legality_check=_check_on(appeal, head),
                interim_reply="По Вашему обращению назначена проверка; о результатах сообщим.",
            )
        elif road == "redirected":
            services.redirect_appeal(
                appeal, by=head, to_body="Департамент полиции области", reason="Вопрос полиции"
            )
        elif road == "answered" and letter:
            services.decide_appeal(
                appeal,
                by=head,
                outcome="explained",
                answer_text="Разъяснён порядок обращения в суд за взысканием задолженности.",
                legislation="Трудовой кодекс Республики Казахстан, статья 113",
            )
    if road == "answered" and letter:
        _send_answer(appeal, head)
    return appeal


def _language(person, matter) -> str:
    return "en" if person[0] == "Smith" else ("kk" if matter[0].startswith("Жер") else "ru")


def _send_answer(appeal: Appeal, head, on: date | None = None) -> Appeal:
    """The decided appeal's letter built at once, not through the worker (the demo starts
    answered), and the answer sent by post on `on` (today by default)."""
    built = current_letter(appeal)
    assert built is not None  # the decision made it
    letters.build(built.pk)
    with transaction.atomic():
        return services.send_answer(appeal, by=head, method="post", on=on)


# Last year's appeals (seed_demo_history): what each office's month brings, (working days from the
# 5th of the month to the receipt, the road, working days from the receipt to the answer). An
# answer after 15 working days is late (Art. 24(3)): every LATE_EVERY-th month's; a redirection
# goes within 5 (Art. 24(1)).
HISTORY = [
    (0, "answered", 9),
    (3, "redirected", 3),
]
LATE_EVERY = 3  # every third month's answer goes after 18 working days: late
HISTORY_OUTCOMES = itertools.cycle(["satisfied", "explained", "partly", "refused"])


def seed_demo_history(limit_offices: int | None = None) -> int:
    """Appeals of every month of last year, all closed, in the districts that get letters in
    seed_demo_appeals (the first four, or settings.DEMO_HISTORY_OFFICES; 0 for none): so that the
    reports (issue 17) have a year before to set this year beside on a fresh demo, where every
    "change" was "—". Made through the services with the dates of then: the receipt, the answer
    sent, the redirection (each service takes its day); the answer letters are built here.
    Idempotent: an office with appeals of last year is left alone."""
    limit = getattr(settings, "DEMO_HISTORY_OFFICES", 4) if limit_offices is None else limit_offices
    year = timezone.localdate().year - 1
    offices = Office.objects.filter(kind__in=["city", "inter_district", "district"]).order_by(
        "path"
    )[:limit]
    heads = {
        p.office_id: p.user
        for p in StaffProfile.objects.filter(position=Position.HEAD, is_active=True)
    }
    made = 0
    people = itertools.cycle(PEOPLE)
    matters = itertools.cycle(MATTERS)
    for office in offices:
        head = heads.get(office.pk)
        if head is None or Appeal.objects.filter(office=office, received_on__year=year).exists():
            continue
        for month in range(1, 13):
            for shift, road, answered_after in HISTORY:
                first = workdays.next_working_day_on_or_after(date(year, month, 5))
                received = workdays.add_working_days(first, shift)
                if road == "answered" and month % LATE_EVERY == 0:
                    answered_after = 18
                _closed(office, head, received, road, answered_after, next(people), next(matters))
                made += 1
    return made


def _closed(office, head, received, road, answered_after, person, matter) -> Appeal:
    last, first, iin = person
    # Never after today: in early January, December's late answer would be still to come.
    closed_on = min(workdays.add_working_days(received, answered_after), timezone.localdate())
    with transaction.atomic():
        appeal, _code = services.register_appeal(
            office=office,
            channel=(Channel.WRITTEN, Channel.EGOV, Channel.EMAIL)[received.month % 3],
            received_on=received,
            language=_language(person, matter),
            summary=matter[0],
            text=matter[1],
            # No address to write to now: last year's applicants hear nothing from the demo.
            applicants=[
                services.ApplicantData(
                    iin=iin, last_name=last, first_name=first, postal_address=office.name
                )
            ],
            by=head,
        )
        if road == "redirected":
            return services.redirect_appeal(
                appeal,
                by=head,
                to_body="Департамент полиции области",
                reason="Вопрос полиции",
                on=closed_on,
            )
        services.assign_appeal(appeal, by=head, executor=head)
        services.decide_appeal(
            appeal,
            by=head,
            outcome=next(HISTORY_OUTCOMES),
            answer_text="Обращение рассмотрено; заявителю разъяснены его права.",
            legislation="Конституционный закон «О прокуратуре», статья 24",
        )
    return _send_answer(appeal, head, on=closed_on)
