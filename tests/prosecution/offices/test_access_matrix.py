"""docs/security.md 1: every route × a fixed cast of users (district A, district B, their region,
the GPO, an inactive user, anonymous). The routes come from the URL configuration: a new route that
is not classified in ROUTES fails this test until someone says who may see it.

Art. 5(2): a superior office directs and reviews the inferior ones, so the region and the GPO see
district A's records; the sibling district B does not, and gets 404 (existence is not leaked).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from prosecution.models import StaffProfile

pytestmark = pytest.mark.django_db


@dataclass
class Route:
    kind: str  # public | staff | scoped | admin
    kwargs: object = None  # cast -> dict of URL kwargs
    query: object = ""  # a string, or cast -> string
    api: bool = False
    expected_staff: int = 200
    expected_public: int = 200
    extra: dict = field(default_factory=dict)
    # Pages open to a role only (the resolution's form: Art. 18(1)): the answer by member of the
    # cast, where it is not the same for all staff.
    expected_by: dict = field(default_factory=dict)


def _a_staff(cast):
    return {"pk": StaffProfile.objects.get(user=cast.a_user).pk}


def _office(cast):
    return {"uuid": cast.district_a.uuid}


def _calendar_day(cast):
    from prosecution.models import CalendarDay

    return {"pk": CalendarDay.objects.order_by("date").first().pk}


def _term(cast):
    from datetime import date

    from prosecution.models import Term, TermKind
    from prosecution.terms import engine as terms

    term = Term.objects.filter(office=cast.district_a).first() or terms.open_term(
        subject=cast.district_a,
        kind=TermKind.APPEAL_ANSWER,
        office=cast.district_a,
        start_date=date(2026, 3, 20),
        start_event="received",
    )
    return {"uuid": term.uuid}


def _appeal(cast):
    """An appeal of district A (received today: the matrix runs on any day)."""
    from django.utils import timezone

    from appeals.models import Appeal
    from tests.appeal_helpers import register

    appeal = Appeal.objects.filter(office=cast.district_a).first()
    if appeal is None:
        appeal, _code = register(cast, received_on=timezone.localdate())
    return {"uuid": appeal.uuid}


def _monthly_report(cast):
    """District A's report of last month, really built (once)."""
    from django.utils import timezone

    from legal_statistics import monthly
    from legal_statistics.models import MonthlyReport

    made = MonthlyReport.objects.filter(office=cast.district_a, state="built").first()
    if made is None:
        period = monthly.month_before(timezone.localdate())
        monthly.claim_month(cast.district_a, period, by=None)
        monthly.build(cast.district_a.pk, period.code)
        made = MonthlyReport.objects.get(office=cast.district_a, language="kk")
    return {"uuid": made.uuid}


def _filing(cast):
    from appeals import services
    from tests.appeal_helpers import citizen

    filing = services.start_online_filing(
        office=cast.district_a,
        applicant=citizen(),
        language="ru",
        summary="s",
        text="t",
        confirm_by="email",
    )
    return {"uuid": filing.uuid}


def _letter(cast):
    from tests.appeal_helpers import ready_letter

    letter = ready_letter(cast)
    return {"uuid": letter.appeal.uuid, "letter_uuid": letter.uuid}


def _attachment(cast):
    from tests.appeal_helpers import stored_attachment

    attachment = stored_attachment(cast)
    return {"uuid": attachment.appeal.uuid, "attachment_uuid": attachment.uuid}


def _check(cast, state="registered"):
    """A legality check of district A, appointed by its head and registered (made once)."""
    from supervision.models import Check
    from tests.check_helpers import CheckCast, appointed, registered

    made = Check.objects.filter(office=cast.district_a, resolution_number=state).first()
    if made is None:
        check_cast = CheckCast(cast)
        make = registered if state == "registered" else appointed
        # Named: a second member of district A, not district_a of the cast (whose posts must
        # be refused for their role, not carried out).
        made = make(check_cast, resolution_number=state, inspectors=[check_cast.other_inspector])
    return made


