"""The demo acts (acts/demo.py), seeded on the real day as `make run` seeds them: every kind,
every state, some late, one cancelled by the superior office."""

import pytest

from acts import selectors
from acts.demo import seed_demo_acts
from acts.models import Act, ActEventKind, ActKind, ActState
from prosecution.seed.demo import seed_demo
from supervision.demo import seed_demo_checks

pytestmark = pytest.mark.django_db


def test_the_demo_has_acts_of_every_kind_in_every_state(db):
    seed_demo()
    seed_demo_checks()
    made = seed_demo_acts()
    assert made >= len(ActKind.values)
    assert seed_demo_acts() == 0  # idempotent
    assert set(Act.objects.values_list("kind", flat=True)) == set(ActKind.values)
    assert set(Act.objects.values_list("state", flat=True)) == set(ActState.values)
    assert selectors.acts_in_scope(
        Act.objects.first().drafted_by, selectors.ActFilters(late=True)
    ).exists()
    assert Act.objects.filter(events__kind=ActEventKind.CANCELLED).count() == 1
    # One published (Art. 42, acts/publication.py), nothing classified among the published.
    assert Act.objects.filter(published_at__isnull=False, is_classified=False).count() == 1
