""" "To hand out" (issue 13): a head (or a deputy), who names the executors, lands on the new
appeals of their office that nobody executes yet, the oldest first (their 15 working days run
from receipt, Art. 24(3), whether anyone has them or not): on the "my work" page and as the
default of /appeals/. Before, both opened on the head's own appeals and terms, and new appeals
showed in neither."""

from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from appeals import services
from prosecution.models import Position
from tests.appeal_helpers import register
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def queue(cast, head_a):
    """District A: three new appeals (received 5, 2 and 4 November), one of them already handed
    out; district B: one new appeal; the region: one of its own."""
    newest, _ = register(cast, received_on=date(2026, 11, 5), summary="Newest")
    oldest, _ = register(cast, received_on=date(2026, 11, 2), summary="Oldest")
    handed, _ = register(cast, received_on=date(2026, 11, 4), summary="Handed out")
    with transaction.atomic():
        services.assign_appeal(handed, by=head_a, executor=cast.a_user)
    register(cast, office=cast.district_b, by=cast.b_user, summary="District B")
    register(cast, office=cast.region, by=cast.region_user, summary="The region's own")
    return oldest, newest


def _order(html: str, *summaries) -> list[int]:
    return [html.index(summary) for summary in summaries]


def test_a_head_lands_on_what_to_hand_out_oldest_first(client, head_a, queue):
    client.force_login(head_a)
    html = client.get(reverse("appeal-list")).content.decode()
    assert "<h2>To hand out</h2>" in html
    first, second = _order(html, "Oldest", "Newest")
    assert first < second
    for other in ("Handed out", "District B", "The region&#x27;s own"):
        assert other not in html


def test_the_head_still_reaches_their_own_appeals(client, head_a, queue):
    client.force_login(head_a)
    html = client.get(reverse("appeal-list"), {"view": "mine"}).content.decode()
    assert "<h2>My appeals</h2>" in html and "Oldest" not in html


def test_the_my_work_page_shows_what_to_hand_out(client, head_a, queue):
    client.force_login(head_a)
    html = client.get(reverse("my-work")).content.decode()
    section = html.split('data-testid="to-hand-out"')[1].split("</section>")[0]
    assert "(2)" in section
    first, second = _order(section, "Oldest", "Newest")
    assert first < second and "Handed out" not in section


def test_staff_who_do_not_assign_land_on_their_own_appeals(client, cast, queue):
    client.force_login(cast.a_user)
    html = client.get(reverse("appeal-list")).content.decode()
    assert "<h2>My appeals</h2>" in html and 'data-testid="view-to-hand-out"' not in html
    assert "Oldest" not in html
    work = client.get(reverse("my-work")).content.decode()
    assert 'data-testid="to-hand-out"' not in work


def test_a_deputy_hands_out_too(client, cast, queue):
    deputy = make_staff("deputy_a", cast.district_a, Position.DEPUTY)
    client.force_login(deputy)
    html = client.get(reverse("appeal-list")).content.decode()
    assert "<h2>To hand out</h2>" in html and "Oldest" in html


def test_a_search_is_still_a_search(client, head_a, queue):
    client.force_login(head_a)
    html = client.get(reverse("appeal-list"), {"q": "Handed"}).content.decode()
    assert "<h2>Search results</h2>" in html and "Handed out" in html


def test_the_list_to_hand_out_costs_the_same_queries_for_two_or_twenty(
    client, cast, head_a, queue, django_assert_max_num_queries
):
    client.force_login(head_a)
    client.get(reverse("appeal-list"))  # warm the session and the caches
    for n in range(18):
        register(cast, received_on=date(2026, 11, 3), summary=f"More {n}")
    with django_assert_max_num_queries(20):
        client.get(reverse("appeal-list"))