def _check_uuid(cast):
    return {"uuid": _check(cast).uuid}


def _draft_check_uuid(cast):
    return {"uuid": _check(cast, "draft").uuid}


def _registration_uuid(cast):
    return {"uuid": _check(cast).registration.uuid}


def _check_action(**extra) -> Route:
    """A POST route on a registered check: posted empty, the input or the rules refuse it."""
    return Route("staff", _check_uuid, api=True, expected_staff=405, extra={"post": True, **extra})


# Only those who may appoint (the deputy PG and the heads: Art. 18(1)) open the resolution's form.
APPOINTERS = {"gpo": 200, "region": 200, "district_a": 404, "district_b": 404}


def _appeal_action(**extra) -> Route:
    """A POST route on an appeal: GET is 405 to staff; POST follows the policy (below)."""
    return Route("staff", _appeal, api=True, expected_staff=405, extra={"post": True, **extra})


def _reception(cast):
    """District A's head receives by appointment; one citizen is booked (made once)."""
    from django.utils import timezone

    from appeals.models import Booking
    from tests.reception_helpers import appointment, book, leader

    made = Booking.objects.filter(office=cast.district_a, state="confirmed").first()
    if made is None:
        head = leader(cast.district_a, "matrix_head_a")
        made = book(appointment(head, starts_on=timezone.localdate()))
    return made


def _reception_schedule(cast):
    return {"uuid": _reception(cast).schedule.uuid}


def _reception_booking(cast):
    return {"uuid": _reception(cast).uuid}


def _reception_hold(cast):
    from tests.reception_helpers import hold

    return {"uuid": hold(_reception(cast).schedule, who=7).uuid}


def _reception_token(cast):
    from appeals.reception.common import manage_token

    return {"token": manage_token(_reception(cast))}


def _free_slot_query(cast):
    from appeals.reception import slots

    return "?at=" + slots.free_slots([_reception(cast).schedule])[0].key


def _schedule_query(cast):
    return f"?schedule={_reception(cast).schedule.uuid}"


