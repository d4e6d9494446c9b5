"""Reference data of the office hierarchy (docs/offices.md; docs/sources.md, seed 004 for the GPO).

Functions take the model classes so that data migrations (historical models) and the demo command
(real models) share them.
"""

from prosecution.offices.tree import child_path, depth_of

GPO_CODE = "GPO"

# (code, kind, en, ru, kk)
REPUBLIC_LEVEL = [
    (
        "KPSSU",
        "committee",
        "Committee on Legal Statistics and Special Accounts",
        "Комитет по правовой статистике и специальным учетам",
        "Құқықтық статистика және арнайы есепке алу жөніндегі комитет",
    ),
    (
        "ASSET-RECOVERY",
        "asset_recovery",
        "Asset Recovery Department",
        "Департамент по возврату активов",
        "Активтерді қайтару департаменті",
    ),
    (
        "ACADEMY",
        "academy",
        "Academy of Law Enforcement Agencies",
        "Академия правоохранительных органов",
        "Құқық қорғау органдары академиясы",
    ),
    (
        "GVP",
        "chief_military",
        "Chief Military Prosecutor's Office",
        "Главная военная прокуратура",
        "Бас әскери прокуратура",
    ),
    (
        "GTP",
        "chief_transport",
        "Chief Transport Prosecutor's Office",
        "Главная транспортная прокуратура",
        "Бас көлік прокуратурасы",
    ),
]

# (code, en region, ru adjective or "область X" form, kk, centre en, centre ru, centre kk)
REGIONS = [
    ("R-ABAI", "Abai", "область Абай", "Абай", "Semey", "Семей", "Семей"),
    ("R-AKMOLA", "Akmola", "Акмолинская", "Ақмола", "Kokshetau", "Кокшетау", "Көкшетау"),
    ("R-AKTOBE", "Aktobe", "Актюбинская", "Ақтөбе", "Aktobe", "Актобе", "Ақтөбе"),
    ("R-ALMATY", "Almaty", "Алматинская", "Алматы", "Konaev", "Конаев", "Қонаев"),
    ("R-ATYRAU", "Atyrau", "Атырауская", "Атырау", "Atyrau", "Атырау", "Атырау"),
    (
        "R-EAST",
        "East Kazakhstan",
        "Восточно-Казахстанская",
        "Шығыс Қазақстан",
        "Oskemen",
        "Усть-Каменогорск",
        "Өскемен",
    ),
    ("R-JAMBYL", "Jambyl", "Жамбылская", "Жамбыл", "Taraz", "Тараз", "Тараз"),
    (
        "R-ZHETISU",
        "Zhetisu",
        "область Жетісу",
        "Жетісу",
        "Taldykorgan",
        "Талдыкорган",
        "Талдықорған",
    ),
    (
        "R-WEST",
        "West Kazakhstan",
        "Западно-Казахстанская",
        "Батыс Қазақстан",
        "Oral",
        "Уральск",
        "Орал",
    ),
    (
        "R-KARAGANDA",
        "Karaganda",
        "Карагандинская",
        "Қарағанды",
        "Karaganda",
        "Караганда",
        "Қарағанды",
    ),
    ("R-KOSTANAY", "Kostanay", "Костанайская", "Қостанай", "Kostanay", "Костанай", "Қостанай"),
    (
        "R-KYZYLORDA",
        "Kyzylorda",
        "Кызылординская",
        "Қызылорда",
        "Kyzylorda",
        "Кызылорда",
        "Қызылорда",
    ),
    ("R-MANGYSTAU", "Mangystau", "Мангистауская", "Маңғыстау", "Aktau", "Актау", "Ақтау"),
    ("R-PAVLODAR", "Pavlodar", "Павлодарская", "Павлодар", "Pavlodar", "Павлодар", "Павлодар"),
    (
        "R-NORTH",
        "North Kazakhstan",
        "Северо-Казахстанская",
        "Солтүстік Қазақстан",
        "Petropavl",
        "Петропавловск",
        "Петропавл",
    ),
    (
        "R-TURKISTAN",
        "Turkistan",
        "Туркестанская",
        "Түркістан",
        "Turkistan",
        "Туркестан",
        "Түркістан",
    ),
    ("R-ULYTAU", "Ulytau", "область Ұлытау", "Ұлытау", "Zhezkazgan", "Жезказган", "Жезқазған"),
]

# (code, en, ru (genitive), kk)
CITIES = [
    ("C-ASTANA", "Astana", "Астаны", "Астана"),
    ("C-ALMATY", "Almaty", "Алматы", "Алматы"),
    ("C-SHYMKENT", "Shymkent", "Шымкента", "Шымкент"),
]

