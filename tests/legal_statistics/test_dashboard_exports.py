"""CSV and XLSX exports of the dashboard's item list: the same terms as the list, in the caller's
scope, and text that a spreadsheet would run as a formula made inert."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from legal_statistics import exports
from prosecution.models import TermState
from tests.dashboard_terms import FRIDAY_BEFORE_NAURYZ as FRIDAY
from tests.dashboard_terms import make_term, on_day

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil")', "+7 701 000", "-2+3", "@SUM(A1)", "\t=1"]


def _csv(client, url="/dashboard/export.csv"):
    with on_day(FRIDAY):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 Kazakh and Russian with it
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(client, url="/dashboard/export.xlsx"):
    with on_day(FRIDAY):
        response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return response, [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_csv_holds_the_filtered_list_most_urgent_first(cast, client):
    late = make_term(cast.district_a, FRIDAY - timedelta(days=3), TermState.MISSED)
    today = make_term(cast.district_a, FRIDAY, responsible=cast.a_user)
    make_term(cast.district_a, FRIDAY, TermState.MET)
    make_term(cast.district_b, FRIDAY)
    client.force_login(cast.region_user)
    rows = _csv(client, "/dashboard/export.csv?office=R-AKMOLA-D1")
    assert len(rows) == 3 and len(rows[0]) == len(exports.HEADER)
    assert [row[-1] for row in rows[1:]] == [str(late.uuid), str(today.uuid)]
    assert rows[1][0] == late.due_date.isoformat() and rows[2][-3] == "district_a"
    only_today = _csv(client, "/dashboard/export.csv?office=R-AKMOLA-D1&band=due_today")
    assert [row[-1] for row in only_today[1:]] == [str(today.uuid)]


def test_formulas_are_made_inert_in_both_formats(cast, client):
    """A subject typed by a citizen must not run in the supervisor's spreadsheet (CSV
    injection)."""
    for text in DANGEROUS:
        make_term(cast.district_a, FRIDAY, label=text)
    make_term(cast.district_a, FRIDAY, label="Appeal of Ms A. (-)")
    client.force_login(cast.a_user)
    subjects = {row[6] for row in _csv(client)[1:]}
    assert subjects == {"'" + text for text in DANGEROUS} | {"Appeal of Ms A. (-)"}
    _response, rows = _xlsx(client)
    assert {row[6] for row in rows[1:]} == subjects


def test_the_xlsx_is_capped_and_says_so(cast, client, monkeypatch):
    for i in range(5):
        make_term(cast.district_a, FRIDAY + timedelta(days=i))
    client.force_login(cast.a_user)
    response, rows = _xlsx(client)
    assert response["X-Truncated"] == "false" and len(rows) == 6
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    response, rows = _xlsx(client)
    assert (response["X-Rows"], response["X-Truncated"]) == ("3", "true")
    assert "3" in rows[0][0] and "CSV" in rows[0][0]  # the note first, then header and 3 rows
    assert len(rows) == 5


def test_exports_follow_the_access_policy(cast, client):
    a_term = make_term(cast.district_a, FRIDAY)
    make_term(cast.district_b, FRIDAY)
    client.force_login(cast.b_user)
    assert str(a_term.uuid) not in {row[-1] for row in _csv(client)}
    with on_day(FRIDAY):
        for url in ("/dashboard/export.csv", "/dashboard/export.xlsx"):
            assert client.get(f"{url}?office=R-AKMOLA-D1").status_code == 404
            assert client.get(f"{url}?kind=castle").status_code == 400
    client.logout()
    assert client.get("/dashboard/export.csv").status_code == 302


def _sheet(client):
    with on_day(FRIDAY):
        response = client.get("/dashboard/export.xlsx")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_xlsx_opens_readable_with_a_frozen_header_and_filters(cast, client, monkeypatch):
    """Issue 13, point 8: every column was 8 characters wide, the header scrolled away and there
    was nothing to filter by."""
    for i in range(5):
        make_term(cast.district_a, FRIDAY + timedelta(days=i))
    client.force_login(cast.a_user)
    sheet = _sheet(client)
    widths = [sheet.column_dimensions[chr(ord("A") + i)].width for i in range(len(exports.HEADER))]
    assert widths == exports.XLSX_WIDTHS and min(widths) >= 12
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet.auto_filter.ref == "A1:L6"  # the header and the five rows
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    capped = _sheet(client)  # the note above the header: both move down a row
    assert capped.freeze_panes == "A3" and capped.auto_filter.ref == "A2:L5"