ROUTES: dict[str, Route] = {
    "home": Route("public"),
    # Personal receptions (appeals/reception/): the citizen's pages are public; staff pages and
    # the API follow the policy (district A's records: district B gets 404).
    "reception:index": Route("public"),
    "reception:office": Route("public", _office),
    "reception:schedule": Route("public", _reception_schedule),
    "reception:book": Route("public", _reception_schedule, query=_free_slot_query),
    "reception:confirm": Route("public", _reception_hold),
    # POST only (a new code): a GET is 405 to everyone.
    "reception:code-again": Route(
        "public", _reception_hold, expected_staff=405, expected_public=405
    ),
    "reception:manage": Route("public", _reception_token),
    "reception:staff-home": Route("staff"),
    "reception:staff-schedules": Route("staff"),
    "reception:staff-schedule-new": Route("staff"),
    "reception:staff-schedule": Route("scoped", _reception_schedule),
    "reception:staff-book": Route("staff"),
    "reception:staff-requests": Route("staff"),
    "reception:staff-day": Route("staff"),
    "reception:staff-supervision": Route("scoped", query="?office=R-AKMOLA-D1"),
    "reception:staff-booking": Route("scoped", _reception_booking),
    "api:reception-schedule-list": Route("staff", api=True),
    "api:reception-schedule-detail": Route("scoped", _reception_schedule, api=True),
    "api:reception-schedule-slots": Route("scoped", _reception_schedule, api=True),
    "api:reception-booking-list": Route("staff", api=True),
    "api:reception-booking-detail": Route("scoped", _reception_booking, api=True),
    "reception-api:office": Route("public", _office, api=True),
    "reception-api:slots": Route("public", query=_schedule_query, api=True),
    "reception-api:figures": Route("scoped", query="?office=R-AKMOLA-D1", api=True),
    "file-appeal": Route("public"),
    "login": Route("public"),
    # The code and enrolment steps: without a pending sign-in, back to the password.
    "login-code": Route("public", expected_public=302),
    "login-enrol": Route("public", expected_public=302),
    "schema": Route("public"),
    "swagger-ui": Route("public"),
    "my-work": Route("staff"),
    "notices": Route("staff"),
    "api-tokens": Route("staff"),  # the person's own tokens only
    "office-page": Route("scoped", _office),
    "api:api-root": Route("staff", api=True),
    "api:office-list": Route("staff", api=True),
    "api:office-detail": Route("staff", _office, api=True),
    "api:staff-list": Route("staff", api=True),
    "api:staff-detail": Route("scoped", _a_staff, api=True),
    "api:calendar-list": Route("staff", api=True),
    "api:deadline-list": Route("staff", api=True),
    "api:deadline-detail": Route("scoped", _term, api=True),
    "api:calendar-detail": Route("staff", _calendar_day, api=True),
    "api:calendar-compute": Route(
        "staff", query="?start=2026-03-20&term=15&unit=working_days", api=True
    ),
    # The deadline dashboard of district A: its region and the GPO see it, district B gets 404.
    "dashboard": Route("scoped", query="?office=R-AKMOLA-D1"),
    "dashboard-csv": Route("scoped", query="?office=R-AKMOLA-D1"),
    "dashboard-xlsx": Route("scoped", query="?office=R-AKMOLA-D1"),
    "api-dashboard": Route("scoped", query="?office=R-AKMOLA-D1", api=True),
    # The reports (issue 17) of district A: the same scope as the dashboard.
    "reports": Route("scoped", query="?office=R-AKMOLA-D1&period=2026-11"),
    "report-csv": Route(
        "scoped", lambda c: {"report": "appeals"}, query="?office=R-AKMOLA-D1&period=2026-11"
    ),
    "report-xlsx": Route(
        "scoped", lambda c: {"report": "appeals"}, query="?office=R-AKMOLA-D1&period=2026-11"
    ),
    "report-figure": Route(
        "scoped",
        lambda c: {"report": "appeals", "figure": "received"},
        query="?office=R-AKMOLA-D1&period=2026-11",
    ),
    "api-report": Route(
        "scoped", lambda c: {"report": "appeals"}, query="?office=R-AKMOLA-D1", api=True
    ),
    "api-report-figure": Route(
        "scoped",
        lambda c: {"report": "appeals", "figure": "received"},
        query="?office=R-AKMOLA-D1",
        api=True,
    ),
    "api-report-trend": Route(
        "scoped", lambda c: {"report": "appeals"}, query="?office=R-AKMOLA-D1", api=True
    ),
    # The monthly reports' archive of district A, and one of its PDFs (legal_statistics/monthly.py).
    "monthly-reports": Route("scoped", query="?office=R-AKMOLA-D1"),
    "monthly-report-download": Route("scoped", _monthly_report),
    # Appeals: citizens' doors are public; staff pages follow the office scope.
    "appeal-confirm": Route("public", _filing),
    "appeal-code-again": Route("public", _filing, expected_staff=405, expected_public=405),
    "appeal-filed": Route("public", expected_public=302),  # nothing filed in this session
    "appeal-status": Route("public"),
    # The letter of the appeal whose number and code this session gave: none here.
    "appeal-status-letter": Route("public", expected_staff=404, expected_public=404),
    "appeal-list": Route("staff"),
    "appeal-register": Route("staff"),
    "appeal-detail": Route("scoped", _appeal),
    "appeal-act": Route("staff", lambda c: {**_appeal(c), "action": "assign"}, expected_staff=405),
    "appeal-attach": Route("staff", _appeal, expected_staff=405),
    "appeal-letter": Route("scoped", _letter),
    "appeal-attachment": Route("scoped", _attachment),
    "api:appeal-list": Route("staff", api=True),
    "api:appeal-detail": Route("scoped", _appeal, api=True),
    **{
        f"api:appeal-{name}": _appeal_action()
        for name in (
            "answer",
            "appoint-check",
            "assign",
            "close-anonymous",
            "complete-check",
            "decide",
            "decide-restore",
            "extend",
            "mark-procedural",
            "personal-answer",
            "proceed-anonymous",
            "record-ground",
            "redirect",
            "reopen",
            "send-to-office",
            "tell-extension",
            "terminate",
        )
    },
}
ROUTES.update(
    {
        # Legality checks (supervision/) and their register (legal_statistics/).
        "check-lookup": Route("public"),  # the audited subject's door (Art. 19(1))
        "check-list": Route("staff"),
        "check-detail": Route("scoped", _check_uuid),
        "check-appoint": Route("staff", expected_by=APPOINTERS),
        "check-correct": Route("scoped", _draft_check_uuid, expected_by=APPOINTERS),
        # The certificate of a registered, not completed check: none yet, for anyone (scope and
        # clearance: tests/supervision/test_check_pages.py).
        "check-certificate": Route(
            "staff", lambda c: {**_check_uuid(c), "language": "kk"}, expected_staff=404
        ),
        "check-action": Route(
            "staff", lambda c: {**_check_uuid(c), "action": "cancel"}, expected_staff=405
        ),
        "register-queue": Route("staff"),
        "register-decide": Route(
            "staff", lambda c: {**_registration_uuid(c), "decision": "register"}, expected_staff=405
        ),
        "api:check-list": Route("staff", api=True),
        "api:check-detail": Route("scoped", _check_uuid, api=True),
        **{
            f"api:check-{name}": _check_action()
            for name in (
                "cancel",
                "complete",
                "correct",
                "extend",
                "hand-certificate",
                "inspectors",
                "resume",
                "send",
                "start",
                "suspend",
            )
        },
        "api:registration-list": Route("staff", api=True),
        "api:registration-detail": Route("scoped", _registration_uuid, api=True),
        "api:registration-register-check": Route(
            "staff", _registration_uuid, api=True, expected_staff=405, extra={"post": True}
        ),
        "api:registration-refuse": Route(
            "staff", _registration_uuid, api=True, expected_staff=405, extra={"post": True}
        ),
    }
)


