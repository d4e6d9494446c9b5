"""On PostgreSQL: acts signed at once in one office take distinct, gapless register numbers
(prosecution/lib/numbering.py: one counter row per office and year, locked by its UPDATE)."""

import pytest

from acts import services as acts
from acts.models import Act
from prosecution.lib.errors import RuleViolation
from tests.act_helpers import ActCast, drafted
from tests.conftest import Cast


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_50_concurrent_acts_in_one_office_get_50_distinct_register_numbers(reference_data):
    from tests.integration.test_postgres import run_at_once  # the PostgreSQL tests' harness

    ac = ActCast(Cast())
    drafts = [drafted(ac) for _ in range(50)]
    pending = iter(drafts)

    def sign_one():
        acts.sign_act(next(pending), by=ac.prosecutor)

    outcomes = run_at_once(50, sign_one, (RuleViolation,))
    assert outcomes.count("done") == 50, outcomes
    numbers = sorted(Act.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 51))
    assert Act.objects.values("register_number").distinct().count() == 50
