"""Every row of the dashboard's list of terms opens the record its term belongs to (issue 17):
the appeal, the check, the act, the analysis or assessment, the request for information, or the
office (the demo's terms), through the one resolver of a term's subject to its page
(legal_statistics/links.py RECORD_PAGES), and only for a record the reader may open."""

from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from legal_statistics import links
from prosecution.models import Term, TermKind
from prosecution.terms import engine as terms
from supervision.models import StudyKind
from tests.act_helpers import ActCast, delivered
from tests.appeal_helpers import register
from tests.check_helpers import started
from tests.supervision.function_helpers import request, study

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


@pytest.fixture
def records(cast, cc):
    """One record of each kind that opens terms, all in district A."""
    appeal, _code = register(cast)
    made = {
        "appeals.appeal": appeal,
        "supervision.check": started(cc, on=date(2026, 11, 2)),
        "acts.act": delivered(ActCast(cast)),
        "supervision.study": study(
            cast.a_user, cast.a_user, started_on=TODAY, due=date(2026, 11, 30)
        ),
        "supervision.informationrequest": request(
            cast.a_user, sent_on=TODAY, due=date(2026, 11, 17)
        ),
    }
    assessment = study(
        cast.a_user,
        cast.a_user,
        kind=StudyKind.ASSESSMENT,
        started_on=TODAY,
        due=date(2026, 11, 30),
        topic="Acts of the akimat in force",
    )
    terms.open_term(
        subject=cast.district_a,
        kind=TermKind.SET_BY_PROSECUTOR,
        office=cast.district_a,
        start_date=TODAY,
        start_event="demo data",
        set_due=date(2026, 11, 20),
        label="Демо",
    )
    made["prosecution.office"] = cast.district_a
    made["assessment"] = assessment
    return made


def _subject_key(term: Term) -> str:
    content_type = ContentType.objects.get_for_id(term.subject_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def test_every_kind_of_record_with_terms_has_a_page(cast, records):
    kinds = {_subject_key(term) for term in Term.objects.all()}
    assert kinds == set(links.RECORD_PAGES)


def test_every_row_of_the_list_opens_its_record(cast, records, client):
    client.force_login(cast.region_user)
    response = client.get("/dashboard/?office=R-AKMOLA-D1&list=1")
    html = response.content.decode()
    listed = list(response.context["page"])
    assert len(listed) == Term.objects.filter(state__in=("open", "suspended", "missed")).count()
    subjects = set()
    for term in listed:
        row = html[html.index(f'data-term="{term.uuid}"') :].split("</tr>")[0]
        assert 'data-testid="record"' in row, term
        url = row.split('<a href="', 1)[1].split('"', 1)[0]
        assert client.get(url).status_code == 200, (term, url)
        record = term.subject
        assert str(record.uuid) in url
        subjects.add(_subject_key(term))
    assert subjects == set(links.RECORD_PAGES)
    assessment = records["assessment"]
    assert f"/supervision/assessments/{assessment.uuid}/" in html
    assert f"/supervision/analyses/{records['supervision.study'].uuid}/" in html


def test_a_record_the_reader_may_not_open_gets_no_link(cast, records):
    """The resolver reads the records through the access policy: district B's prosecutor is
    given no link to district A's records, were their terms ever put before them."""
    every = list(Term.objects.all())
    assert len(links.record_urls(cast.region_user, every)) == len(every)
    assert links.record_urls(cast.b_user, every) == {}


def test_the_links_cost_one_query_per_kind_of_record(cast, records, django_assert_num_queries):
    every = list(Term.objects.all())
    links.record_urls(cast.region_user, every)  # the staff profile and content types, cached
    with django_assert_num_queries(len(links.RECORD_PAGES)):
        links.record_urls(cast.region_user, every)