def _act(cast, **changes):
    """District A's act, signed by its prosecutor (tests/act_documents_helpers.py); one per test."""
    from acts.models import Act
    from tests.act_documents_helpers import signed_act

    return Act.objects.filter(office=cast.district_a).first() or signed_act(
        cast, promote=False, **changes
    )


def _published_act(cast):
    from acts import publication

    act = _act(cast, addressee_kind="person", on_violation_of_rights=True)
    if act.published_at is None:
        act = publication.publish_act(act, by=cast.a_user, on_violation_of_rights=True)
    return {"uuid": act.uuid}


ROUTES.update(
    {
        # Acts' documents and publication (acts/document_views.py, acts/public_views.py). A
        # signed act whose PDFs are not made yet is "not found" to everyone in scope too; the
        # publication preview is its signatory's or the leadership's.
        "act_documents:document": Route(
            "scoped", lambda c: {"uuid": _act(c).uuid, "language": "kk"}, expected_staff=404
        ),
        "act_documents:publication": Route("scoped", lambda c: {"uuid": _act(c).uuid}),
        "acts_public:list": Route("public"),
        "acts_public:detail": Route("public", _published_act),
    }
)


def _act_in(cast, state):
    """District A's act in `state`, written directly (tests/act_documents_helpers.py); once."""
    from acts.models import Act, ActState
    from tests.act_documents_helpers import signed_act

    made = Act.objects.filter(office=cast.district_a, state=state).first()
    if made is None:
        unsigned = {"number": None, "year": None, "signed_on": None}
        made = signed_act(
            cast, promote=False, state=state, **(unsigned if state == ActState.DRAFT else {})
        )
    return made


