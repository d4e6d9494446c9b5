"""Legality checks for tests: the cast around them (a district head who appoints, a named
inspector, a registration officer of the Committee) and a resolution that passes every rule."""

from datetime import date

from legal_statistics import services as register
from prosecution.models import Office, Position
from supervision import services as checks
from supervision.models import CheckGround, SubjectKind
from tests.conftest import make_staff

VALID_BIN = "120540012342"
VALID_IIN = "850721300125"


class CheckCast:
    def __init__(self, cast):
        self.cast = cast
        self.head = make_staff("check_head_a", cast.district_a, Position.HEAD)
        self.inspector = cast.a_user
        self.other_inspector = make_staff("check_inspector_2", cast.district_a)
        self.officer = make_staff(
            "check_officer", Office.objects.get(code="KPSSU"), Position.LEGAL_STATISTICS_OFFICER
        )
        self.officer_2 = make_staff(
            "check_officer_2", Office.objects.get(code="KPSSU"), Position.LEGAL_STATISTICS_OFFICER
        )
        self.pg = make_staff("check_pg", cast.gpo, Position.PROSECUTOR_GENERAL)


def resolution(cc: CheckCast, **changes) -> checks.Resolution:
    values = {
        "resolution_number": "15-01/7",
        "resolution_date": date(2025, 3, 3),
        "subject_kind": SubjectKind.ORGANISATION,
        "subject_number": VALID_BIN,
        "subject_name": "Kokshetau Water LLP",
        "subject_address": "Kokshetau, Abai st. 1",
        "subject_matter": "Tariffs charged to residents",
        "period_from": date(2024, 1, 1),
        "period_to": date(2024, 12, 31),
        "inspectors": [cc.inspector],
        "ground": CheckGround.UNLIMITED_PERSONS,
    }
    values.update(changes)
    return checks.Resolution(**values)


def appointed(cc: CheckCast, **changes):
    return checks.appoint_check(by=cc.head, resolution=resolution(cc, **changes))


def registered(cc: CheckCast, **changes):
    check = appointed(cc, **changes)
    entry = checks.send_for_registration(check, by=cc.head)
    register.register_check(entry, by=cc.officer)
    check.refresh_from_db()
    return check


def started(cc: CheckCast, on: date = date(2025, 3, 3), **changes):
    check = registered(cc, **changes)
    return checks.start_check(check, by=cc.inspector, on=on)


def running_since(cc: CheckCast, day: date, **changes):
    """A check signed and started on `day` (for appeals checked in a test's frozen week)."""
    return started(cc, on=day, resolution_date=day, **changes)
