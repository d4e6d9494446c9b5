"""CSV and XLSX exports of the dashboard's item list (the filtered terms behind the numbers).

- CSV is streamed row by row from a server-side cursor: a republic-wide list of a million terms
  never sits in memory. It starts with a byte-order mark, so that Excel reads Kazakh and Russian
  as UTF-8.
- XLSX is built in openpyxl's write-only mode into a temporary file, and capped at XLSX_MAX_ROWS:
  beyond that a spreadsheet is the wrong tool, and the first row says so (the CSV has them all).
- A spreadsheet runs a cell that starts with =, +, - or @ as a formula (CSV injection: a subject
  typed by a citizen could be "=HYPERLINK(...)"). Such text gets a leading apostrophe, in both
  formats.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from legal_statistics.bands import Band

if TYPE_CHECKING:
    from legal_statistics.selectors import TermWithBand

XLSX_MAX_ROWS = 50_000
CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    gettext_lazy("Due date"),
    gettext_lazy("Band"),
    gettext_lazy("State"),
    gettext_lazy("Extensions"),
    gettext_lazy("Obligation"),
    gettext_lazy("Legal basis"),
    gettext_lazy("Subject"),
    gettext_lazy("Office code"),
    gettext_lazy("Office"),
    gettext_lazy("Responsible"),
    gettext_lazy("Start date"),
    gettext_lazy("Identifier"),
]
# The XLSX's column widths, in characters, one per HEADER column: wide enough for a date, an
# office's name or a person's, so that the sheet opens readable (issue 13: every column was 8).
XLSX_WIDTHS = [12, 22, 14, 12, 40, 14, 40, 16, 44, 30, 12, 38]


def neutralized(value):
    """Text that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def item_row(term: TermWithBand) -> list:
    responsible = term.responsible
    return [
        term.due_date,
        str(Band(term.band).label) if term.band else "",
        term.get_state_display(),
        # How many times it was extended (Art. 24(4), 18(4)), as the dashboard counts the
        # extended terms beside the suspended ones: a number, 0 for none.
        term.extensions,
        term.get_kind_display(),
        term.legal_basis,
        term.subject_label,
        term.office.code,
        term.office.name,
        (responsible.get_full_name() or responsible.get_username()) if responsible else "",
        term.start_date,
        str(term.uuid),
    ]


def _rows(terms: Iterable[TermWithBand]) -> Iterator[list]:
    yield [str(title) for title in HEADER]
    for term in terms:
        yield [neutralized(value) for value in item_row(term)]


class _Line:
    """csv.writer writes into this and gets the line back: nothing is buffered."""

    def write(self, line: str) -> str:
        return line


def csv_lines(queryset) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in _rows(queryset.iterator(chunk_size=CHUNK)):
        yield writer.writerow(row)


@dataclass
class XlsxFile:
    file: tempfile._TemporaryFileWrapper
    rows: int
    truncated: bool


def xlsx_file(queryset, *, title: str, limit: int | None = None) -> XlsxFile:
    """The first `limit` (XLSX_MAX_ROWS) items in a workbook in a temporary file (deleted when
    closed)."""
    limit = limit or XLSX_MAX_ROWS
    # Asked first, because the note goes above the rows and a write-only sheet only appends.
    truncated = queryset[limit : limit + 1].exists()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    # Widths and the frozen header go before the first row: a write-only sheet writes its head
    # then (the filter, written at the end, may come after the rows).
    for column, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    header_row = 2 if truncated else 1
    sheet.freeze_panes = f"A{header_row + 1}"
    if truncated:
        sheet.append(
            [
                _(
                    "Only the first %(limit)s terms are in this file; the CSV export has all of "
                    "them."
                )
                % {"limit": f"{limit:,}"}
            ]
        )
    rows = -1  # the header
    for row in _rows(queryset[:limit].iterator(chunk_size=CHUNK)):
        sheet.append(row)
        rows += 1
    last = get_column_letter(len(HEADER))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(rows, 1)}"
    # Not a `with`: the FileResponse streams it and closes (so deletes) it after the last byte.
    file = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115
    book.save(file)
    file.seek(0)
    return XlsxFile(file, rows, truncated)