def _act_uuid(cast):
    return {"uuid": _act(cast).uuid}


def _draft_act_uuid(cast):
    return {"uuid": _act_in(cast, "draft").uuid}


def _act_action(**extra) -> Route:
    """A POST route on a withdrawn act: posted empty, the input or the state refuses it (on a
    signed act, the first poster would deliver it: ActOnInput needs nothing)."""
    return Route(
        "staff",
        lambda c: {"uuid": _act_in(c, "withdrawn").uuid},
        api=True,
        expected_staff=405,
        extra={"post": True, **extra},
    )


ROUTES.update(
    {
        # Acts (acts/views/staff.py, acts/api.py). Every member of the cast is a prosecutor, who
        # may draft (acts/rules.py may_draft); a draft is corrected by whoever may change it.
        "act-list": Route("staff"),
        "act-new": Route("staff"),
        "act-detail": Route("scoped", _act_uuid),
        "act-correct": Route("scoped", _draft_act_uuid),
        "act-action": Route(
            "staff", lambda c: {**_act_uuid(c), "action": "deliver"}, expected_staff=405
        ),
        "api:act-list": Route("staff", api=True),
        "api:act-detail": Route("scoped", _act_uuid, api=True),
        **{
            f"api:act-{name}": _act_action()
            for name in (
                "claim",
                "complaint",
                "consideration",
                "correct",
                "decide",
                "deliver",
                "lift",
                "report",
                "sign",
                "superior",
                "suspend-protested",
                "withdraw",
            )
        },
    }
)


def _working_days_ahead(n):
    from django.utils import timezone

    from prosecution import workdays

    return workdays.add_working_days(timezone.localdate(), n)


def _study(cast, kind):
    """District A's analysis or assessment, opened today (the matrix runs on any day); once."""
    from django.utils import timezone

    from supervision.models import Study
    from tests.supervision.function_helpers import study

    made = Study.objects.filter(office=cast.district_a, kind=kind).first()
    if made is None:
        made = study(
            cast.a_user,
            cast.a_user,
            kind=kind,
            started_on=timezone.localdate(),
            due=_working_days_ahead(10),
        )
    return made


def _request(cast):
    """District A's request for information, sent today; once."""
    from django.utils import timezone

    from supervision.models import InformationRequest
    from tests.supervision.function_helpers import request

    made = InformationRequest.objects.filter(office=cast.district_a).first()
    if made is None:
        made = request(cast.a_user, sent_on=timezone.localdate(), due=_working_days_ahead(5))
    return made


def _request_file(cast):
    """A document of the answer to district A's request (supervision/functions/requests.py)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from supervision.functions import requests

    sent = _request(cast)
    document = sent.files.first()
    if document is None:
        text = SimpleUploadedFile("decisions.txt", b"Decision No. 5 of 2025.\n", "text/plain")
        requests.record_answer(
            sent, by=cast.a_user, answered_on=timezone.localdate(), answer="Sent", files=[text]
        )
        document = sent.files.get()
    return {"uuid": sent.uuid, "file_uuid": document.uuid}


def _summons(cast):
    """District A's summons, to appear in a week at 10:00 in Almaty; once."""
    from datetime import timedelta

    from django.utils import timezone

    from supervision.models import Summons
    from tests.supervision.function_helpers import almaty, summoned

    made = Summons.objects.filter(office=cast.district_a).first()
    if made is None:
        day = timezone.localdate() + timedelta(days=7)
        made = summoned(cast.a_user, appear_at=almaty(day.year, day.month, day.day, 10, 0))
    return made


_FUNCTION_RECORDS = {
    "analysis": lambda c: _study(c, "analysis"),
    "assessment": lambda c: _study(c, "assessment"),
    "information-request": _request,
    "summons": _summons,
}


