"""The reports' pages, CSV and API (legal_statistics/report_views.py, report_api.py): the table
beside the year before, every figure a door to exactly as many records as it says, through the
real routes; outside the scope 404."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from legal_statistics import reports
from legal_statistics.reports import periods
from prosecution.lib.articles import article_label
from prosecution.models import Office

pytestmark = pytest.mark.django_db

REPORT = reports.get("appeals")
QUERY = "?office=R-AKMOLA&period=2026-11"


def _page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_table_shows_this_period_the_year_before_and_the_change(client, cast, made):
    response = _page(client, cast.region_user, reverse("reports") + QUERY + "&report=appeals")
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(r'<tr data-figure="received">(.*?)</tr>', html, re.S).group(1)
    assert ">6</a>" in row and ">1</a>" in row and "+500.0" in row  # growth with its sign
    figure_url = reverse("report-figure", args=["appeals", "received"])
    assert f"{figure_url}?office=R-AKMOLA&amp;period=2026-11" in row
    assert f"{figure_url}?office=R-AKMOLA&amp;period=2025-11" in row
    # The article as the page's language cites it (prosecution/lib/articles.py).
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert article_label("Art. 24(3)") in html


def test_by_default_the_users_office_and_the_current_month(client, cast, made):
    response = _page(client, cast.a_user, reverse("reports"))
    assert response.status_code == 200
    query = response.context["query"]
    assert query.office == cast.district_a and query.period.code == "2026-11"
    assert {row.figure.key: row.current for row in response.context["rows"]}["received"] == 4


def test_every_figure_page_lists_as_many_records_as_the_figure(client, cast, made):
    client.force_login(cast.region_user)
    for row in REPORT.rows(cast.region_user, cast.region, periods.parse("2026-11")):
        url = reverse("report-figure", args=["appeals", row.figure.key]) + QUERY
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == row.current, row.figure.key
        links = re.findall(r'<li><a href="(/appeals/[0-9a-f-]+/)">', response.content.decode())
        assert len(links) == row.current, row.figure.key


def test_a_record_in_the_list_opens_its_page(client, cast, made):
    client.force_login(cast.a_user)
    url = reverse("report-figure", args=["appeals", "redirected"]) + "?period=2026-11"
    html = client.get(url).content.decode()
    assert reverse("appeal-detail", kwargs={"uuid": made["redirected"].uuid}) in html


@pytest.mark.parametrize(
    "name, args",
    [
        ("reports", []),
        ("report-csv", ["appeals"]),
        ("report-xlsx", ["checks"]),
        ("report-figure", ["appeals", "received"]),
        ("api-report", ["appeals"]),
        ("api-report-figure", ["appeals", "received"]),
    ],
)
def test_outside_the_scope_404(client, cast, made, name, args):
    """District B asks for district A's report: 404, as for any record out of scope."""
    client.force_login(cast.b_user)
    response = client.get(reverse(name, args=args) + "?office=R-AKMOLA-D1&period=2026-11")
    assert response.status_code == 404
    # Its own office answers.
    response = client.get(reverse(name, args=args) + "?office=R-AKMOLA-D2&period=2026-11")
    assert response.status_code == 200


def test_an_unknown_report_or_figure_is_404_and_a_bad_period_400(client, cast, made):
    client.force_login(cast.a_user)
    assert client.get(reverse("report-figure", args=["appeals", "nonsense"])).status_code == 404
    assert client.get(reverse("api-report", args=["nonsense"])).status_code == 404
    assert client.get(reverse("reports") + "?period=2026-13").status_code == 400
    response = client.get(reverse("api-report", args=["appeals"]) + "?period=2026-Q5")
    assert response.status_code == 400


def test_the_csv_has_every_figure_with_the_year_before_in_the_readers_language(client, cast, made):
    client.force_login(cast.region_user)
    url = reverse("report-csv", args=["appeals"]) + QUERY
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert 'filename="appeals-R-AKMOLA-2026-11.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert lines[0][3:] == ["Период 2026-11", "Годом ранее 2025-11", "Изменение, %"]
    assert len(lines) == 1 + len(REPORT.figures)
    received = next(line for line in lines if line[1] == "Всего поступило")
    assert received[3:] == ["6", "1", "500.0"]
    kazakh = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Барлығы келіп түскені" in kazakh


def test_the_xlsx_has_typed_cells_widths_a_frozen_header_and_filters(client, cast, made):
    client.force_login(cast.region_user)
    url = reverse("report-xlsx", args=["appeals"]) + QUERY
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert 'filename="appeals-R-AKMOLA-2026-11.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:F{len(REPORT.figures) + 1}"
    assert sheet.column_dimensions["B"].width > 40
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Всего поступило"][3:] == (6, 1, 500.0)  # numbers, not text
    assert rows["Подано на этом сайте"][3:] == (0, 0, None)  # no change from nothing


def test_the_api_gives_the_figures_and_each_records_link_counts_as_many(client, cast, made):
    client.force_login(cast.region_user)
    response = client.get(reverse("api-report", args=["appeals"]) + QUERY)
    assert response.status_code == 200
    data = response.json()
    assert data["office"] == "R-AKMOLA" and data["year_before"]["code"] == "2025-11"
    figures = {figure["key"]: figure for figure in data["figures"]}
    assert len(figures) == len(REPORT.figures)
    assert (figures["received"]["current"], figures["received"]["before"]) == (6, 1)
    assert figures["received"]["change"] == 500.0
    assert figures["channel-online"]["change"] is None
    for figure in data["figures"]:
        for link, expected in ((figure["records"], figure["current"]),):
            listed = client.get(link + "&limit=100").json()
            assert listed["count"] == expected == len(listed["results"]), figure["key"]
    before = client.get(figures["outcome-refused"]["records_before"]).json()
    assert before["count"] == 1
    assert before["results"][0]["url"].endswith(f"/appeals/{made['last_year'].uuid}/")


def test_the_office_list_offers_the_scope_only(client, cast, made):
    response = _page(client, cast.region_user, reverse("reports"))
    offices = set(response.context["offices"])
    assert cast.district_a in offices and cast.region in offices
    assert cast.other_district not in offices
    assert Office.objects.get(code="GPO") not in offices


def test_a_figures_list_costs_the_same_queries_for_one_record_or_many(client, cast, made):
    """Queries are counted: a page of records is read in a fixed number of queries, not one more
    per record."""
    client.force_login(cast.region_user)
    counts = {}
    for key in ("redirected", "received"):  # 1 appeal and 6
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("report-figure", args=["appeals", key]) + QUERY)
        assert response.status_code == 200
        counts[key] = len(queries)
    assert counts["redirected"] == counts["received"]
