"""Demo data for `make run`: two offices under every region and city, demo staff, and statutory
terms around today so that "my work", the dashboard and the bell have something to show. Never part
of a migration: production has real districts and real people."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from prosecution import workdays
from prosecution.models import ClassRank, Office, Position, StaffProfile, Term, TermKind, Unit
from prosecution.offices.services import create_office
from prosecution.seed.offices import CITIES, REGIONS, region_genitive_ru
from prosecution.terms import engine as terms

# (code suffix, en, ru, kk) of two districts in each city of republican significance.
CITY_DISTRICTS = {
    "C-ASTANA": [
        ("D1", "Esil District", "Есильского района", "Есіл ауданының"),
        ("D2", "Almaty District", "района Алматы", "Алматы ауданының"),
    ],
    "C-ALMATY": [
        ("D1", "Medeu District", "Медеуского района", "Медеу ауданының"),
        ("D2", "Bostandyk District", "Бостандыкского района", "Бостандық ауданының"),
    ],
    "C-SHYMKENT": [
        ("D1", "Al-Farabi District", "Аль-Фарабийского района", "Әл-Фараби ауданының"),
        ("D2", "Abai District", "Абайского района", "Абай ауданының"),
    ],
}

# The demo cast of README.md: (username, first, last, office code, position, rank, unit). Names
# in Cyrillic, as the officials sign letters in Kazakh and Russian (issue 13: "Daniyar Seitkali"
# signed a Russian letter).
DEMO_CAST = [
    ("demo.pg", "Берік", "Асылов", "GPO", Position.PROSECUTOR_GENERAL, "SCJ-1", "LEADERSHIP"),
    ("demo.akmola.head", "Айгүл", "Нұрланова", "R-AKMOLA", Position.HEAD, "SCJ-3", "LEADERSHIP"),
    (
        "demo.kokshetau.prosecutor",
        "Данияр",
        "Сейітқали",
        "R-AKMOLA-D1",
        Position.PROSECUTOR,
        "LAWYER-1",
        None,
    ),
    (
        "demo.reception",
        "Мәдина",
        "Омарова",
        "R-AKMOLA",
        Position.RECEPTION_OFFICER,
        "LAWYER-2",
        "U-APPEALS",
    ),
    (
        "demo.statistics",
        "Ерлан",
        "Тоқаев",
        "KPSSU",
        Position.LEGAL_STATISTICS_OFFICER,
        "JUNIOR-CJ",
        None,
    ),
    ("demo.clerk", "Сәуле", "Бекова", "R-AKMOLA-D1", Position.CLERK, None, None),
]


# The demo district heads' names: a man and a woman in turn, each name once.
_MEN = (
    ["Асхат", "Ержан", "Қайрат", "Талғат", "Мұрат", "Бауыржан", "Нұрлан", "Дәурен"],
    ["Әбенов", "Құлжанов", "Байжанов", "Оспанов", "Нұрпейісов", "Сейітов", "Жақыпов", "Ахметов"],
)
_WOMEN = (
    ["Гүлнар", "Динара", "Жанар", "Айжан", "Әсел", "Салтанат", "Мөлдір", "Ләззат"],
    ["Сәрсенова", "Иманбаева", "Жұмабаева", "Төлегенова", "Қасымова", "Бекова", "Әлиева", "Нұрова"],
)


def head_name(n: int) -> tuple[str, str]:
    """The n-th demo head's first and last name (64 of each sex before one repeats)."""
    firsts, lasts = _WOMEN if n % 2 else _MEN
    k = n // 2
    return firsts[k % 8], lasts[(k + k // 8) % 8]


def _district_offices() -> list[dict]:
    rows = []
    for code, en, ru, kk, centre_en, centre_ru, centre_kk in REGIONS:
        ru_region = region_genitive_ru(ru)
        rows.append(
            {
                "parent": code,
                "code": f"{code}-D1",
                "kind": "city",
                "address": centre_en,
                "name_en": f"Prosecutor's Office of the City of {centre_en}",
                "name_ru": f"Прокуратура города {centre_ru}",
                "name_kk": f"{centre_kk} қаласының прокуратурасы",
            }
        )
        rows.append(
            {
                "parent": code,
                "code": f"{code}-D2",
                "kind": "inter_district",
                "address": centre_en,
                "name_en": f"Inter-district Prosecutor's Office of {en} Region",
                "name_ru": f"Межрайонная прокуратура {ru_region}",
                "name_kk": f"{kk} облысының ауданаралық прокуратурасы",
            }
        )
    for code, city_en, city_ru, city_kk in CITIES:
        for suffix, en, ru, kk in CITY_DISTRICTS[code]:
            rows.append(
                {
                    "parent": code,
                    "code": f"{code}-{suffix}",
                    "kind": "district",
                    "address": city_en,
                    "name_en": f"Prosecutor's Office of {en} of {city_en}",
                    "name_ru": f"Прокуратура {ru} города {city_ru}",
                    "name_kk": f"{city_kk} қаласы {kk} прокуратурасы",
                }
            )
    return rows


def _ensure_user(username, first, last, office, position, rank_code, unit_code):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()  # demo accounts sign in only through DemoPasswordBackend
        user.save(update_fields=["password"])
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "office": office,
            "position": position,
            "class_rank": ClassRank.objects.filter(code=rank_code).first() if rank_code else None,
            "unit": Unit.objects.filter(office=office, code=unit_code).first()
            if unit_code
            else None,
            "is_demo": True,
        },
    )
    return user