def _function_uuid(basename):
    return lambda c: {"uuid": _FUNCTION_RECORDS[basename](c).uuid}


def _function_action(basename) -> Route:
    """A POST route on a record of district A: posted empty, every input has a required field."""
    return Route(
        "staff", _function_uuid(basename), api=True, expected_staff=405, extra={"post": True}
    )


ROUTES.update(
    {
        # Analyses, assessments, requests for information and summons (supervision/functions/).
        # The four kinds share the pages: each page is tried on one of them.
        "function-list": Route("staff", lambda c: {"slug": "analyses"}),
        "function-new": Route("staff", lambda c: {"slug": "assessments"}),
        "function-detail": Route(
            "scoped", lambda c: {"slug": "summonses", **_function_uuid("summons")(c)}
        ),
        "function-action": Route(
            "staff",
            lambda c: {
                "slug": "information-requests",
                **_function_uuid("information-request")(c),
                "action": "withdraw",
            },
            expected_staff=405,
        ),
        "information-request-file": Route("scoped", _request_file),
        **{f"api:{basename}-list": Route("staff", api=True) for basename in _FUNCTION_RECORDS},
        **{
            f"api:{basename}-detail": Route("scoped", _function_uuid(basename), api=True)
            for basename in _FUNCTION_RECORDS
        },
        **{f"api:analysis-{name}": _function_action("analysis") for name in ("cancel", "complete")},
        **{
            f"api:assessment-{name}": _function_action("assessment")
            for name in ("cancel", "complete")
        },
        **{
            f"api:information-request-{name}": _function_action("information-request")
            for name in ("answer", "withdraw")
        },
        **{
            f"api:summons-{name}": _function_action("summons")
            for name in ("appearance", "cancel", "delivery", "force", "notify")
        },
    }
)
# Routes that answer only POST (no GET state change: docs/security.md 12); checked elsewhere.
POST_ONLY = {
    "logout",
    "set_language",
    "api-token",
    "api-token-revoke",
    "reception:staff-schedule-deactivate",
    "reception:staff-walk-in",
    "reception:staff-booking-action",
    "reception:staff-cancel-day",
    "api:reception-schedule-deactivate",
    "api:reception-schedule-cancel-day",
    "api:reception-booking-admit",
    "api:reception-booking-refuse",
    "api:reception-booking-pass-on",
    "api:reception-booking-arrive",
    "api:reception-booking-no-show",
    "api:reception-booking-outcome",
    "api:reception-booking-move",
    "api:reception-booking-cancel",
    "reception-api:book",
    "reception-api:confirm",
    "reception-api:manage",
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                yield ("admin", entry)
                continue
            ns = entry.namespace or ""
            yield from _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}{entry.name}", entry)


def _route_names() -> set[str]:
    return {name for name, _ in _walk(get_resolver().url_patterns)}


def test_every_route_is_classified():
    unclassified = _route_names() - set(ROUTES) - POST_ONLY - {"admin"}
    assert not unclassified, f"classify these routes in ROUTES: {sorted(unclassified)}"


def _url(name, route, cast, fmt=None):
    kwargs = route.kwargs(cast) if route.kwargs else {}
    if fmt:
        kwargs["format"] = fmt
    query = route.query(cast) if callable(route.query) else route.query
    return reverse(name, kwargs=kwargs) + query


def _get(client, user, url, api=True):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, HTTP_ACCEPT="application/json") if api else client.get(url)


def _expected(route: Route, who: str) -> set[int]:
    outsider = who in ("anonymous", "inactive")
    if route.kind == "public":
        return {route.expected_public}
    if outsider:
        return {401} if route.api else {302}
    if who in route.expected_by:
        return {route.expected_by[who]}
    if route.kind == "scoped" and who == "district_b":
        return {404}
    return {route.expected_staff}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_user_as_the_policy_says(name, cast, client):
    route = ROUTES[name]
    assert name in _route_names(), f"{name} is in ROUTES but not in the URL configuration"
    url = _url(name, route, cast)
    for who, user in cast.users().items():
        response = _get(client, user, url, api=route.api)
        assert response.status_code in _expected(route, who), (name, who, response.status_code)
        if response.status_code == 302 and route.kind != "public":
            assert response["Location"].startswith("/accounts/login/"), (name, who)


