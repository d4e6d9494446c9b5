"""A report as CSV: one line per figure with this period, the year before and the change. The
labels are ours (no citizen's text), so nothing here needs neutralizing against formulas; it
starts with a byte-order mark, like the dashboard's CSV (legal_statistics/exports.py), so that
Excel reads Kazakh and Russian as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from legal_statistics.reports.figures import Row
from legal_statistics.reports.query import ReportQuery


def csv_text(query: ReportQuery, rows: Sequence[Row]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    before = query.period.year_before()
    period_label, before_label = _("Period"), _("Year before")
    writer.writerow(
        [
            _("Section"),
            _("Figure"),
            _("Article"),
            f"{period_label} {query.period.code}",
            f"{before_label} {before.code}",
            _("Change, %"),
        ]
    )
    for row in rows:
        change = "" if row.change is None else f"{row.change:.1f}"
        writer.writerow(
            [
                str(row.figure.section),
                str(row.figure.label),
                row.figure.article,
                row.current,
                row.before,
                change,
            ]
        )
    return out.getvalue()
