"""The appeals API (/api/v1/appeals/): scope (docs/security.md 1, 3), the list and its filters, the
appeal with its terms and timeline, the door for other systems with its idempotency key
(docs/security.md 18), every action with the article it enforces, the OpenAPI description, and the
appeal's whole life through the API."""

from datetime import date

import pytest
import time_machine
from django.db import transaction
from rest_framework.authtoken.models import Token

from appeals import services
from appeals.models import (
    AnswerLetter,
    Appeal,
    AppealKind,
    Channel,
    DocumentStatus,
    RestoreDecision,
)
from appeals.serializers import API_ACTIONS
from prosecution import workdays
from prosecution.models import Notice, NoticeKind, Position, Term, TermKind, TermState
from prosecution.notices import outbox
from supervision import services as checks
from tests.appeal_helpers import CITIZEN_IIN, RECEIVED, citizen, register
from tests.check_helpers import running_since
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

LIST = "/api/v1/appeals/"


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


def _build_letter(appeal) -> None:
    """The answer letter's PDF, built as the worker would (on commit, which a test's transaction
    never reaches)."""
    from appeals import letters

    for letter in AnswerLetter.objects.filter(appeal=appeal, status=DocumentStatus.PENDING):
        assert letters.build(letter.pk) == "ready"


def _get(client, user, path, **extra):
    client.force_login(user)
    return client.get(path, **extra)


def _post(client, user, path, data=None, **extra):
    client.force_login(user)
    return client.post(path, data or {}, content_type="application/json", **extra)


def _act(client, user, appeal, action, data=None):
    return _post(client, user, f"{LIST}{appeal.uuid}/{action}/", data)


def _error(response) -> dict:
    return response.json()["error"]


def _uuids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["uuid"] for row in response.json()["results"]}


def _assigned(cast, head_a, **extra):
    appeal, _code = register(cast, **extra)
    with transaction.atomic():
        return services.assign_appeal(appeal, by=head_a, executor=cast.a_user)


def _decided(cast, head_a, outcome="explained", **extra):
    appeal = _assigned(cast, head_a, **extra)
    with transaction.atomic():
        return services.decide_appeal(
            appeal,
            by=cast.a_user,
            outcome=outcome,
            answer_text="Разъяснено право на обращение в суд.",
            legislation="Трудовой кодекс РК, ст. 113",
        )


def _answered(cast, head_a, **extra):
    appeal = _decided(cast, head_a, **extra)
    _build_letter(appeal)
    with transaction.atomic():
        return services.send_answer(appeal, by=cast.a_user, method="email")


def _complaint(cast, **extra):
    fields = {
        "kind": AppealKind.COMPLAINT,
        "complained_office": cast.district_a,
        "complained_act": "Ответ на обращение от 20.10.2026",
        "learned_on": date(2026, 10, 21),
    }
    fields.update(extra)
    return register(cast, **fields)


def _payload(**extra) -> dict:
    data = {
        "office": "R-AKMOLA-D1",
        "channel": "egov",
        "received_on": "2026-11-09",
        "language": "kk",
        "summary": "Жалақы төленбейді",
        "text": "Жұмыс беруші үш ай бойы жалақы төлемейді.",
        "applicants": [
            {"iin": CITIZEN_IIN, "last_name": "Абаев", "first_name": "Ерлан", "email": "e@mail.kz"}
        ],
    }
    data.update(extra)
    return data


# Scope (docs/security.md 1, 3)
# ---------------------------------------------------------------------


def test_a_district_sees_its_appeals_the_region_its_districts_and_another_region_nothing(
    cast, client
):
    """Art. 5(2): the superior office directs and reviews the ones below it."""
    in_a, _code = register(cast)
    in_b, _code = register(cast, office=cast.district_b, by=cast.b_user)
    assert _uuids(_get(client, cast.a_user, LIST)) == {str(in_a.uuid)}
    assert _uuids(_get(client, cast.b_user, LIST)) == {str(in_b.uuid)}
    assert _uuids(_get(client, cast.region_user, LIST)) == {str(in_a.uuid), str(in_b.uuid)}
    assert _uuids(_get(client, cast.gpo_user, LIST)) == {str(in_a.uuid), str(in_b.uuid)}
    assert _uuids(_get(client, cast.other_user, LIST)) == set()
    assert _get(client, cast.region_user, f"{LIST}{in_a.uuid}/").status_code == 200
    for outsider in (cast.b_user, cast.other_user):
        response = _get(client, outsider, f"{LIST}{in_a.uuid}/")
        assert response.status_code == 404 and _error(response)["code"] == "not_found"