POST_ROUTES = sorted(name for name, route in ROUTES.items() if route.extra.get("post"))


@pytest.mark.parametrize("name", POST_ROUTES)
def test_actions_answer_each_user_as_the_policy_says(name, cast, client):
    """An action on district A's appeal, posted empty: outsiders 401, the sibling district 404
    (before the input is read: existence is not leaked), staff in scope get as far as the input
    or the rules (400, 403 for a role, 409), never 5xx."""
    url = _url(name, ROUTES[name], cast)
    for who, user in cast.users().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        status = client.post(url, {}, content_type="application/json").status_code
        if who in ("anonymous", "inactive"):
            assert status == 401, (name, who, status)
        elif who == "district_b":
            assert status == 404, (name, who, status)
        else:
            assert status in (400, 403, 409), (name, who, status)


def test_format_suffix_routes_follow_the_same_policy(cast, client):
    """DRF's format-suffix twins (…/staff/7.json) must not be a side door."""
    url = _url("api:staff-detail", ROUTES["api:staff-detail"], cast, fmt="json")
    assert _get(client, cast.b_user, url).status_code == 404
    assert _get(client, cast.region_user, url).status_code == 200


def test_post_only_reception_routes_refuse_a_get(cast, client):
    """The reception's actions change state: a GET does nothing (docs/security.md 12)."""
    booking = _reception(cast)
    client.force_login(cast.region_user)
    for url in (
        reverse("reception:staff-booking-action", args=[booking.uuid, "cancel"]),
        reverse("reception:staff-schedule-deactivate", args=[booking.schedule.uuid]),
        reverse("api:reception-booking-cancel", args=[booking.uuid]),
    ):
        assert client.get(url).status_code == 405, url
    booking.refresh_from_db()
    assert booking.state == "confirmed" and booking.schedule.is_active


def test_admin_is_closed_to_anonymous_and_non_admin_staff(cast, client):
    assert _get(client, None, "/admin/").status_code == 302
    assert (
        _get(client, cast.gpo_user, "/admin/").status_code == 302
    )  # staff of the office, not admin


def test_post_only_routes_do_not_change_state_on_get(cast, client):
    client.force_login(cast.a_user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("api-token")).status_code == 405
    # still signed in: the GET did nothing
    assert client.get(reverse("my-work")).status_code == 200


def test_lists_leak_nothing_from_a_sibling_office(cast, client):
    """The API list of staff, as district B sees it, holds no one of district A (leak test)."""
    a_profile = StaffProfile.objects.get(user=cast.a_user)
    client.force_login(cast.b_user)
    ids = {row["id"] for row in client.get("/api/v1/staff/?limit=500").json()["results"]}
    assert a_profile.pk not in ids
    assert StaffProfile.objects.get(user=cast.b_user).pk in ids
    client.force_login(cast.region_user)
    ids = {row["id"] for row in client.get("/api/v1/staff/?limit=500").json()["results"]}
    assert {a_profile.pk, StaffProfile.objects.get(user=cast.b_user).pk} <= ids


def test_deadline_lists_leak_nothing_from_a_sibling_office(cast, client):
    term_uuid = str(_term(cast)["uuid"])
    client.force_login(cast.b_user)
    assert term_uuid not in {r["uuid"] for r in client.get("/api/v1/deadlines/").json()["results"]}
    client.force_login(cast.gpo_user)
    assert term_uuid in {r["uuid"] for r in client.get("/api/v1/deadlines/").json()["results"]}
