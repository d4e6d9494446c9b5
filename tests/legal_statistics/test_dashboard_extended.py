"""The deadline dashboard counts the extended terms beside the suspended ones (issue 17): a term
is extended when the terms engine extended it by a decision (Art. 24(4) an appeal's answer,
Art. 18(4) a check; prosecution/terms/engine.py extend_term logs an "extended" event). The
figure is in the cards, the roll-up by office, the kinds, the people, the API and the exports,
and its list holds as many terms as it says."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from legal_statistics import selectors
from legal_statistics.bands import Horizon
from legal_statistics.selectors import DashboardFilters
from prosecution.models import Term, TermKind, TermState
from prosecution.terms import engine as terms
from tests.dashboard_terms import FRIDAY_BEFORE_NAURYZ, make_term, on_day

pytestmark = pytest.mark.django_db

FRIDAY = FRIDAY_BEFORE_NAURYZ
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _extend(term, days=5):
    # An appeal's extension opens a term to tell the applicant (Art. 24(5)) on the same record:
    # the record must exist, so the term times its office, as the demo's terms do.
    if term.kind == TermKind.APPEAL_ANSWER:
        Term.objects.filter(pk=term.pk).update(subject_id=term.office_id)
        term.refresh_from_db()
    return terms.extend_term(
        term, by=None, reason="a reasoned decision", length=days, on=FRIDAY, system=True
    )


@pytest.fixture
def extended(cast):
    """Four active extended terms: two in district A (one of them then suspended, Art. 18(4)),
    one in district B, one of the region's own; an extended term since met, which is no longer
    active; and terms never extended."""
    a, b = cast.district_a, cast.district_b
    with on_day(FRIDAY):
        answer = _extend(make_term(a, date(2026, 3, 31), responsible=cast.a_user))  # Art. 24(4)
        check = _extend(make_term(a, date(2026, 3, 30), kind=TermKind.CHECK_DURATION), 10)
        check = terms.suspend_term(
            check, on=FRIDAY, reason="an expert examination", by=None, system=True
        )
        in_b = _extend(make_term(b, date(2026, 4, 2), kind=TermKind.CHECK_DURATION))
        own = _extend(make_term(cast.region, date(2026, 4, 6)))
        met = _extend(make_term(a, date(2026, 4, 1), kind=TermKind.CHECK_DURATION))
        terms.meet_term(met, on=FRIDAY, system=True, note="completed")
        plain = [make_term(a, date(2026, 3, 31)), make_term(b, FRIDAY, TermState.SUSPENDED)]
    return {"answer": answer, "check": check, "in_b": in_b, "own": own, "met": met, "plain": plain}


def _dashboard(user, office, **filters):
    with on_day(FRIDAY):
        return selectors.dashboard(user, office, DashboardFilters(**filters))


def test_extended_terms_are_counted_in_all_by_office_by_kind_and_by_person(cast, extended):
    data = _dashboard(cast.region_user, cast.region)
    assert data.totals.extended == 4
    assert data.totals.suspended == 2  # the extended check counts as suspended too
    rows = {row.code: row.counts.extended for row in data.by_office}
    assert rows == {"R-AKMOLA": 1, "R-AKMOLA-D1": 2, "R-AKMOLA-D2": 1}
    kinds = {row.kind: row.counts.extended for row in data.by_kind}
    assert kinds[TermKind.APPEAL_ANSWER] == 2 and kinds[TermKind.CHECK_DURATION] == 2
    # The notice of an appeal's extension is a term of its own (Art. 24(5)), not extended.
    assert kinds[TermKind.APPEAL_EXTENSION_NOTICE] == 0
    people = {row.username: row.counts.extended for row in data.by_person}
    assert people["district_a"] == 1
    # An extended term is in a band too: the total is not changed by it.
    assert data.totals.total == sum(row.counts.total for row in data.by_office)


def test_a_district_counts_its_own_and_sees_nothing_of_its_sibling(cast, extended):
    data = _dashboard(cast.a_user, cast.district_a)
    assert data.totals.extended == 2
    assert [row.counts.extended for row in data.by_office] == [2]


def test_the_list_of_extended_terms_holds_as_many_as_the_figure(cast, extended):
    horizon = Horizon.on(FRIDAY)
    listed = selectors.items(
        cast.region_user, cast.region, DashboardFilters(extended=True), horizon
    )
    expected = {extended[name].pk for name in ("answer", "check", "in_b", "own")}
    assert {term.pk for term in listed} == expected
    assert {term.pk: term.extensions for term in listed} == dict.fromkeys(expected, 1)
    kind_only = DashboardFilters(extended=True, kind=TermKind.CHECK_DURATION)
    assert len(selectors.items(cast.region_user, cast.region, kind_only, horizon)) == 2


def test_the_page_shows_the_card_and_the_columns_and_the_card_opens_the_list(
    cast, extended, client
):
    client.force_login(cast.region_user)
    with on_day(FRIDAY):
        html = client.get("/dashboard/?office=R-AKMOLA").content.decode()
        assert '<span class="band-count" data-band="extended">4</span>' in html
        assert 'href="?office=R-AKMOLA&amp;extended=1&amp;list=1#items"' in html
        by_office = html[html.index('data-testid="by-office"') :].split("</table>")[0]
        district_a = by_office[by_office.index('data-office="R-AKMOLA-D1"') :].split("</tr>")[0]
        assert "extended=1" in district_a and ">2</a></td>" in district_a
        listed = client.get("/dashboard/?office=R-AKMOLA&extended=1&list=1")
    assert listed.context["page"].paginator.count == 4
    assert listed.content.decode().count('data-testid="extensions"') == 4


def test_the_api_carries_the_extended_terms(cast, extended, client):
    client.force_login(cast.region_user)
    with on_day(FRIDAY):
        body = client.get("/api/v1/dashboard/?office=R-AKMOLA").json()
    assert body["totals"]["extended"] == 4
    rows = {row["code"]: row["counts"]["extended"] for row in body["by_office"]}
    assert rows == {"R-AKMOLA": 1, "R-AKMOLA-D1": 2, "R-AKMOLA-D2": 1}
    kinds = {row["kind"]: row["counts"]["extended"] for row in body["by_kind"]}
    assert kinds[TermKind.CHECK_DURATION] == 2


def test_the_exports_say_how_many_times_each_term_was_extended(cast, extended, client):
    client.force_login(cast.region_user)
    with on_day(FRIDAY):
        response = client.get(reverse("dashboard-csv") + "?office=R-AKMOLA", **ENGLISH)
        content = b"".join(response.streaming_content).decode().lstrip("\ufeff")
        only = client.get(reverse("dashboard-csv") + "?office=R-AKMOLA&extended=1", **ENGLISH)
        only_content = b"".join(only.streaming_content).decode().lstrip("\ufeff")
        xlsx = client.get(reverse("dashboard-xlsx") + "?office=R-AKMOLA&extended=1", **ENGLISH)
    rows = list(csv.reader(io.StringIO(content)))
    column = rows[0].index("Extensions")
    by_uuid = {row[-1]: row[column] for row in rows[1:]}
    assert by_uuid[str(extended["answer"].uuid)] == "1"
    assert by_uuid[str(extended["plain"][0].uuid)] == "0"
    assert len(list(csv.reader(io.StringIO(only_content)))) == 1 + 4
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == [1, 1, 1, 1]  # numbers, not text
