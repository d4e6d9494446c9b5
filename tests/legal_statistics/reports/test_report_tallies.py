"""The appeals report counted ahead (legal_statistics/reports/tallies.py): the tallies follow every
change of an appeal, its events and its terms in the change's transaction, count a record once in
a period however many of its months it meets a figure in, move with an office, and are read only
where they give what counting the appeals gives."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from appeals.models import Appeal, AppealEvent, AppealEventKind
from legal_statistics import reports
from legal_statistics.models import FigureRepeat, FigureTally, TalliedRecord, TalliesBuilt
from legal_statistics.reports import periods, tallies
from prosecution.offices.access import OfficeScope
from prosecution.offices.services import move_office
from tests.appeal_helpers import register

pytestmark = pytest.mark.django_db

REPORT = reports.get("appeals")
ALMATY = ZoneInfo("Asia/Almaty")
NOVEMBER = periods.parse("2026-11")
Q4 = periods.parse("2026-Q4")
YEAR = periods.parse("2026")


def _live(user, office, periods_):
    """The figures counted from the appeals: as the report counts without its tallies."""
    TalliesBuilt.objects.filter(report=REPORT.key).delete()
    try:
        return REPORT.counts(user, office, REPORT.figures, periods_)
    finally:
        TalliesBuilt.objects.create(report=REPORT.key)


def _from_tallies(user, office, periods_):
    assert tallies.reading(REPORT, user, office, periods_) is not None
    return REPORT.counts(user, office, REPORT.figures, periods_)


def _extended(appeal, *moments):
    for at in moments:
        event = AppealEvent.objects.create(appeal=appeal, kind=AppealEventKind.EXTENDED)
        # `at` is set on creation (auto_now_add): the day is moved as a later event would be.
        AppealEvent.objects.filter(pk=event.pk).update(at=at)
        event.refresh_from_db()
        event.save()  # a save of a counted event refreshes its appeal


def test_the_tallies_give_the_figures_of_the_records(cast, made):
    """Every figure of the report (Art. 24, 25), for months, a quarter and a year, from the tallies
    equals the count of the appeals; and the tallies equal a count afresh."""
    assert tallies.differences(REPORT) == {}
    asked = (NOVEMBER, NOVEMBER.year_before(), Q4, YEAR, YEAR.year_before())
    for user, office in ((cast.region_user, cast.region), (cast.a_user, cast.district_a)):
        kept = _from_tallies(user, office, asked)
        assert kept == _live(user, office, asked)
    assert kept["received", NOVEMBER.code] > 0


def test_a_record_met_in_two_months_counts_once_in_a_period_of_both(cast):
    """Art. 24(4): an appeal extended in October and again in December is one extended appeal in
    the quarter and in the year, one in each month, none in November."""
    appeal, _ = register(cast)
    _extended(
        appeal,
        datetime(2026, 10, 20, 11, tzinfo=ALMATY),
        datetime(2026, 12, 1, 0, 30, tzinfo=ALMATY),  # Almaty's December, UTC's November
    )
    user, office = cast.region_user, cast.region
    october, december = periods.parse("2026-10"), periods.parse("2026-12")
    asked = (october, NOVEMBER, december, Q4, YEAR)
    kept = _from_tallies(user, office, asked)
    assert [kept["extended", p.code] for p in asked] == [1, 0, 1, 1, 1]
    assert kept == _live(user, office, asked)
    repeat = FigureRepeat.objects.get(report="appeals", figure="extended")
    assert (repeat.first.month, repeat.second.month, repeat.n) == (10, 12, 1)


def test_an_appeal_sent_to_another_office_is_counted_there(cast, made):
    """Art. 24(1): the appeal's office changes, and its counts go with it."""
    before_a = _from_tallies(cast.a_user, cast.district_a, (NOVEMBER,))
    appeal = made["late"]
    appeal.office, appeal.office_path = cast.district_b, cast.district_b.path
    appeal.save()
    after_a = _from_tallies(cast.a_user, cast.district_a, (NOVEMBER,))
    assert after_a["received", NOVEMBER.code] == before_a["received", NOVEMBER.code] - 1
    assert after_a == _live(cast.a_user, cast.district_a, (NOVEMBER,))
    assert tallies.differences(REPORT) == {}


def test_a_deleted_appeal_is_counted_out(cast, made):
    made["late"].delete()
    assert tallies.differences(REPORT) == {}
    assert not TalliedRecord.objects.filter(record_id=made["late"].pk).exists()


def test_a_change_rolled_back_leaves_the_tallies_as_they_were(cast, made):
    kept = list(FigureTally.objects.values_list("figure", "office_path", "month", "n"))
    with pytest.raises(RuntimeError), transaction.atomic():
        register(cast)
        raise RuntimeError("the service failed")
    assert list(FigureTally.objects.values_list("figure", "office_path", "month", "n")) == kept
    assert tallies.differences(REPORT) == {}


def test_an_office_moved_takes_its_counts_along(cast, made):
    """Art. 5(2): district A under another region; its counts leave the region with it."""
    region_before = _from_tallies(cast.region_user, cast.region, (NOVEMBER,))
    a_before = _from_tallies(cast.a_user, cast.district_a, (NOVEMBER,))
    move_office(office=cast.district_a, new_parent=cast.other_region)
    cast.district_a.refresh_from_db()
    assert tallies.differences(REPORT) == {}
    region_after = _from_tallies(cast.region_user, cast.region, (NOVEMBER,))
    received = ("received", NOVEMBER.code)
    assert region_after[received] == region_before[received] - a_before[received]
    assert region_after == _live(cast.region_user, cast.region, (NOVEMBER,))


def test_read_only_where_they_answer_as_the_records_would(cast, made):
    user, office = cast.region_user, cast.region
    assert tallies.reading(REPORT, user, office, (NOVEMBER, Q4)) is not None
    assert (
        tallies.reading(REPORT, OfficeScope(cast.region), cast.district_a, (NOVEMBER,)) is not None
    )
    # Dates that cut a month: the tallies know months only.
    cut = periods.parse("2026-11-05..2026-11-30")
    assert tallies.reading(REPORT, user, office, (cut,)) is None
    # A reader above whom the office is not, or nobody: counted from the records (and 404 before).
    assert tallies.reading(REPORT, cast.a_user, cast.region, (NOVEMBER,)) is None
    assert tallies.reading(REPORT, None, office, (NOVEMBER,)) is None
    # Tallies never counted from all the records (an upgraded database) are not read.
    TalliesBuilt.objects.all().delete()
    assert tallies.reading(REPORT, user, office, (NOVEMBER,)) is None
    # Reports not kept ahead are always counted from their records.
    assert tallies.reading(reports.get("receptions"), user, office, (NOVEMBER,)) is None


def test_rebuilt_from_the_records_and_checked(cast, made):
    FigureTally.objects.filter(figure="received").delete()
    TalliedRecord.objects.all().delete()
    TalliesBuilt.objects.all().delete()
    assert "legal_statistics_figuretally" in tallies.differences(REPORT)
    with pytest.raises(CommandError):
        call_command("rebuild_report_tallies", "--check", stdout=io.StringIO())
    assert tallies.rebuild(REPORT) == Appeal.objects.count()
    assert tallies.differences(REPORT) == {}
    assert TalliesBuilt.objects.filter(report="appeals").exists()
    # A refresh after the rebuild counts nothing twice.
    tallies.refresh(REPORT, Appeal.objects.values_list("pk", flat=True))
    assert tallies.differences(REPORT) == {}
    call_command("rebuild_report_tallies", "--check", stdout=io.StringIO())
