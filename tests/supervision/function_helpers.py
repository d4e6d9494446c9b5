"""Analyses, requests and summons for tests: valid input, changed where a test needs it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from supervision.functions import requests, studies, summons
from supervision.models import AddresseeKind, StudyKind
from tests.check_helpers import VALID_BIN, VALID_IIN

ALMATY = ZoneInfo("Asia/Almaty")
# Friday 20 March 2026, the eve of Nauryz (21-25 March are days off): 3 working days reach Monday
# 30 March, 2 reach Friday 27 March.
FRIDAY = date(2026, 3, 20)


def almaty(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ALMATY)  # type: ignore[misc]


def request(by, **changes):
    values = {
        "addressee_kind": AddresseeKind.BODY,
        "addressee_name": "Akimat of Esil district",
        "addressee_number": VALID_BIN,
        "matter": "Tariffs charged to residents",
        "requested": "The tariff decisions of 2025",
        "due": date(2026, 3, 30),
        "sent_on": FRIDAY,
    }
    values.update(changes)
    return requests.send_request(by=by, **values)


def study(by, responsible, kind=StudyKind.ANALYSIS, **changes):
    values = {
        "kind": kind,
        "topic": "Legality of utility tariffs",
        "scope": "Statistics of the antimonopoly body; complaints in the media",
        "responsible": responsible,
        "due": date(2026, 4, 10),
        "started_on": FRIDAY,
    }
    values.update(changes)
    return studies.open_study(by=by, **values)


def summoned(by, **changes):
    values = {
        "person_name": "Серік Ахметов",
        "person_iin": VALID_IIN,
        "birth_date": date(1985, 7, 21),
        "phone": "+7 701 234 56 78",
        "email": "serik@example.kz",
        "appear_at": almaty(2026, 3, 27, 10, 0),
        "place": "Esil district prosecutor's office, room 12",
        "purpose": "Explanations on the tariffs",
    }
    values.update(changes)
    return summons.issue_summons(by=by, **values)
