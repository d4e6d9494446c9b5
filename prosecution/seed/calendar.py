"""Seed of the working-day calendar for 2020-2030 from the maintained `holidays` package.

The package gives public holidays, their observed (moved) days off, the days off transferred by
Government decree / Ministry of Labour order, and the weekend days made working days. Kurban Ait is
estimated by the package beyond the years it knows; the dates announced (docs/rules.md: 2025 6 Jun,
2026 27 May) are recorded as confirmed, the rest stay estimates until an administrator confirms.
"""

import re
from datetime import date

import holidays
from django.utils.translation import gettext_noop

SEED_YEARS = range(2020, 2031)

# Stored as written here and shown in the reader's language (workdays.Exception_.source): marked
# for the catalogues, not translated when stored.
SOURCE_HOLIDAY = gettext_noop(
    'Law "On holidays in the Republic of Kazakhstan" Art. 1; Labour Code Art. 84'
)
SOURCE_MOVED = gettext_noop(
    'Law "On holidays in the Republic of Kazakhstan" Art. 5 (moved from a weekend)'
)
SOURCE_TRANSFER = gettext_noop(
    "Labour Code Art. 85(3): transfer of days off (Government decree / MLSPP order)"
)
SOURCE_RELIGIOUS = gettext_noop(
    "Labour Code Art. 84(5): religious holiday, not moved from a weekend"
)

# Kurban Ait dates announced for the year (docs/rules.md); the package estimates the rest.
ANNOUNCED_KURBAN_AIT = {date(2025, 6, 6), date(2026, 5, 27)}

RU_NAMES = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День столицы",
    "Constitution Day": "День Конституции Республики Казахстан",
    "Republic Day": "День Республики",
    "First President Day": "День Первого Президента Республики Казахстан",
    "Independence Day": "День Независимости",
    "Eid al-Adha": "Курбан айт",
}

_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")


def _ru(name_en: str) -> str:
    match = _SUBSTITUTED.match(name_en)
    if match:
        month, day, year = match.groups()
        return f"Перенесённый выходной день (с {day}.{month}.{year})"
    base = name_en.replace(" (observed)", "").replace(" (estimated)", "")
    ru = RU_NAMES.get(base, base)
    if "(observed)" in name_en:
        ru += " (перенесённый выходной)"
    if "(estimated)" in name_en:
        ru += " (предварительно)"
    return ru


def calendar_rows(years=SEED_YEARS) -> list[dict]:
    en = holidays.country_holidays("KZ", years=years, language="en_US")
    kk = holidays.country_holidays("KZ", years=years, language="kk")
    rows = []
    for day in sorted(en):
        names_en = en.get_list(day)
        names_kk = kk.get_list(day)
        estimated = any("(estimated)" in n for n in names_en) and day not in ANNOUNCED_KURBAN_AIT
        if day in ANNOUNCED_KURBAN_AIT:
            names_en = [n.replace(" (estimated)", "") for n in names_en]
            names_kk = [n.replace(" (бағаланған)", "") for n in names_kk]
        moved = all("(observed" in n or n.startswith("Day off") for n in names_en)
        if any(n.startswith("Day off") for n in names_en):
            source = SOURCE_TRANSFER
        elif moved:
            source = SOURCE_MOVED
        elif any(n.startswith(("Orthodox Christmas", "Eid al-Adha")) for n in names_en):
            source = SOURCE_RELIGIOUS
        else:
            source = SOURCE_HOLIDAY
        rows.append(
            {
                "date": day,
                "kind": "day_off" if moved else "holiday",
                "name_en": "; ".join(names_en),
                "name_ru": "; ".join(_ru(n) for n in names_en),
                "name_kk": "; ".join(names_kk),
                "legal_source": source,
                "is_estimate": estimated,
            }
        )
    for day in sorted(d for d in en.weekend_workdays if d.year in years):
        rows.append(
            {
                "date": day,
                "kind": "working_day",
                "name_en": "Working day (transferred)",
                "name_ru": "Рабочий день (перенесён)",
                "name_kk": "Жұмыс күні (ауыстырылған)",
                "legal_source": SOURCE_TRANSFER,
                "is_estimate": False,
            }
        )
    return rows


def seed_calendar(CalendarDay, years=SEED_YEARS) -> int:
    """Insert the rows that are not there yet; never overwrite an administrator's edit."""
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    new = [CalendarDay(**row) for row in calendar_rows(years) if row["date"] not in existing]
    CalendarDay.objects.bulk_create(new)
    return len(new)
