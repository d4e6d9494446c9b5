"""A report as CSV or XLSX: one line per figure with this period, the year before and the change.
Both read one table (`table`), so the two files never disagree. The labels are ours (no
citizen's text), so nothing needs neutralizing against formulas. The CSV starts with a byte-order
mark, like the dashboard's (legal_statistics/exports.py), so that Excel reads Kazakh and Russian
as UTF-8; the XLSX has typed cells (numbers as numbers), column widths, a frozen header and
filters, as the dashboard's has."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from legal_statistics.reports.figures import Row
from legal_statistics.reports.query import ReportQuery
from legal_statistics.reports.receptions import LeaderDuty
from prosecution.lib.articles import article_label
from prosecution.lib.names import shown_name

# In characters, one per column: a section's and a figure's names are long, articles short.
XLSX_WIDTHS = [34, 56, 18, 16, 18, 12]
LEADER_WIDTHS = [32, 44, 14, 14, 14, 16]


def table(query: ReportQuery, rows: Sequence[Row]) -> tuple[list[str], list[list]]:
    """The header and the lines: counts as int, the change as float or None (no base); a figure
    with a Value (an average, a duty) has a second line with it, as float or None."""
    before = query.period.year_before()
    period_label, before_label = _("Period"), _("Year before")
    header = [
        _("Section"),
        _("Figure"),
        _("Article"),
        f"{period_label} {query.period.code}",
        f"{before_label} {before.code}",
        _("Change, %"),
    ]
    lines: list[list] = []
    for row in rows:
        figure, article = row.figure, article_label(row.figure.article)
        lines.append(
            [str(figure.section), str(figure.label), article, row.current, row.before, row.change]
        )
        if figure.value is not None:  # its value on a line of its own, under its count
            label = f"{figure.label}: {figure.value.label}"
            lines.append(
                [str(figure.section), label, article, row.value, row.value_before, row.value_change]
            )
    return header, lines


def csv_text(query: ReportQuery, rows: Sequence[Row]) -> str:
    header, lines = table(query, rows)
    # The change, the last column, to one decimal; none without a base.
    return _csv(
        header, [[*line[:-1], "" if line[-1] is None else f"{line[-1]:.1f}"] for line in lines]
    )


def leaders_csv_text(leaders: Sequence[LeaderDuty]) -> str:
    """The receptions report's leaders against the duty, as the XLSX's second sheet has them."""
    return _csv(*leaders_table(leaders))


def _csv(header: list[str], lines: list[list]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(lines)
    return out.getvalue()


def xlsx_bytes(
    query: ReportQuery, rows: Sequence[Row], leaders: Sequence[LeaderDuty] | None = None
) -> bytes:
    """The report on its sheet; the receptions report's leaders against the duty on a second."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    _fill(sheet, f"{query.report.key} {query.office.code}", *table(query, rows), XLSX_WIDTHS)
    if leaders is not None:
        _fill(book.create_sheet(), _("Leaders"), *leaders_table(leaders), LEADER_WIDTHS)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def leaders_table(leaders: Sequence[LeaderDuty]) -> tuple[list[str], list[list]]:
    header = [
        _("Leader"),
        _("Office"),
        _("Duty"),
        _("Days held"),
        _("Days owed"),
        _("Below the duty by"),
    ]
    lines = [
        [
            shown_name(leader.profile.user),
            leader.profile.office.name,
            _("weekly") if leader.weekly else _("monthly"),
            leader.held,
            leader.owed,
            leader.short,
        ]
        for leader in leaders
    ]
    return header, lines


def _fill(sheet, title: str, header: list[str], lines: list[list], widths: list[int]) -> None:
    """A sheet with typed cells, column widths, a frozen header and filters."""
    sheet.title = title[:31]
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(lines) + 1}"