@transaction.atomic
def seed_demo() -> dict:
    """Idempotent: a second run finds everything in place and changes nothing."""
    offices = {o.code: o for o in Office.objects.all()}
    created_offices = 0
    for row in _district_offices():
        if row["code"] in offices:
            continue
        parent = offices[row.pop("parent")]
        offices[row["code"]] = create_office(parent=parent, **row)
        created_offices += 1
    for username, first, last, code, position, rank, unit in DEMO_CAST:
        _ensure_user(username, first, last, offices[code], position, rank, unit)
    # A head for every demo district, so that each office has someone to answer for it.
    districts = [
        (code, office)
        for code, office in offices.items()
        if office.kind in ("city", "inter_district", "district")
    ]
    for number, (code, office) in enumerate(districts):
        first, last = head_name(number)
        _ensure_user(f"demo.{code.lower()}.head", first, last, office, Position.HEAD, "CJ", None)
    admin, created = get_user_model().objects.get_or_create(
        username="demo.admin",
        defaults={
            "first_name": "System",
            "last_name": "Administrator",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_unusable_password()
        admin.save(update_fields=["password"])
    StaffProfile.objects.get_or_create(
        user=admin, defaults={"office": offices["GPO"], "position": Position.CLERK, "is_demo": True}
    )
    return {
        "offices_created": created_offices,
        "staff": StaffProfile.objects.count(),
        "terms_opened": _demo_terms(offices),
    }


# (kind, working days before today that it started, label). With today's calendar these give
# terms already missed, due today, due within 3 working days and on time. Until the appeals and
# supervision apps exist, the office itself stands for the record (one term of a kind each).
# Labels as staff write them, in Russian with the citizens' names in Cyrillic, as the demo's
# appeals are (issue 13: "Appeal of A. Serikbayeva" stood in English on Russian pages).
DEMO_TERMS = [
    (TermKind.APPEAL_ANSWER, 16, "Обращение А. Серікбаевой о земельном участке"),
    (TermKind.COMPLAINT_DECISION, 20, "Жалоба К. Омарова на действия районного прокурора"),
    (TermKind.SUBMISSION_RESULTS, 2, "Результаты рассмотрения представления акиматом"),
    (TermKind.INFORMATION_REQUEST, 1, "Запрос сведений в налоговый орган"),
    (TermKind.CHECK_DURATION, 12, "Проверка управления образования"),
    (TermKind.APPEAL_FINAL_AFTER_CHECK, 4, "Окончательный ответ Б. Жаксылыкову после проверки"),
]


def _demo_terms(offices: dict) -> int:
    """Terms of the demo districts, on the district head and (in R-AKMOLA-D1) the demo
    prosecutor. Idempotent: a kind already open for an office is left alone."""
    today = timezone.localdate()
    existing = set(
        Term.objects.filter(subject_type=ContentType.objects.get_for_model(Office)).values_list(
            "subject_id", "kind"
        )
    )
    responsible = {
        profile.office_id: profile.user
        for profile in StaffProfile.objects.filter(is_demo=True, position=Position.HEAD)
    }
    prosecutor = StaffProfile.objects.filter(user__username="demo.kokshetau.prosecutor").first()
    if prosecutor:
        responsible[prosecutor.office_id] = prosecutor.user
    opened = 0
    for office in offices.values():
        if office.kind not in ("city", "inter_district", "district"):
            continue
        for n, (kind, days_ago, label) in enumerate(DEMO_TERMS):
            if (office.pk, kind) in existing:
                continue
            # Spread the offices over a week so that the roll-up is not uniform.
            back = days_ago + (office.pk + n) % 5
            start = workdays.add_working_days(today, -back)
            due = None
            if kind == TermKind.INFORMATION_REQUEST:
                due = workdays.add_working_days(start, 3 + (office.pk % 4))
            terms.open_term(
                subject=office,
                kind=kind,
                office=office,
                start_date=start,
                start_event="demo data",
                responsible=responsible.get(office.pk),
                set_due=due,
                label=label,
            )
            opened += 1
    # Terms already past their due date become missed (and escalated) at the first sweep.
    return opened