def test_an_appeal_out_of_scope_is_404_to_act_on_and_stays_as_it_was(cast, client):
    appeal, _code = register(cast)
    boss_b = make_staff("head_b", cast.district_b, Position.HEAD)
    response = _act(
        client, boss_b, appeal, "extend", {"ground": "facts", "until": "2026-12-01", "reason": "x"}
    )
    assert response.status_code == 404
    response = _act(client, cast.other_user, appeal, "record-ground", {"ground": "3"})
    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.ground == "" and appeal.events.count() == 1
    assert _act(client, cast.b_user, appeal, "no-such-action").status_code == 404
    assert _get(client, cast.a_user, f"{LIST}not-a-uuid/").status_code == 404


def test_inactive_and_anonymous_callers_get_401(cast, client):
    appeal, _code = register(cast)
    for path in (LIST, f"{LIST}{appeal.uuid}/"):
        assert client.get(path).status_code == 401
        assert _get(client, cast.inactive_user, path).status_code == 401
    client.logout()
    assert client.post(LIST, _payload(), content_type="application/json").status_code == 401
    token = Token.objects.create(user=cast.inactive_user)
    response = client.get(LIST, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401
    # A member of staff whose profile was switched off is signed in but not staff any more.
    profile = cast.a_user.staff_profile
    profile.is_active = False
    profile.save()
    assert _get(client, cast.a_user, LIST).status_code == 403


def test_a_search_from_a_sibling_district_finds_nothing_of_district_a(cast, client):
    """Leak test: the IIN, the number and the name of A's applicant mean nothing to district B."""
    appeal, _code = register(cast)
    for q in (CITIZEN_IIN, appeal.reference, "Абаев"):
        assert _uuids(_get(client, cast.b_user, f"{LIST}?q={q}")) == set()
        assert _uuids(_get(client, cast.a_user, f"{LIST}?q={q}")) == {str(appeal.uuid)}


# The list ---------------------------------------------------------------------------------------


def test_the_list_finds_by_number_name_iin_and_text(cast, client):
    wages, _code = register(cast)
    other, _code = register(
        cast,
        applicants=[citizen(iin="", last_name="Серикова", first_name="Айгуль")],
        summary="Отказ в выдаче справки",
        text="Акимат не выдаёт справку о составе семьи.",
    )
    search = {
        wages.reference: {wages},
        "Абаев": {wages},
        CITIZEN_IIN: {wages},
        "Серикова": {other},
        "справк": {other},
        "R-AKMOLA-D1/2026": {wages, other},
    }
    for q, expected in search.items():
        found = _uuids(_get(client, cast.a_user, f"{LIST}?q={q}"))
        assert found == {str(a.uuid) for a in expected}, q


def test_the_list_filters_by_state_office_channel_kind_term_and_mine(cast, head_a, client):
    assigned = _assigned(cast, head_a)  # in work, executed by district A's prosecutor
    by_email, _code = register(cast, channel=Channel.EMAIL, received_on=date(2026, 11, 9))
    in_b, _code = register(cast, office=cast.district_b, by=cast.b_user)
    complaint, _code = _complaint(cast)  # in the region
    closed, _code = register(cast, applicants=[], is_anonymous=True)  # not considered: no term
    user = cast.region_user

    def found(query):
        return _uuids(_get(client, user, f"{LIST}?{query}"))

    assert found("state=in_work") == {str(assigned.uuid)}
    assert found("office=R-AKMOLA-D2") == {str(in_b.uuid)}
    assert found("office=R-AKMOLA") == {
        str(a.uuid) for a in (assigned, by_email, in_b, complaint, closed)
    }
    assert found("channel=email") == {str(by_email.uuid)}
    assert found("kind=complaint") == {str(complaint.uuid)}
    assert str(closed.uuid) not in found("term=open")
    assert found("term=open") == {str(a.uuid) for a in (assigned, by_email, in_b, complaint)}
    assert found("term=overdue") == set()
    client.force_login(cast.a_user)
    assert _uuids(client.get(f"{LIST}?mine=true")) == {str(assigned.uuid)}
    # Monday 23 November: the 15 working days from 2 November end today (Art. 24(3)).
    with time_machine.travel("2026-11-20 10:00 +05:00", tick=False):
        client.force_login(cast.a_user)  # a new day, a new session
        soon = _uuids(client.get(f"{LIST}?term=soon"))
        assert soon == {str(assigned.uuid)}  # by e-mail: received on the 9th, due 30 Nov
    with time_machine.travel("2026-11-24 10:00 +05:00", tick=False):
        client.force_login(cast.a_user)
        assert _uuids(client.get(f"{LIST}?term=overdue")) == {str(assigned.uuid)}
        rows = client.get(f"{LIST}?term=open").json()["results"]
        assert [r["uuid"] for r in rows] == [str(assigned.uuid), str(by_email.uuid)]
        assert rows[0]["due"] == "2026-11-23"


def test_bad_filters_are_400_naming_the_parameter(cast, client):
    client.force_login(cast.a_user)
    for query, field in (
        ("state=lost", "state"),
        ("office=NOWHERE", "office"),
        ("term=tomorrow", "term"),
        ("kind=petition", "kind"),
        ("mine=perhaps", "mine"),
    ):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 400, query
        assert field in _error(response)["fields"], query


def test_the_list_costs_the_same_queries_for_any_number_of_appeals(
    cast, head_a, client, django_assert_max_num_queries
):
    for n in range(6):
        appeal, _code = register(
            cast, applicants=[citizen(), citizen(iin="", last_name=f"Соавтор {n}")]
        )
        if n % 2:
            services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(cast.region_user)
    # session, user, the session's authenticator (django-otp), staff profile, count, rows (office,
    # executor and due joined), applicants
    with django_assert_max_num_queries(7):
        body = client.get(f"{LIST}?q=R-AKMOLA").json()
    assert body["count"] == 6 and all(len(r["applicants"]) == 2 for r in body["results"])


# The appeal -------------------------------------------------------------------------------------


def test_the_appeal_shows_its_applicants_terms_with_why_this_date_timeline_and_letters(
    cast, head_a, client
):
    appeal = _decided(cast, head_a)
    body = _get(client, cast.a_user, f"{LIST}{appeal.uuid}/").json()
    assert body["reference"] == appeal.reference and body["office"] == "R-AKMOLA-D1"
    assert body["applicants"][0]["iin"] == CITIZEN_IIN
    assert body["applicants"][0]["display_name"] == "Абаев Ерлан"
    (term,) = body["terms"]
    assert term["kind"] == TermKind.APPEAL_ANSWER and term["legal_basis"] == "Art. 24(3)"
    assert term["due_date"] == "2026-11-23" == body["due"]
    why = term["why_this_date"]
    assert why["start"] == RECEIVED.isoformat() and why["term"] == 15
    assert "2026-11-07" in {d["date"] for d in why["skipped"]}  # a Saturday
    assert [e["kind"] for e in body["timeline"]] == ["registered", "assigned", "decided"]
    assert body["timeline"][-1]["by"] == "district_a"
    (letter,) = body["letters"]
    assert letter == {"uuid": str(appeal.letters.get().uuid), "status": "pending"}
    assert body["outcome"] == "explained" and body["answer_language"] == "ru"
    assert body["executor"] == "district_a"


def test_earlier_appeals_of_the_applicant_are_shown_with_their_answers_if_visible(
    cast, head_a, client
):
    """Art. 24(8): staff see the applicant's earlier appeals, among those they may see."""
    earlier = _answered(cast, head_a, received_on=date(2026, 11, 2))
    in_b, _code = register(cast, office=cast.district_b, by=cast.b_user)
    later, _code = register(cast, received_on=date(2026, 11, 9))
    body = _get(client, cast.a_user, f"{LIST}{later.uuid}/").json()
    assert [e["uuid"] for e in body["earlier_appeals"]] == [str(earlier.uuid)]
    assert body["earlier_appeals"][0]["answer_text"].startswith("Разъяснено")
    assert body["earlier_appeals"][0]["outcome"] == "explained"
    body = _get(client, cast.region_user, f"{LIST}{later.uuid}/").json()
    assert {e["uuid"] for e in body["earlier_appeals"]} == {str(earlier.uuid), str(in_b.uuid)}


def test_allowed_actions_are_what_the_state_allows_and_the_role_permits(cast, head_a, client):
    appeal, _code = register(cast)
    clerk = set(_get(client, cast.a_user, f"{LIST}{appeal.uuid}/").json()["allowed_actions"])
    head = set(_get(client, head_a, f"{LIST}{appeal.uuid}/").json()["allowed_actions"])
    assert {"record-ground", "redirect", "terminate", "mark-procedural"} <= clerk
    assert not {"assign", "extend", "send-to-office", "decide"} & clerk  # leadership; state
    assert {"assign", "extend", "send-to-office"} <= head
    assert head <= set(API_ACTIONS.values())


def test_every_api_action_has_its_route(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in API_ACTIONS.values():
        assert f"/api/v1/appeals/{{uuid}}/{path}/" in schema["paths"], path


# The door for other systems (docs/security.md 18)
# ----------------------------------------------------


def test_another_system_registers_an_appeal_once_per_idempotency_key(cast, client):
    system = make_staff("egov", cast.gpo)
    key = {"HTTP_IDEMPOTENCY_KEY": "egov-2026-000123"}
    first = _post(client, system, LIST, _payload(), **key)
    assert first.status_code == 201, first.content
    body = first.json()
    appeal = Appeal.objects.get(uuid=body["uuid"])
    assert body["reference"] == "R-AKMOLA-D1/2026/00001" and body["status_code"]
    assert first["Location"].endswith(f"/api/v1/appeals/{appeal.uuid}/")
    assert appeal.source == "api" and appeal.channel == "egov" and appeal.created_by == system
    assert appeal.received_on == date(2026, 11, 9)
    assert services.status_for(reference=appeal.reference, code=body["status_code"]) == appeal
    retry = _post(client, system, LIST, _payload(), **key)
    assert retry.status_code == 200
    assert retry.json()["uuid"] == body["uuid"] and "status_code" not in retry.json()
    # The same key from another caller is another appeal: keys are per caller.
    other = _post(client, cast.region_user, LIST, _payload(), **key)
    assert other.status_code == 201 and other.json()["uuid"] != body["uuid"]
    assert Appeal.objects.count() == 2


def test_a_post_without_a_usable_idempotency_key_is_400(cast, client):
    for headers in ({}, {"HTTP_IDEMPOTENCY_KEY": "  "}, {"HTTP_IDEMPOTENCY_KEY": "k" * 101}):
        response = _post(client, cast.a_user, LIST, _payload(), **headers)
        assert response.status_code == 400
        assert "Idempotency-Key" in _error(response)["fields"]
    assert not Appeal.objects.exists()


def test_an_invalid_applicant_is_400_under_its_index(cast, client):
    applicants = [
        {"iin": CITIZEN_IIN, "last_name": "Абаев"},
        {"iin": "900101300127", "last_name": "Абаева", "phone": "12"},
        {"kind": "legal_entity", "bin": "123", "organisation": ""},
    ]
    response = _post(
        client, cast.a_user, LIST, _payload(applicants=applicants), HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 400
    fields = _error(response)["fields"]["applicants"]  # by index, the valid ones left out
    assert set(fields) == {"1", "2"}
    assert set(fields["1"]) == {"iin", "phone"}
    assert set(fields["2"]) == {"bin", "organisation"}
    missing = _post(client, cast.a_user, LIST, {"office": "R-AKMOLA-D1"}, HTTP_IDEMPOTENCY_KEY="k")
    assert {"language", "summary", "text"} <= set(_error(missing)["fields"])
    assert not Appeal.objects.exists()


def test_a_caller_registers_appeals_only_in_offices_of_its_scope(cast, client):
    response = _post(
        client, cast.b_user, LIST, _payload(office="R-AKMOLA-D1"), HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 403 and _error(response)["code"] == "forbidden"
    assert not Appeal.objects.exists()


def test_an_anonymous_appeal_posted_by_a_system_is_not_considered(cast, client):
    """Art. 24(6)."""
    response = _post(
        client,
        cast.a_user,
        LIST,
        _payload(applicants=[], is_anonymous=True),
        HTTP_IDEMPOTENCY_KEY="anon-1",
    )
    assert response.status_code == 201 and response.json()["state"] == "not_considered"


# Actions ----------------------------------------------------------------------------------------


def test_the_head_assigns_an_executor_and_a_prosecutor_may_not(cast, head_a, client):
    appeal, _code = register(cast)
    response = _act(client, cast.a_user, appeal, "assign", {"executor": "district_a"})
    assert response.status_code == 403 and _error(response)["code"] == "forbidden"
    co = make_staff("co_a", cast.district_a)
    response = _act(
        client, head_a, appeal, "assign", {"executor": "district_a", "co_executors": ["co_a"]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "in_work" and body["executor"] == "district_a"
    assert body["co_executors"] == [co.username]
    # Someone the head cannot see is "no such user", whether or not they exist.
    response = _act(client, head_a, appeal, "assign", {"executor": "district_b"})
    assert response.status_code == 400 and "executor" in _error(response)["fields"]


def test_the_region_sends_an_appeal_to_another_district_with_its_reason(cast, client):
    appeal, _code = register(cast)
    response = _act(
        client,
        cast.region_user,
        appeal,
        "send-to-office",
        {"office": "R-AKMOLA-D2", "reason": "По территориальности"},
    )
    assert response.status_code == 200 and response.json()["office"] == "R-AKMOLA-D2"
    assert _get(client, cast.a_user, f"{LIST}{appeal.uuid}/").status_code == 404
    assert _get(client, cast.b_user, f"{LIST}{appeal.uuid}/").status_code == 200
    response = _act(
        client,
        cast.region_user,
        appeal,
        "send-to-office",
        {"office": "R-PAVLODAR-D1", "reason": "x"},
    )
    assert response.status_code == 409 and _error(response)["code"] == "scope"


def test_the_ground_of_art_24_1_is_recorded(cast, client):
    appeal, _code = register(cast)
    response = _act(client, cast.a_user, appeal, "record-ground", {"ground": "3"})
    assert response.status_code == 200 and response.json()["ground"] == "3"
    response = _act(client, cast.a_user, appeal, "record-ground", {"ground": "8"})
    assert response.status_code == 400 and "ground" in _error(response)["fields"]


def test_only_the_head_extends_and_only_within_two_months(cast, head_a, client):
    """Art. 24(4): a reasoned decision of the head or a deputy; two months from receipt at
    most. Art. 24(5): the applicant is told within 3 working days (a term and a notice)."""
    appeal = _assigned(cast, head_a)
    data = {"ground": "facts", "until": "2026-12-10", "reason": "Запрошены сведения из акимата"}
    refused = _act(client, cast.a_user, appeal, "extend", data)
    assert refused.status_code == 403
    assert _error(refused) | {"message": ""} == {
        "code": "forbidden",
        "article": "Art. 24(4)",
        "article_label": "24-баптың 4-тармағы",  # the request's language: Kazakh, the default
        "message": "",
    }
    beyond = _act(client, head_a, appeal, "extend", {**data, "until": "2027-01-20"})
    assert beyond.status_code == 409
    assert _error(beyond)["code"] == "extension_beyond_maximum"
    assert _error(beyond)["article"] == "Art. 24(4)"
    response = _act(client, head_a, appeal, "extend", data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due"] == "2026-12-10"
    terms = {t["kind"]: t for t in body["terms"]}
    assert terms[TermKind.APPEAL_EXTENSION_NOTICE]["due_date"] == "2026-11-13"
    assert terms[TermKind.APPEAL_EXTENSION_NOTICE]["legal_basis"] == "Art. 24(5)"
    assert Notice.objects.filter(
        subject_id=appeal.pk, kind=NoticeKind.EXTENSION_TO_APPLICANT
    ).exists()
    # Told by post instead: staff record it, and the Art. 24(5) term is met.
    response = _act(
        client, cast.a_user, appeal, "tell-extension", {"on": "2026-11-10", "how": "Письмом"}
    )
    assert response.status_code == 200
    notice_term = Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_EXTENSION_NOTICE)
    assert notice_term.state == TermState.MET and notice_term.met_on == date(2026, 11, 10)
    again = _act(client, cast.a_user, appeal, "tell-extension", {"on": "2026-11-10", "how": "x"})
    assert again.status_code == 409 and _error(again)["article"] == "Art. 24(5)"


def test_a_check_gives_an_interim_reply_then_10_working_days_after_it_ends(
    cast, head_a, cc, client
):
    """Art. 24(4): the appeal names its check (by uuid, among those the caller sees); the
    check's completion opens the final answer's term."""
    appeal = _assigned(cast, head_a)
    check = running_since(cc, RECEIVED)
    data = {"check": str(check.uuid), "interim_reply": "Назначена проверка."}
    response = _act(client, cast.a_user, appeal, "appoint-check", data)
    assert response.status_code == 200 and response.json()["state"] == "on_check"
    assert response.json()["check"] == str(check.uuid)
    assert response.json()["due"] is None  # the interim reply met the 15 days; none runs
    with time_machine.travel("2026-11-20 10:00 +05:00", tick=False):
        response = _act(
            client, cast.a_user, appeal, "complete-check", {"completed_on": "2026-11-19"}
        )
        assert response.status_code == 409  # the linked check's end is the check's
        with transaction.atomic():
            checks.complete_check(check, by=cc.inspector, result="R", on=date(2026, 11, 19))
        response = client.get(f"/api/v1/appeals/{appeal.uuid}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "in_work" and body["due"] == "2026-12-03"
    assert {t["kind"] for t in body["terms"]} >= {TermKind.APPEAL_FINAL_AFTER_CHECK}


def test_a_procedural_appeal_follows_its_code_s_term(cast, client):
    """Art. 24(9)."""
    appeal, _code = register(cast)
    data = {"code": "criminal", "due": "2026-11-12", "reason": "УПК РК, ст. 181"}
    response = _act(client, cast.a_user, appeal, "mark-procedural", data)
    assert response.status_code == 200 and response.json()["procedural_code"] == "criminal"
    assert response.json()["due"] == "2026-11-12"
    again = _act(client, cast.a_user, appeal, "mark-procedural", data)
    assert again.status_code == 409 and _error(again)["article"] == "Art. 24(9)"


def test_a_late_complaint_is_considered_only_once_the_region_restores_its_term(cast, client):
    """Art. 25(1): filed more than three months after the person learned of the act."""
    complaint, _code = _complaint(cast, learned_on=date(2026, 7, 1))
    assert complaint.restore == RestoreDecision.REQUESTED
    region_prosecutor = make_staff("region_prosecutor", cast.region)
    data = {"granted": True, "reason": "Заявитель находился на лечении"}
    refused = _act(client, region_prosecutor, complaint, "decide-restore", data)
    assert refused.status_code == 403 and _error(refused)["article"] == "Art. 25(1)"
    assert _act(client, cast.a_user, complaint, "decide-restore", data).status_code == 404
    response = _act(client, cast.region_user, complaint, "decide-restore", data)
    assert response.status_code == 200 and response.json()["restore"] == "granted"


def test_a_redirected_appeal_counts_as_answered(cast, client):
    """Art. 24(1): on none of the grounds, to the competent body."""
    appeal, _code = register(cast)
    response = _act(
        client,
        cast.a_user,
        appeal,
        "redirect",
        {"to_body": "Акимат г. Кокшетау", "reason": "Вопрос компетенции акимата"},
    )
    body = response.json()
    assert body["state"] == "redirected" and body["redirected_to"] == "Акимат г. Кокшетау"
    assert body["due"] is None and body["terms"][0]["state"] == "met"


def test_a_repeated_appeal_is_terminated_citing_the_earlier_answer(cast, head_a, client):
    """Art. 24(8)."""
    earlier = _answered(cast, head_a, received_on=date(2026, 11, 2))
    in_b, _code = register(cast, office=cast.district_b, by=cast.b_user)
    repeated, _code = register(cast, received_on=date(2026, 11, 9))
    reason = "Новых доводов нет"
    hidden = _act(
        client, cast.a_user, repeated, "terminate", {"earlier": str(in_b.uuid), "reason": reason}
    )
    assert hidden.status_code == 400 and "earlier" in _error(hidden)["fields"]
    response = _act(
        client, cast.a_user, repeated, "terminate", {"earlier": str(earlier.uuid), "reason": reason}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "terminated" and body["earlier_appeal"] == str(earlier.uuid)
    not_answered, _code = register(cast, received_on=date(2026, 11, 3))
    later, _code = register(cast, received_on=date(2026, 11, 10))
    response = _act(
        client,
        cast.a_user,
        later,
        "terminate",
        {"earlier": str(not_answered.uuid), "reason": reason},
    )
    assert response.status_code == 409 and _error(response)["code"] == "earlier_not_answered"


def test_an_anonymous_appeal_is_closed_or_proceeds_when_it_reports_a_crime(cast, client):
    """Art. 24(6)."""
    appeal, _code = register(cast, applicants=[], is_anonymous=True, reports_offence_or_threat=True)
    response = _act(client, cast.a_user, appeal, "close-anonymous")
    assert response.status_code == 200 and response.json()["state"] == "not_considered"
    response = _act(
        client, cast.a_user, appeal, "proceed-anonymous", {"reason": "Сообщает о поджоге"}
    )
    body = response.json()
    assert body["state"] == "registered" and body["reports_offence_or_threat"] is True
    assert body["due"] == "2026-11-23"  # the term runs from the receipt, not from today
    named, _code = register(cast)
    response = _act(client, cast.a_user, named, "close-anonymous")
    assert response.status_code == 409 and _error(response)["article"] == "Art. 24(6)"


def test_a_decision_is_reasoned_can_be_withdrawn_and_is_sent_once_its_letter_is_ready(
    cast, head_a, client
):
    """Art. 24(7): outcome, reasons and legislation; the letter in the answer's language."""
    appeal = _assigned(cast, head_a)
    decision = {
        "outcome": "satisfied",
        "answer_text": "Работодателю внесено представление.",
        "legislation": "Закон о прокуратуре, ст. 24",
    }
    only_complaints = _act(
        client, cast.a_user, appeal, "decide", {**decision, "act_effect": "cancelled"}
    )
    assert only_complaints.status_code == 409
    assert _error(only_complaints)["article"] == "Art. 43(3)"
    missing = _act(client, cast.a_user, appeal, "decide", {"outcome": "satisfied"})
    assert {"answer_text", "legislation"} <= set(_error(missing)["fields"])
    assert (
        _act(
            client, cast.a_user, appeal, "decide", {**decision, "outcome": "terminated"}
        ).status_code
        == 400
    )
    response = _act(client, cast.a_user, appeal, "decide", decision)
    assert response.status_code == 200 and response.json()["state"] == "decided"
    response = _act(client, cast.a_user, appeal, "reopen", {"reason": "Ошибка в номере статьи"})
    assert response.status_code == 200 and response.json()["state"] == "in_work"
    response = _act(client, cast.a_user, appeal, "decide", decision)
    assert [letter["status"] for letter in response.json()["letters"]] == ["pending", "pending"]
    not_ready = _act(client, cast.a_user, appeal, "answer", {"method": "email"})
    assert not_ready.status_code == 409 and _error(not_ready)["code"] == "letter_not_ready"
    _build_letter(appeal)
    response = _act(client, cast.a_user, appeal, "answer", {"method": "post", "on": "2026-11-10"})
    body = response.json()
    assert body["state"] == "answered" and body["answer_method"] == "post"
    assert body["answered_on"] == "2026-11-10" and body["terms"][0]["state"] == "met"
    assert body["allowed_actions"] == []


def test_a_refused_appeal_from_a_reception_waits_for_the_personal_answer(cast, head_a, client):
    """docs/sources.md, seed 001, 002: the refusal is explained in person before the appeal is
    closed."""
    appeal = _decided(cast, head_a, outcome="refused", channel=Channel.RECEPTION)
    _build_letter(appeal)
    response = _act(client, cast.a_user, appeal, "answer", {"method": "in_person"})
    assert response.json()["state"] == "awaiting_personal"
    assert response.json()["personal_answer_required"] is True
    response = _act(
        client,
        cast.a_user,
        appeal,
        "personal-answer",
        {"on": "2026-11-10", "note": "Разъяснены причины отказа"},
    )
    assert response.status_code == 200 and response.json()["state"] == "answered"


def test_an_action_the_state_does_not_allow_is_409(cast, client):
    appeal, _code = register(cast)
    response = _act(
        client,
        cast.a_user,
        appeal,
        "decide",
        {"outcome": "explained", "answer_text": "x", "legislation": "y"},
    )
    assert response.status_code == 409 and _error(response)["code"] == "wrong_state"


def test_a_validation_error_of_a_service_is_400_with_its_fields():
    """A service may validate a value itself (django's ValidationError): one error shape."""
    from django.core.exceptions import ValidationError

    from prosecution.api.errors import exception_handler

    response = exception_handler(ValidationError({"iin": "Wrong check digit."}), {})
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {"iin": ["Wrong check digit."]}


# The OpenAPI description ------------------------------------------------------------------------


def test_the_schema_describes_the_appeals_api_without_warnings():
    """Another system integrates from /api/schema/: every route of appeals with its input, its
    answers and errors, and no guesswork by the generator."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    complaints = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "appeal" in message.lower()
    ]
    assert not complaints
    paths = {p: v for p, v in schema["paths"].items() if p.startswith("/api/v1/appeals/")}
    assert len(paths) == 2 + len(API_ACTIONS)
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), (path, method)
            if method == "post" and path != LIST:
                assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), path
                assert "requestBody" in operation, path
                assert operation["description"], path


def test_the_create_documents_its_idempotency_key_header_and_both_answers(client):
    schema = client.get("/api/schema/?format=json").json()
    create = schema["paths"][LIST]["post"]
    (header,) = [p for p in create["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and header["required"] is True
    assert {"200", "201", "400", "403", "409"} <= set(create["responses"])
    receipt = schema["components"]["schemas"]["AppealReceipt"]
    assert "status_code" in receipt["properties"]
    assert "status_code" not in receipt.get("required", [])


# The whole life ---------------------------------------------------------------------------------


def test_an_appeals_whole_life_through_the_api(cast, head_a, client):
    """Filed online (the code confirmed) -> registered -> assigned -> extended with the applicant
    told (Art. 24(4), (5)) -> decided -> answered with its letter in the appeal's language
    (Art. 24(7)) -> complaint against the answer to the superior office (Art. 25(1)) -> decided
    by the region's head with its effect on the act (Art. 43(3))."""
    # Saturday night: a citizen files online in Kazakh, then confirms with the code.
    with time_machine.travel("2026-11-07 22:00 +05:00", tick=False):
        with transaction.atomic():
            filing = services.start_online_filing(
                office=cast.district_a,
                applicant=citizen(),
                language="kk",
                summary="Жалақы төленбейді",
                text="Жұмыс беруші үш ай бойы жалақы төлемейді.",
                confirm_by="email",
            )
        code = Notice.objects.get(
            subject_id=filing.confirmation_id, kind=NoticeKind.ONE_TIME_CODE
        ).context["code"]
        appeal, _status_code = services.confirm_online_filing(filing, code=code)
    page = f"{LIST}{appeal.uuid}/"

    # Monday: the head of district A finds it and names the executor.
    with time_machine.travel("2026-11-09 09:00 +05:00", tick=False):
        body = _get(client, head_a, f"{LIST}?state=registered&channel=online").json()
        assert [r["uuid"] for r in body["results"]] == [str(appeal.uuid)]
        body = _get(client, head_a, page).json()
        assert body["received_on"] == "2026-11-07" and body["due"] == "2026-11-27"
        assert "assign" in body["allowed_actions"]
        body = _act(client, head_a, appeal, "assign", {"executor": "district_a"}).json()
        assert body["state"] == "in_work" and body["executor"] == "district_a"

    # The head extends the term; the applicant is told by e-mail, which meets Art. 24(5).
    with time_machine.travel("2026-11-16 10:00 +05:00", tick=False):
        response = _act(
            client,
            head_a,
            appeal,
            "extend",
            {
                "ground": "facts",
                "until": "2026-12-18",
                "reason": "Сведения запрошены в департаменте труда",
            },
        )
        assert response.status_code == 200, response.content
        assert response.json()["due"] == "2026-12-18"
        notices = Notice.objects.filter(
            subject_id=appeal.pk, kind=NoticeKind.EXTENSION_TO_APPLICANT
        )
        assert notices and all(n.language == "kk" for n in notices)
        for notice in notices:
            assert outbox.deliver(notice.pk) == "sent"
        terms = {t["kind"]: t for t in _get(client, cast.a_user, page).json()["terms"]}
        told = terms[TermKind.APPEAL_EXTENSION_NOTICE]
        assert told["state"] == "met" and told["met_on"] == "2026-11-16"
        assert terms[TermKind.APPEAL_ANSWER]["due_date"] == "2026-12-18"

    # The executor decides (a refusal), the letter is built in Kazakh, the answer is sent.
    with time_machine.travel("2026-12-01 11:00 +05:00", tick=False):
        body = _act(
            client,
            cast.a_user,
            appeal,
            "decide",
            {
                "outcome": "refused",
                "answer_text": "Жалақы толық төленгені анықталды.",
                "legislation": "ҚР Еңбек кодексі, 113-бап",
            },
        ).json()
        assert body["state"] == "decided" and body["answer_language"] == "kk"
        assert AnswerLetter.objects.get(appeal=appeal).language == "kk"
        _build_letter(appeal)
        assert _get(client, cast.a_user, page).json()["letters"][0]["status"] == "ready"
        body = _act(client, cast.a_user, appeal, "answer", {"method": "email"}).json()
        assert body["state"] == "answered" and body["answered_on"] == "2026-12-01"
        terms = _get(client, cast.a_user, page).json()["terms"]
        assert terms and all(t["state"] == "met" for t in terms)

    # A week later the e-government portal posts the citizen's complaint against the answer;
    # a retry of the same post changes nothing.
    egov = make_staff("egov", cast.gpo)
    complaint_data = _payload(
        office="R-AKMOLA-D1",
        received_on="2026-12-07",
        kind="complaint",
        complained_office="R-AKMOLA-D1",
        complained_act="Ответ прокуратуры района от 01.12.2026 (отказ)",
        learned_on="2026-12-02",
        summary="Жалоба на ответ прокуратуры района",
        text="Не согласен с отказом.",
    )
    with time_machine.travel("2026-12-07 12:00 +05:00", tick=False):
        response = _post(client, egov, LIST, complaint_data, HTTP_IDEMPOTENCY_KEY="egov-c-77")
        assert response.status_code == 201, response.content
        receipt = response.json()
        assert receipt["office"] == "R-AKMOLA" and receipt["kind"] == "complaint"
        again = _post(client, egov, LIST, complaint_data, HTTP_IDEMPOTENCY_KEY="egov-c-77")
        assert again.status_code == 200 and again.json()["uuid"] == receipt["uuid"]
    complaint = Appeal.objects.get(uuid=receipt["uuid"])
    complaint_page = f"{LIST}{complaint.uuid}/"

    # It lands at the region, with 20 working days; the district complained about sees nothing.
    with time_machine.travel("2026-12-08 10:00 +05:00", tick=False):
        assert _get(client, cast.a_user, complaint_page).status_code == 404
        assert str(complaint.uuid) not in _uuids(_get(client, cast.a_user, LIST))
        body = _get(client, cast.region_user, complaint_page).json()
        (term,) = body["terms"]
        assert term["legal_basis"] == "Art. 25(1)"
        assert term["due_date"] == workdays.add_working_days(date(2026, 12, 7), 20).isoformat()
        assert [e["uuid"] for e in body["earlier_appeals"]] == [str(appeal.uuid)]
        assert body["earlier_appeals"][0]["outcome"] == "refused"
        assert {"assign", "decide-restore"} <= set(body["allowed_actions"])
        body = _act(client, cast.region_user, complaint, "assign", {"executor": "region"}).json()
        assert body["state"] == "in_work"

    # The region's head decides: the district's answer is cancelled (Art. 43(3)); a
    # prosecutor of the region may not decide a complaint (Art. 25(1)).
    with time_machine.travel("2026-12-14 10:00 +05:00", tick=False):
        decision = {
            "outcome": "satisfied",
            "answer_text": "Ответ района отменён, проверка поручена повторно.",
            "legislation": "Закон о прокуратуре, ст. 25, 43",
            "language": "kk",
        }
        region_prosecutor = make_staff("region_prosecutor", cast.region)
        refused = _act(
            client, region_prosecutor, complaint, "decide", {**decision, "act_effect": "cancelled"}
        )
        assert refused.status_code == 403 and _error(refused)["article"] == "Art. 25(1)"
        no_effect = _act(client, cast.region_user, complaint, "decide", decision)
        assert no_effect.status_code == 409 and _error(no_effect)["article"] == "Art. 43(3)"
        response = _act(
            client, cast.region_user, complaint, "decide", {**decision, "act_effect": "cancelled"}
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["state"] == "decided" and body["act_effect"] == "cancelled"
        assert body["decided_by"] == "region" and body["complained_office"] == "R-AKMOLA-D1"
        _build_letter(complaint)
        body = _act(client, cast.region_user, complaint, "answer", {"method": "egov"}).json()
        assert body["state"] == "answered"
        assert [e["kind"] for e in body["timeline"]] == [
            "registered",
            "assigned",
            "decided",
            "answered",
        ]
