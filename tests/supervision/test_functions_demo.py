"""The demo's analyses, requests and summonses (supervision/functions/demo.py)."""

import pytest

from prosecution.models import TermState
from prosecution.terms import engine as terms
from supervision.functions import requests, summons
from supervision.models import (
    DeliveryStatus,
    ForcedDelivery,
    ForcedDeliveryState,
    InformationRequest,
    RequestState,
    Study,
    StudyState,
    SummonsChannel,
    SummonsNotification,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_overdue_answered_records_and_a_refused_forced_delivery(db):
    from prosecution.seed.demo import seed_demo
    from supervision.demo import seed_demo_checks
    from supervision.functions.demo import seed_demo_functions

    seed_demo()
    seed_demo_checks()
    assert seed_demo_functions() == 10
    assert seed_demo_functions() == 0  # idempotent
    assert set(Study.objects.values_list("state", flat=True)) == {
        StudyState.OPEN,
        StudyState.COMPLETED,
    }
    assert set(InformationRequest.objects.values_list("state", flat=True)) == {
        RequestState.SENT,
        RequestState.ANSWERED,
    }
    terms.mark_missed()
    overdue = InformationRequest.objects.get(addressee_name="Astana Su Arnasy LLP")
    assert requests.request_term(overdue).state == TermState.MISSED
    sms = SummonsNotification.objects.get(channel=SummonsChannel.SMS)
    assert sms.notice is not None
    letter = SummonsNotification.objects.get(channel=SummonsChannel.REGISTERED_MAIL)
    assert summons.delivery_of(letter) == DeliveryStatus.DELIVERED
    refused = ForcedDelivery.objects.get()
    assert (refused.state, refused.refusal_article) == (ForcedDeliveryState.REFUSED, "Art. 26(13)")