# The seats of the offices, as the seed writes them into Office.address (in English), in each
# language: prosecution.models.Office.place shows them to the reader (issue 13: "Kokshetau" under
# a Russian letterhead). The cities' own names, nominative (CITIES has the Russian genitive).
PLACES: dict[str, dict[str, str]] = {
    "Astana": {"en": "Astana", "ru": "Астана", "kk": "Астана"},
    "Almaty": {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"},
    "Shymkent": {"en": "Shymkent", "ru": "Шымкент", "kk": "Шымкент"},
    **{en: {"en": en, "ru": ru, "kk": kk} for *_region, en, ru, kk in REGIONS},
}

# GPO structure, 2022 (docs/sources.md, seed 004). The seed lists seven departments; the issue spoke
# of eight, and the decree wins. (code, kind, en, ru, kk)
GPO_UNITS = [
    ("LEADERSHIP", "leadership", "Leadership", "Руководство", "Басшылық"),
    ("APPARATUS", "apparatus", "Apparatus", "Аппарат", "Аппарат"),
    (
        "S-CRIMINAL",
        "service",
        "Criminal Prosecution Service",
        "Служба уголовного преследования",
        "Қылмыстық қудалау қызметі",
    ),
    (
        "S-SENTENCES",
        "service",
        "Service for Supervision of the Legality of Sentences in Force and their Execution",
        "Служба надзора за законностью вступивших в силу приговоров и их исполнением",
        "Заңды күшіне енген үкімдердің заңдылығын және олардың орындалуын қадағалау қызметі",
    ),
    (
        "S-PUBLIC",
        "service",
        "Service for Protection of Public Interests",
        "Служба защиты общественных интересов",
        "Қоғамдық мүдделерді қорғау қызметі",
    ),
    (
        "S-SPECIAL",
        "service",
        "Service of Special Prosecutors",
        "Служба специальных прокуроров",
        "Арнайы прокурорлар қызметі",
    ),
    (
        "S-INTERNATIONAL",
        "service",
        "International Legal Cooperation Service",
        "Служба международного правового сотрудничества",
        "Халықаралық-құқықтық ынтымақтастық қызметі",
    ),
    (
        "D-PERSONNEL",
        "department",
        "Personnel Development Department",
        "Департамент развития персонала",
        "Кадрларды дамыту департаменті",
    ),
    (
        "D-INTERNAL",
        "department",
        "Internal Investigations Department",
        "Департамент внутренних расследований",
        "Ішкі тергеп-тексеру департаменті",
    ),
    (
        "D-STRATEGY",
        "department",
        "Strategic Development Department",
        "Департамент стратегического развития",
        "Стратегиялық дамыту департаменті",
    ),
    (
        "D-OPERATIONAL",
        "department",
        "Department for Supervision of the Legality of Operational-Search, Counter-Intelligence "
        "and Covert Investigative Actions",
        "Департамент надзора за законностью оперативно-розыскной, контрразведывательной "
        "деятельности и негласных следственных действий",
        "Жедел-іздестіру, қарсы барлау қызметі мен жасырын тергеу әрекеттерінің заңдылығын "
        "қадағалау департаменті",
    ),
    (
        "D-RULEMAKING",
        "department",
        "Department for Coordination of Rule-Making",
        "Департамент координации нормотворческой деятельности",
        "Норма шығармашылық қызметін үйлестіру департаменті",
    ),
    (
        "D-APPEALS",
        "department",
        "Department for Work with Appeals and Record Keeping",
        "Департамент по работе с обращениями и делопроизводства",
        "Өтініштермен жұмыс және іс жүргізу департаменті",
    ),
    ("D-FINANCE", "department", "Finance Department", "Департамент финансов", "Қаржы департаменті"),
    (
        "M-SECRETS",
        "management",
        "Management for Protection of State Secrets",
        "Управление по защите государственных секретов",
        "Мемлекеттік құпияларды қорғау басқармасы",
    ),
    (
        "M-AUDIT",
        "management",
        "Internal Audit Management",
        "Управление внутреннего аудита",
        "Ішкі аудит басқармасы",
    ),
    (
        "M-INFOSEC",
        "management",
        "Information Security Management",
        "Управление информационной безопасности",
        "Ақпараттық қауіпсіздік басқармасы",
    ),
]

# Typical units of a regional office.
REGIONAL_UNITS = [
    ("LEADERSHIP", "leadership", "Leadership", "Руководство", "Басшылық"),
    (
        "U-CRIMINAL",
        "department",
        "Criminal Prosecution Department",
        "Управление уголовного преследования",
        "Қылмыстық қудалау басқармасы",
    ),
    (
        "U-PUBLIC",
        "department",
        "Department for Protection of Public Interests",
        "Управление защиты общественных интересов",
        "Қоғамдық мүдделерді қорғау басқармасы",
    ),
    (
        "U-APPEALS",
        "unit",
        "Appeals and Reception Unit",
        "Отдел по работе с обращениями и приёма граждан",
        "Өтініштермен жұмыс және азаматтарды қабылдау бөлімі",
    ),
    (
        "U-STATISTICS",
        "unit",
        "Legal Statistics Unit",
        "Отдел правовой статистики",
        "Құқықтық статистика бөлімі",
    ),
]

# Class ranks, highest first (docs/offices.md; Law "On law enforcement service" Art. 23).
CLASS_RANKS = [
    (
        "SCJ-1",
        "State Counsellor of Justice 1st class",
        "Государственный советник юстиции 1 класса",
        "1-сыныпты мемлекеттік әділет кеңесшісі",
    ),
    (
        "SCJ-2",
        "State Counsellor of Justice 2nd class",
        "Государственный советник юстиции 2 класса",
        "2-сыныпты мемлекеттік әділет кеңесшісі",
    ),
    (
        "SCJ-3",
        "State Counsellor of Justice 3rd class",
        "Государственный советник юстиции 3 класса",
        "3-сыныпты мемлекеттік әділет кеңесшісі",
    ),
    (
        "SENIOR-CJ",
        "Senior Counsellor of Justice",
        "Старший советник юстиции",
        "Аға әділет кеңесшісі",
    ),
    ("CJ", "Counsellor of Justice", "Советник юстиции", "Әділет кеңесшісі"),
    (
        "JUNIOR-CJ",
        "Junior Counsellor of Justice",
        "Младший советник юстиции",
        "Кіші әділет кеңесшісі",
    ),
    ("LAWYER-1", "Lawyer 1st class", "Юрист 1 класса", "1-сыныпты заңгер"),
    ("LAWYER-2", "Lawyer 2nd class", "Юрист 2 класса", "2-сыныпты заңгер"),
    ("LAWYER-3", "Lawyer 3rd class", "Юрист 3 класса", "3-сыныпты заңгер"),
]


def region_genitive_ru(ru: str) -> str:
    """ "Акмолинская" → "Акмолинской области"; "область Абай" → "области Абай"."""
    if ru.startswith("область "):
        return ru.replace("область", "области", 1)
    return f"{ru[:-2]}ой области"  # "-ская" → "-ской"


def region_names(en: str, ru: str, kk: str) -> tuple[str, str, str]:
    name_en = f"Prosecutor's Office of {en} Region"
    name_ru = f"Прокуратура {region_genitive_ru(ru)}"
    name_kk = f"{kk} облысының прокуратурасы"
    return name_en, name_ru, name_kk


def _upsert_office(Office, *, code, kind, parent, name_en, name_ru, name_kk, address=""):
    path = child_path(parent.path if parent else None, code)
    office, _ = Office.objects.update_or_create(
        code=code,
        defaults={
            "kind": kind,
            "parent": parent,
            "path": path,
            "depth": depth_of(path),
            "name_en": name_en,
            "name_ru": name_ru,
            "name_kk": name_kk,
            "address": address,
        },
    )
    return office


def _upsert_units(Unit, office, rows) -> None:
    for order, (code, kind, en, ru, kk) in enumerate(rows):
        Unit.objects.update_or_create(
            office=office,
            code=code,
            defaults={"kind": kind, "name_en": en, "name_ru": ru, "name_kk": kk, "order": order},
        )


def seed_reference_offices(Office, Unit) -> None:
    """The GPO, its departments, the chief offices, 17 regions and 3 cities. Idempotent."""
    gpo = _upsert_office(
        Office,
        code=GPO_CODE,
        kind="gpo",
        parent=None,
        name_en="General Prosecutor's Office of the Republic of Kazakhstan",
        name_ru="Генеральная прокуратура Республики Казахстан",
        name_kk="Қазақстан Республикасының Бас прокуратурасы",
        address="Astana",
    )
    _upsert_units(Unit, gpo, GPO_UNITS)
    for code, kind, en, ru, kk in REPUBLIC_LEVEL:
        _upsert_office(
            Office,
            code=code,
            kind=kind,
            parent=gpo,
            name_en=en,
            name_ru=ru,
            name_kk=kk,
            address="Astana",
        )
    for code, en, ru, kk, centre_en, _centre_ru, _centre_kk in REGIONS:
        name_en, name_ru, name_kk = region_names(en, ru, kk)
        office = _upsert_office(
            Office,
            code=code,
            kind="regional",
            parent=gpo,
            name_en=name_en,
            name_ru=name_ru,
            name_kk=name_kk,
            address=centre_en,
        )
        _upsert_units(Unit, office, REGIONAL_UNITS)
    for code, en, ru_gen, kk in CITIES:
        office = _upsert_office(
            Office,
            code=code,
            kind="city_republican",
            parent=gpo,
            name_en=f"Prosecutor's Office of the City of {en}",
            name_ru=f"Прокуратура города {ru_gen}",
            name_kk=f"{kk} қаласының прокуратурасы",
            address=en,
        )
        _upsert_units(Unit, office, REGIONAL_UNITS)


def seed_class_ranks(ClassRank) -> None:
    for seniority, (code, en, ru, kk) in enumerate(CLASS_RANKS, start=1):
        ClassRank.objects.update_or_create(
            code=code,
            defaults={"seniority": seniority, "name_en": en, "name_ru": ru, "name_kk": kk},
        )
