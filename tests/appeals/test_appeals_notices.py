"""Every notice an appeal sends renders from its templates and goes out, in the language of the
appeal for the applicant (Art. 24(7)) and of the profile for staff."""

from datetime import date

import pytest
import time_machine
from django.db import transaction

from appeals import letters, services
from appeals.services.answer import current_letter
from prosecution.models import Notice, NoticeState
from prosecution.notices import outbox
from supervision import services as checks
from tests.appeal_helpers import citizen, register
from tests.check_helpers import running_since

pytestmark = pytest.mark.django_db


def _deliver_all() -> list[Notice]:
    for notice in Notice.objects.filter(state=NoticeState.QUEUED):
        outbox.deliver(notice.pk)
    return list(Notice.objects.all())


@pytest.mark.parametrize(
    ("language", "words"),
    [("kk", "тіркелді"), ("ru", "зарегистрировано"), ("en", "is registered")],
)
def test_every_notice_of_an_appeal_renders_and_goes_out(cast, head_a, cc, language, words):
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        appeal, _code = register(cast, language=language)
        earlier, _code = register(cast, language=language, received_on=date(2026, 10, 1))
        other, _code = register(cast, language=language)
        with transaction.atomic():
            services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
            services.assign_appeal(earlier, by=head_a, executor=cast.a_user)
            services.extend_appeal_term(
                appeal, by=head_a, until=date(2026, 12, 15), ground="facts", reason="R"
            )
            check = running_since(cc, date(2026, 11, 2))
            services.appoint_check(appeal, by=cast.a_user, legality_check=check, interim_reply="I")
            checks.complete_check(check, by=cc.inspector, result="R", on=date(2026, 11, 10))
            services.decide_appeal(
                appeal, by=cast.a_user, outcome="refused", answer_text="A", legislation="L"
            )
            services.decide_appeal(
                earlier, by=cast.a_user, outcome="explained", answer_text="A", legislation="L"
            )
            services.redirect_appeal(other, by=cast.a_user, to_body="Полиция", reason="R")
        for item in (appeal, earlier):
            assert letters.build(current_letter(item).pk) == "ready"
        with transaction.atomic():
            services.send_answer(appeal, by=cast.a_user, method="email")
            services.send_answer(earlier, by=cast.a_user, method="post")
        later, _code = register(cast, language=language, applicants=[citizen()])
        with transaction.atomic():
            services.terminate_repeated(later, by=cast.a_user, earlier=earlier, reason="R")
        notices = _deliver_all()
    kinds = {n.kind for n in notices}
    assert {
        "appeal_registered",
        "appeal_assigned",
        "extension_to_applicant",
        "appeal_interim_reply",
        "appeal_answered",
        "appeal_redirected",
        "appeal_terminated",
    } <= kinds
    failed = [(n.kind, n.channel, n.last_error) for n in notices if n.state != NoticeState.SENT]
    assert not failed
    registered = next(n for n in notices if n.kind == "appeal_registered" and n.channel == "email")
    assert words in registered.title.lower() + registered.body.lower()
    assert all(len(n.body) <= 160 for n in notices if n.channel == "sms" and language != "kk")
