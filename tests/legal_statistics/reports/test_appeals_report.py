"""The appeals report (legal_statistics/reports/appeals.py): each figure against appeals made by
the test, the year before beside it, the scope of the viewer, and the rule that every figure's
list holds exactly as many appeals as the figure says."""

import pytest

from legal_statistics import reports
from legal_statistics.reports import periods

pytestmark = pytest.mark.django_db

REPORT = reports.get("appeals")
NOVEMBER = periods.parse("2026-11")


def _figures(user, office, period=NOVEMBER) -> dict[str, tuple[int, int]]:
    return {row.figure.key: (row.current, row.before) for row in REPORT.rows(user, office, period)}


def _keys(user, office, key, period=NOVEMBER) -> set[int]:
    figure = REPORT.figure(key)
    return set(REPORT.records(figure, user, office, period).values_list("pk", flat=True))


def test_received_by_channel_kind_and_language_this_year_and_the_year_before(cast, made):
    got = _figures(cast.region_user, cast.region)
    assert got["received"] == (6, 1)  # district A's four, the complaint and district B's one
    assert got["channel-written"] == (3, 1)
    assert got["channel-egov"] == (2, 0)
    assert got["channel-call_centre"] == (1, 0)
    assert got["kind-complaint"] == (1, 0)
    assert got["kind-appeal"] == (5, 1)
    assert got["language-kk"] == (2, 0)
    assert got["language-ru"] == (4, 1)


def test_the_ground_of_art_24_1(cast, made):
    """Art. 24(1): the appeals received on each ground."""
    got = _figures(cast.region_user, cast.region)
    assert got["ground-2"] == (1, 0)
    assert _keys(cast.region_user, cast.region, "ground-2") == {made["satisfied"].pk}


def test_considered_in_time_and_late_art_24_3_and_25_1(cast, made):
    """Art. 24(3), 25(1): the answer term met on or before its due date is in time; after it, late.
    A redirection meets the term too (it ends consideration, Art. 24(1))."""
    region = cast.region_user, cast.region
    assert _keys(*region, "in-time") == {
        made["satisfied"].pk,
        made["complaint"].pk,
        made["redirected"].pk,
    }
    assert _keys(*region, "late") == {made["late"].pk}
    assert _figures(*region)["in-time"] == (3, 1)


def test_outcomes_and_complaints_upheld(cast, made):
    """Art. 25: a complaint satisfied in whole or in part is upheld."""
    got = _figures(cast.region_user, cast.region)
    assert got["outcome-satisfied"] == (1, 0)
    assert got["outcome-partly"] == (1, 0)
    assert got["outcome-explained"] == (1, 0)
    assert got["outcome-refused"] == (0, 1)
    assert _keys(cast.region_user, cast.region, "complaints-upheld") == {made["complaint"].pk}


def test_extended_counts_appeals_not_extensions_art_24_4(cast, made):
    """Art. 24(4): extended twice, counted once."""
    assert _figures(cast.region_user, cast.region)["extended"] == (1, 0)


def test_redirected_and_anonymous_closed(cast, made):
    """Art. 24(1) redirected; Art. 24(6) anonymous, not considered."""
    region = cast.region_user, cast.region
    assert _keys(*region, "redirected") == {made["redirected"].pk}
    assert _keys(*region, "anonymous-closed") == {made["anonymous"].pk}
    assert _figures(*region)["repeated-closed"] == (0, 0)


def test_the_scope_district_a_sees_its_own_only(cast, made):
    got = _figures(cast.a_user, cast.district_a)
    assert got["received"] == (4, 1)
    assert made["in_b"].pk not in _keys(cast.a_user, cast.district_a, "received")
    # The region looking at district A sees what district A sees.
    assert _figures(cast.region_user, cast.district_a) == got


def test_every_figure_is_a_door_its_list_holds_as_many_records(cast, made):
    for user, office in ((cast.region_user, cast.region), (cast.a_user, cast.district_a)):
        # The last period and its year before overlap: counted cell by cell, not grouped.
        for period in (
            NOVEMBER,
            periods.parse("2026"),
            NOVEMBER.year_before(),
            periods.parse("2025-06-01..2026-11-30"),
        ):
            for row in REPORT.rows(user, office, period):
                listed = list(REPORT.records(row.figure, user, office, period))
                assert len(listed) == row.current, (row.figure.key, period)
                assert len({appeal.pk for appeal in listed}) == row.current, row.figure.key


def test_counted_alike_grouped_or_cell_by_cell(cast, made):
    """The engine counts figures of an anchor by grouping when the periods do not overlap, and
    cell by cell when they do (figures.py _apart): both give the same counts."""
    user, office = cast.region_user, cast.region
    year, before = periods.parse("2026"), periods.parse("2025")
    apart = REPORT.counts(user, office, REPORT.figures, (year, before))
    overlapping = periods.parse("2025-01-01..2026-12-31")
    together = REPORT.counts(user, office, REPORT.figures, (year, before, overlapping))
    assert {cell: n for cell, n in together.items() if cell[1] != overlapping.code} == apart
    for figure in REPORT.figures:
        both = together[figure.key, year.code] + together[figure.key, before.code]
        # An appeal extended in both years counts in each year, once in the two together.
        assert together[figure.key, overlapping.code] <= both, figure.key
