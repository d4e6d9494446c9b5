"""The audit log (docs/security.md 24, 25; prosecution/audit/): each audited event writes one record
with the right actor, address, action and outcome; the chain verifies, and a record changed,
removed or forged afterwards is named by the verifier; the database refuses UPDATE and DELETE;
a rolled-back change (or savepoint) leaves no record; a record left unchained by a process that
died after its commit is chained by the seal task; no secret reaches the details.

A test runs in a transaction that never commits, so the sealer that chains a transaction's
records after its commit does not run by itself: `sealed_audit_log()` and `last_audit_record()`
(tests/conftest.py) chain them first, as the commit would. The tests marked transactional commit
for real."""

import importlib
import inspect
import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from appeals import services
from appeals.reception import booking
from prosecution.audit import anchors, chain, middleware
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.models import AuditRecord, PendingAuditRecord, Position, StaffProfile, TermKind
from prosecution.offices import access
from prosecution.terms import engine as terms
from tests import signin_helpers
from tests.appeal_helpers import CITIZEN_IIN, register
from tests.conftest import last_audit_record, make_day_off, make_staff, sealed_audit_log
from tests.reception_helpers import MONDAY, appointment, code_for, hold, leader

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("prosecution.migrations.0010_audit_log")


def _actions() -> list[str]:
    return list(sealed_audit_log().order_by("seq").values_list("action", flat=True))


def _text_of_the_log() -> str:
    """Every field of every record, chained or not yet, as an auditor (or an attacker with a dump)
    would read it."""
    rows = [*AuditRecord.objects.values(), *PendingAuditRecord.objects.values()]
    return json.dumps(rows, default=str, ensure_ascii=False)


def _verify() -> str:
    """The verifier's answer as the command prints it (in English, whatever the catalogue)."""
    with translation.override("en"):
        try:
            call_command("verify_audit_log", stdout=(out := _Out()))
        except CommandError as error:
            return f"broken: {error}"
    return out.text


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text


def _drop_triggers() -> None:
    """What an attacker with the table owner's rights would do first (inside the test's
    transaction: DDL is transactional on both databases, so the rollback restores them)."""
    statements = {
        "postgresql": MIGRATION.POSTGRESQL_REVERSE,
        "sqlite": MIGRATION.SQLITE_REVERSE,
    }[connection.vendor]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _some_records(n: int) -> list[AuditRecord]:
    """n records of a change, chained as its commit would chain them (after what came before)."""
    sealed_audit_log()
    for i in range(n):
        audit.record("test.event", number=i)
    return chain.seal()


# The chain ---------------------------------------------------------------------------------------


def test_each_record_holds_the_hash_of_the_one_before_and_the_chain_verifies(db):
    before = sealed_audit_log().count()
    made = _some_records(4)
    assert [r.seq for r in made] == list(range(before + 1, before + 5))
    for previous, record in itertools.pairwise(made):
        assert record.prev_hash == previous.hash
        assert record.hash == chain.digest(AuditRecord.objects.values().get(pk=record.pk))
    assert len({r.hash for r in made}) == 4
    count, broken = chain.verify()
    assert broken is None and count == before + 4
    assert _verify() == f"{before + 4} records, chain intact\n"


def test_the_first_record_starts_from_the_genesis_hash(db):
    first = sealed_audit_log().order_by("seq").first() or _some_records(1)[0]
    assert first.seq == 1 and first.prev_hash == chain.GENESIS


def test_update_and_delete_through_raw_sql_are_refused(db):
    [record] = _some_records(1)
    table = AuditRecord._meta.db_table
    for statement in (
        f"UPDATE {table} SET action = 'forged' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).action == "test.event"
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.filter(pk=record.pk, action="test.event").exists()


def test_a_changed_record_is_named_by_the_verifier(db):
    made = _some_records(5)
    _drop_triggers()
    AuditRecord.objects.filter(pk=made[2].pk).update(details={"number": 99})
    count, broken = chain.verify()
    assert broken is not None and broken.seq == made[2].seq
    assert count == made[2].seq - 1
    assert _verify().startswith(f"broken: The audit log is broken at record {made[2].seq}:")
    assert "do not match its hash" in _verify()


def test_a_forged_record_with_a_recomputed_hash_breaks_the_next_link(db):
    made = _some_records(5)
    _drop_triggers()
    row = AuditRecord.objects.values().get(pk=made[1].pk)
    row["actor_name"] = "somebody else"
    AuditRecord.objects.filter(pk=made[1].pk).update(
        actor_name="somebody else", hash=chain.digest(row)
    )
    with translation.override("en"):  # the problem is told in the active language
        _count, broken = chain.verify()
    assert broken.seq == made[2].seq
    assert "previous hash" in broken.problem


def test_a_removed_record_is_named_by_the_verifier(db):
    made = _some_records(5)
    _drop_triggers()
    AuditRecord.objects.filter(pk=made[3].pk).delete()
    _count, broken = chain.verify()
    assert broken.seq == made[3].seq
    assert f"record {made[3].seq} is missing" in _verify()


def test_an_anchor_keeps_the_head_outside_the_database_and_sees_the_end_cut_off(db, settings):
    """A chain cut at its end is still a chain: verify() alone cannot see it. The anchor (the
    head's number and hash, written every hour outside the database) can."""
    made = _some_records(5)
    anchor = anchors.take_anchor()
    assert (anchor.seq, anchor.hash) == (made[-1].seq, made[-1].hash)
    line = json.loads(settings.AUDIT_ANCHOR_FILE.read_text().splitlines()[-1])
    assert line == {"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at}
    _some_records(2)  # records after the anchor: it still holds
    assert _verify().endswith(f"chain intact; 1 anchor holds (the last: record {anchor.seq})\n")
    _drop_triggers()
    AuditRecord.objects.filter(seq__gte=made[-2].seq).delete()  # the end cut off
    count, broken = chain.verify()
    assert broken is None and count == made[-2].seq - 1  # the chain alone looks whole
    assert _verify() == (
        f"broken: The audit log is broken at record {anchor.seq}: it was anchored at "
        f"{anchor.at} and is gone: the log was cut"
    )


def test_an_anchor_with_another_hash_or_a_line_that_is_no_anchor_is_reported(db, settings):
    made = _some_records(2)
    anchors.take_anchor()
    forged = settings.AUDIT_ANCHOR_FILE.read_text().replace(made[-1].hash, "0" * 64)
    settings.AUDIT_ANCHOR_FILE.write_text(forged)
    assert "its hash is not the one anchored at" in _verify()
    settings.AUDIT_ANCHOR_FILE.write_text("not json\n")
    assert _verify().startswith("broken: line 1 of ")


def test_a_rolled_back_change_leaves_no_record(cast):
    before = sealed_audit_log().count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_day_off(date(2026, 12, 28))
        raise RuntimeError("the decree is withdrawn")
    assert sealed_audit_log().count() == before
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            make_day_off(date(2026, 12, 29))
            raise RuntimeError("withdrawn")
        make_day_off(date(2026, 12, 30))
    assert list(sealed_audit_log().filter(seq__gt=before).values_list("details__date")) == [
        ("2026-12-30",)
    ]
    assert chain.verify()[1] is None
    # The next record takes the number after the last one kept: the chain has no gap.
    assert _some_records(1)[0].seq == before + 2


def test_a_savepoint_rolled_back_beside_a_kept_one_leaves_the_kept_ones_record(cast):
    before = sealed_audit_log().count()
    with transaction.atomic():
        with transaction.atomic():  # a savepoint that succeeds: its change is kept
            make_day_off(date(2026, 12, 28))
        with pytest.raises(RuntimeError), transaction.atomic():  # its sibling rolls back
            make_day_off(date(2026, 12, 29))
            raise RuntimeError("withdrawn")
    assert list(sealed_audit_log().filter(seq__gt=before).values_list("details__date")) == [
        ("2026-12-28",)
    ]


def test_a_refused_service_change_leaves_no_change_record(cast):
    term = terms.open_term(
        subject=cast.district_a,
        kind=TermKind.CHECK_DURATION,
        office=cast.district_a,
        start_date=date(2026, 2, 2),
        start_event="resolution",
    )
    with pytest.raises(RuleViolation), transaction.atomic():
        terms.extend_term(term, by=cast.region_user, reason="", length=5, on=date(2026, 2, 10))
    assert not sealed_audit_log().filter(action="term.extend").exists()


# Secrets (docs/security.md 25)
# ------------------------------------------------------------------------


def test_secrets_and_iins_never_reach_the_details(db):
    audit.record(
        "test.event",
        password="hunter2-hunter2",
        code="482915",
        nested={"token": "abcdef", "iin": CITIZEN_IIN, "ok": "kept"},
        note=f"ИИН {CITIZEN_IIN} заявителя",
    )
    while_pending = _text_of_the_log()  # the record not yet chained: in the pending table
    details = last_audit_record("test.event").details
    assert details["password"] == details["code"] == details["nested"]["token"] == audit.MASK
    assert details["nested"]["iin"] == "********" + CITIZEN_IIN[-4:]
    assert details["note"] == "ИИН ********0126 заявителя"
    assert details["nested"]["ok"] == "kept"
    text = _text_of_the_log()
    assert "hunter2-hunter2" not in while_pending and "test.event" in while_pending
    for secret in ("hunter2", "482915", "abcdef", CITIZEN_IIN):
        assert secret not in text and secret not in while_pending


# Sign-ins ----------------------------------------------------------------------------------------


@pytest.mark.real_second_factor
def test_a_sign_in_is_recorded_with_the_person_the_address_and_the_request(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # our proxy sets X-Request-ID (issue 14: a client's is not)
    user = signin_helpers.person("signing_in", cast.district_a)
    client = Client(REMOTE_ADDR="10.1.2.3")
    response = signin_helpers.sign_in(client, user, HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 302
    login = last_audit_record("auth.login")  # after the password and the code (docs/security.md 6)
    assert (login.actor_id, login.actor_name, login.address, login.request_id) == (
        user.pk,
        "signing_in",
        "10.1.2.3",
        "req-42",
    )
    assert login.outcome == "ok"
    client.post("/accounts/logout/")
    logout = last_audit_record("auth.logout")
    assert logout.actor_id == user.pk and logout.address == "10.1.2.3"
    assert logout.request_id and logout.request_id != "req-42"


def test_a_failed_sign_in_is_recorded_without_the_password(cast):
    response = Client(REMOTE_ADDR="10.9.9.9").post(
        "/accounts/login/", {"username": "district_a", "password": "wrong-Secret-Pass-77"}
    )
    assert response.status_code == 200
    failed = last_audit_record("auth.login_failed")
    assert failed.outcome == "failed" and failed.actor_id is None
    assert failed.address == "10.9.9.9"
    assert failed.details == {"username": "district_a"}
    assert "wrong-Secret-Pass-77" not in _text_of_the_log()


def test_the_request_context_gives_the_actor_and_address_and_tasks_record_as_the_system(cast):
    request = RequestFactory().post("/x/", REMOTE_ADDR="10.0.0.5")
    request.user = cast.gpo_user
    middleware.AuditMiddleware(lambda r: (audit.record("test.event"), HttpResponse())[1])(request)
    seen = last_audit_record("test.event")
    assert (seen.actor_id, seen.address) == (cast.gpo_user.pk, "10.0.0.5")
    assert len(seen.request_id) == 32
    token = audit._context.set(middleware.task_context("task-1"))
    try:
        audit.record("test.task")
    finally:
        audit._context.reset(token)
    task = last_audit_record("test.task")
    assert (task.actor_id, task.actor_name, task.address, task.request_id) == (
        None,
        "",
        "",
        "task-1",
    )


# The calendar and permissions --------------------------------------------------------------------


def test_a_change_of_the_calendar_is_recorded(cast):
    day = make_day_off(date(2026, 12, 28))
    added = last_audit_record("calendar.change")
    assert added.target_type == "prosecution.calendarday" and added.target_id == str(day.pk)
    assert added.details["change"] == "added" and added.details["date"] == "2026-12-28"
    day.kind = "holiday"
    day.save()
    assert last_audit_record("calendar.change").details["change"] == "changed"
    day.delete()
    assert last_audit_record("calendar.change").details["change"] == "deleted"


def test_changes_of_office_position_and_active_flag_are_recorded(cast):
    profile = StaffProfile.objects.get(user=cast.a_user)
    before = sealed_audit_log().filter(action="permission.change").count()
    profile.language = "ru"
    profile.save()  # not a power: nothing recorded
    assert sealed_audit_log().filter(action="permission.change").count() == before
    profile.office = cast.district_b
    profile.position = Position.HEAD
    profile.save()
    changed = last_audit_record("permission.change")
    assert changed.details["change"] == "staff_changed"
    assert changed.details["fields"] == {
        "office_id": [cast.district_a.pk, cast.district_b.pk],
        "position": ["prosecutor", "head"],
    }
    cast.a_user.is_active = False
    cast.a_user.save()
    assert last_audit_record("permission.change").details["fields"] == {"is_active": [True, False]}


def test_groups_and_grants_given_and_withdrawn_are_recorded(cast):
    group = Group.objects.create(name="auditors")
    cast.a_user.groups.add(group)
    added = last_audit_record("permission.change")
    assert added.details["change"] == "groups.add" and added.details["ids"] == [group.pk]
    profile = StaffProfile.objects.get(user=cast.b_user)
    access.grant_view(profile, to=cast.other_user)
    granted = last_audit_record("permission.change")
    assert granted.details["change"] == "grant_added"
    assert granted.details["permission"] == "view_staffprofile"
    assert granted.target_id == str(profile.pk)
    assert granted.details["holder"] == f"user:{cast.other_user.pk}"
    access.revoke_view(profile, from_=cast.other_user)
    assert last_audit_record("permission.change").details["change"] == "grant_removed"


# Terms ------------------------------------------------------------------------------------------


def test_each_term_service_records_its_action_and_actor(cast):
    term = terms.open_term(
        subject=cast.district_a,
        kind=TermKind.CHECK_DURATION,
        office=cast.district_a,
        start_date=date(2026, 2, 2),
        start_event="resolution",
    )
    opened = last_audit_record("term.open")
    assert opened.target_type == "prosecution.term" and opened.target_id == str(term.pk)
    assert opened.actor_id is None  # the system: no request, no `by`
    with time_machine.travel("2026-02-20 10:00 +05:00", tick=False):
        terms.extend_term(term, by=cast.region_user, reason="volume", length=5)
        terms.suspend_term(term, on=date(2026, 2, 20), reason="expert examination", by=cast.a_user)
        terms.resume_term(term, on=date(2026, 2, 20), by=cast.a_user)
        terms.meet_term(term, on=date(2026, 2, 20), by=cast.a_user)
    assert _actions()[-4:] == ["term.extend", "term.suspend", "term.resume", "term.meet"]
    assert last_audit_record("term.extend").actor_id == cast.region_user.pk
    assert last_audit_record("term.extend").details["reason"] == "volume"
    assert last_audit_record("term.meet").actor_name == "district_a"


def test_the_sweep_records_one_record_per_bulk_marking_with_the_count_and_ids(cast):
    made = [
        terms.open_term(
            subject=office,
            kind=TermKind.CHECK_DURATION,
            office=office,
            start_date=date(2026, 2, 2),
            start_event="resolution",
        )
        for office in (cast.district_a, cast.district_b, cast.region)
    ]
    before = sealed_audit_log().count()
    assert terms.mark_missed(date(2026, 6, 1)) == 3
    assert sealed_audit_log().count() == before + 1
    missed = last_audit_record("term.missed")
    assert missed.details["count"] == 3
    assert sorted(missed.details["ids"]) == sorted(t.pk for t in made)
    assert missed.actor_id is None


def test_a_classified_term_shown_is_recorded_and_an_ordinary_one_is_not(cast, client):
    profile = StaffProfile.objects.get(user=cast.a_user)
    profile.has_clearance = True
    profile.save()
    common = dict(kind=TermKind.CHECK_DURATION, office=cast.district_a, responsible=cast.a_user)
    ordinary = terms.open_term(
        subject=cast.district_a, start_date=date(2026, 2, 2), start_event="x", **common
    )
    client.force_login(cast.a_user)
    assert client.get("/work/").status_code == 200
    assert not sealed_audit_log().filter(action="classified.read").exists()
    secret = terms.open_term(
        subject=cast.district_b,
        start_date=date(2026, 2, 3),
        start_event="x",
        is_classified=True,
        label="Секретная проверка",
        **common,
    )
    assert client.get("/work/", REMOTE_ADDR="10.4.4.4").status_code == 200
    read = last_audit_record("classified.read")
    assert (read.actor_id, read.address, read.outcome) == (cast.a_user.pk, "10.4.4.4", "ok")
    assert read.details == {"where": "my_work", "count": 1, "ids": [secret.pk]}
    assert read.target_label == ""  # the label of a classified record is classified too
    assert client.get(f"/api/v1/deadlines/{secret.uuid}/").status_code == 200
    assert last_audit_record("classified.read").details["where"] == "api_deadline"
    assert client.get(f"/api/v1/deadlines/{ordinary.uuid}/").status_code == 200
    assert (
        last_audit_record("classified.read").details["where"] == "api_deadline"
    )  # still the secret's
    assert "Секретная" not in _text_of_the_log()


# Appeals, bookings and denials --------------------------------------------------------------------


def test_registering_and_assigning_an_appeal_are_recorded_with_their_actor(cast, head_a):
    appeal, _code = register(cast)
    registered = last_audit_record("appeal.registered")
    assert registered.target_type == "appeals.appeal"
    assert registered.target_id == str(appeal.pk)
    assert registered.actor_id == cast.a_user.pk
    with transaction.atomic():
        services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    assigned = last_audit_record("appeal.assigned")
    assert assigned.actor_id == head_a.pk
    assert assigned.details["data"]["executor"] == cast.a_user.pk
    assert CITIZEN_IIN not in _text_of_the_log()


def test_an_appeal_out_of_scope_is_a_denial_recorded_though_the_answer_is_404(cast, client):
    appeal, _code = register(cast)
    boss_b = make_staff("head_b", cast.district_b, Position.HEAD)
    client.force_login(boss_b)
    response = client.post(
        f"/api/v1/appeals/{appeal.uuid}/extend/",
        {"ground": "facts", "until": "2026-12-01", "reason": "x"},
        content_type="application/json",
        REMOTE_ADDR="10.7.7.7",
    )
    assert response.status_code == 404
    denial = last_audit_record("access.denied")
    assert (denial.actor_id, denial.address, denial.outcome) == (boss_b.pk, "10.7.7.7", "denied")
    assert (denial.target_type, denial.target_id) == ("appeals.appeal", str(appeal.pk))
    # An identifier that names nothing is not a denial.
    count = sealed_audit_log().filter(action="access.denied").count()
    client.get("/api/v1/appeals/00000000-0000-4000-8000-000000000000/")
    assert sealed_audit_log().filter(action="access.denied").count() == count


def test_a_role_refusal_is_recorded_though_the_service_rolled_back(cast, client):
    appeal, _code = register(cast)
    client.force_login(cast.a_user)  # a prosecutor: the head assigns
    response = client.post(
        f"/api/v1/appeals/{appeal.uuid}/assign/",
        {"executor": "district_a"},
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    denial = last_audit_record("access.denied")
    assert denial.actor_id == cast.a_user.pk and denial.target_id == str(appeal.pk)
    assert not sealed_audit_log().filter(action="appeal.assigned").exists()


def test_an_anonymous_api_call_and_a_page_refusal_are_denials(cast):
    Client(REMOTE_ADDR="10.3.3.3").get("/api/v1/appeals/")
    denial = last_audit_record("access.denied")
    assert denial.actor_id is None and denial.address == "10.3.3.3"
    assert denial.details["refusal"] == "not_authenticated"

    def refuse(request):
        raise PermissionDenied

    request = RequestFactory().get("/somewhere/")
    request.user = cast.b_user
    audit_middleware = middleware.AuditMiddleware(lambda r: HttpResponse())
    token = audit._context.set(audit.Context(request=request))
    try:
        with pytest.raises(PermissionDenied):
            try:
                refuse(request)
            except PermissionDenied as error:
                audit_middleware.process_exception(request, error)
                raise
        middleware.write_denials(audit._context.get())
    finally:
        audit._context.reset(token)
    page = last_audit_record("access.denied")
    assert page.actor_id == cast.b_user.pk and page.details["path"] == "/somewhere/"


def test_a_booking_is_recorded_without_its_code_or_the_citizens_iin(cast):
    with time_machine.travel(MONDAY, tick=False):
        schedule = appointment(leader(cast.region, "akmola_head"))
        held = hold(schedule)
        code = code_for(held)
        booking.confirm_booking(held, code=code)
    assert _actions().count("booking.held") == 1
    confirmed = last_audit_record("booking.confirmed")
    assert confirmed.actor_id is None and confirmed.target_id == str(held.pk)
    text = _text_of_the_log()
    assert held.code not in text and held.iin not in text
    assert f'"{code}"' not in text


def test_the_admin_shows_the_log_read_only(cast, client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password=None)
    [record] = _some_records(1)
    client.force_login(admin)
    assert client.get("/admin/prosecution/auditrecord/").status_code == 200
    page = client.get(f"/admin/prosecution/auditrecord/{record.pk}/change/")
    assert page.status_code == 200 and b'name="action"' not in page.content
    assert client.post(f"/admin/prosecution/auditrecord/{record.pk}/delete/").status_code == 403
    assert client.get("/admin/prosecution/auditrecord/add/").status_code == 403


# serialized_rollback, and no post_migrate after the flush: as tests/integration/test_postgres.py,
# so that the content types they restore afterwards are not created a second time under other ids.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_test_runners_flush_empties_the_log_and_leaves_it_append_only():
    """tests/conftest.py: transactional tests end with a flush, which must get through the
    triggers (SQLite's flush deletes) and leave them in place for the next test."""
    audit.record("test.event")  # no transaction around it: chained at once
    call_command(
        "flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False
    )
    assert not AuditRecord.objects.exists()
    audit.record("test.event")
    record = AuditRecord.objects.get()
    assert record.seq == 1
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_offices_created_moved_and_closed_are_recorded(cast):
    from prosecution.offices.services import move_office

    created = last_audit_record("office.create")
    assert created.target_id == str(cast.other_district.pk)
    assert created.details == {"parent": "R-PAVLODAR", "kind": "district"}
    move_office(office=cast.district_b, new_parent=cast.other_region)
    moved = last_audit_record("office.move")
    assert moved.details["old_path"].endswith("R-AKMOLA/R-AKMOLA-D2/")
    assert moved.details["new_path"].endswith("R-PAVLODAR/R-AKMOLA-D2/")
    cast.district_a.is_active = False
    cast.district_a.save()
    closed = last_audit_record("permission.change")
    assert closed.details == {"change": "office_changed", "fields": {"is_active": [True, False]}}


def test_a_record_costs_its_change_one_insert_and_the_seal_costs_five_queries_for_all(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Inside the change's transaction a record is one INSERT, unchained: no lock, nothing read.
    After the commit, one seal chains all of the transaction's records: the chain's lock, the
    last record, the pending records, one INSERT and one DELETE, however many there are."""
    sealed_audit_log()
    savepoint = 2  # the block is a savepoint inside the test's transaction
    with (
        django_assert_num_queries(savepoint + 5),
        django_capture_on_commit_callbacks() as after_commit,
        transaction.atomic(),
    ):
        for n in range(5):
            audit.record("test.event", n=n)
    lock = 1 if connection.vendor == "postgresql" else 0  # SQLite serializes writers itself
    with django_assert_num_queries(savepoint + lock + 4):
        for callback in after_commit:  # what the commit runs: the first seals all five
            callback()
    chained = sealed_audit_log().filter(action="test.event").order_by("seq")
    assert [record.details["n"] for record in chained] == [0, 1, 2, 3, 4]
    assert not PendingAuditRecord.objects.exists()
    assert chain.verify()[1] is None


def test_a_classified_term_opened_in_the_admin_is_recorded_and_hidden_in_its_list(cast, client):
    from django.contrib.auth import get_user_model

    secret = terms.open_term(
        subject=cast.district_a,
        kind=TermKind.CHECK_DURATION,
        office=cast.district_a,
        start_date=date(2026, 2, 2),
        start_event="x",
        is_classified=True,
        label="Секретная проверка",
    )
    client.force_login(get_user_model().objects.create_superuser("root", password=None))
    listing = client.get("/admin/prosecution/term/")
    assert listing.status_code == 200 and "Секретная" not in listing.content.decode()
    assert not sealed_audit_log().filter(action="classified.read").exists()
    assert client.get(f"/admin/prosecution/term/{secret.pk}/change/").status_code == 200
    read = last_audit_record("classified.read")
    assert read.details["where"] == "admin" and read.target_id == str(secret.pk)


# Chained after the commit (prosecution/audit/chain.py) --------------------------------------------


def test_a_record_not_yet_chained_is_append_only_and_leaves_only_into_the_chain(db):
    """Migration 0011: the pending table refuses UPDATE, and DELETE of a record whose copy the
    chain does not hold, whoever sends it; the sealer's DELETE, after its INSERT, goes through."""
    sealed_audit_log()
    audit.record("test.event", note="original")
    pending = PendingAuditRecord.objects.get()
    table = PendingAuditRecord._meta.db_table
    for statement in (
        f"UPDATE {table} SET action = 'forged' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="can only be moved into the chain"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [pending.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        PendingAuditRecord.objects.filter(pk=pending.pk).delete()
    assert PendingAuditRecord.objects.filter(pk=pending.pk, action="test.event").exists()
    [chained] = chain.seal()
    assert chained.details == {"note": "original"}
    assert not PendingAuditRecord.objects.exists()


# serialized_rollback: as the flush test above. These commit for real: the sealer runs after the
# commit, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_savepoint_leaves_no_record_and_the_commit_chains_the_rest():
    before = AuditRecord.objects.count()
    with transaction.atomic():
        make_day_off(date(2026, 12, 28))
        with pytest.raises(RuntimeError), transaction.atomic():  # a refused nested change
            make_day_off(date(2026, 12, 29))
            raise RuntimeError("withdrawn")
        make_day_off(date(2026, 12, 30))
        assert AuditRecord.objects.count() == before  # nothing is chained before the commit
    chained = AuditRecord.objects.filter(seq__gt=before).order_by("seq")
    assert list(chained.values_list("action", "details__date")) == [
        ("calendar.change", "2026-12-28"),
        ("calendar.change", "2026-12-30"),
    ]
    assert not PendingAuditRecord.objects.exists()
    assert chain.verify() == (before + 2, None)


class _ProcessDied(Exception):
    """Raised by a callback run first after a commit: the callbacks after it never run, as if the
    process had died between the commit and the seal."""


def _verify_with_warnings() -> tuple[str, str]:
    with translation.override("en"):
        call_command("verify_audit_log", stdout=(out := _Out()), stderr=(err := _Out()))
    return out.text, err.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_record_left_unchained_by_a_process_dying_after_its_commit_is_chained_by_the_seal_task():
    from django.utils import timezone

    from prosecution.audit.tasks import anchor_audit_log, seal_audit_log
    from prosecution.models import CalendarDay

    def die() -> None:
        raise _ProcessDied

    before = AuditRecord.objects.count()
    with pytest.raises(_ProcessDied), transaction.atomic():
        transaction.on_commit(die)  # registered before the record's seal: runs first
        make_day_off(date(2026, 12, 28))
    assert CalendarDay.objects.filter(date=date(2026, 12, 28)).exists()  # committed
    assert AuditRecord.objects.count() == before  # but not chained
    assert PendingAuditRecord.objects.filter(action="calendar.change").count() == 1
    assert _verify_with_warnings() == (f"{before} records, chain intact\n", "")
    later = timezone.now() + chain.SEAL_OVERDUE + timedelta(minutes=1)
    with time_machine.travel(later):
        out, warning = _verify_with_warnings()
    assert out == f"{before} records, chain intact\n"
    assert "1 record has waited more than 15 minutes to be chained" in warning
    assert "prosecution.tasks.seal_audit_log" in warning

    # The beat's safety net, every five minutes (run here as the worker runs it; .get() on a
    # result is refused in a process where a test has started a worker).
    assert seal_audit_log() == 1
    chained = AuditRecord.objects.get(action="calendar.change")
    assert (chained.seq, chained.details["date"]) == (before + 1, "2026-12-28")
    assert not PendingAuditRecord.objects.exists()
    assert chain.verify() == (before + 1, None)
    with time_machine.travel(later):
        assert _verify_with_warnings()[1] == ""
    # The hourly anchor seals first too, so that it covers every commit before it.
    with pytest.raises(_ProcessDied), transaction.atomic():
        transaction.on_commit(die)
        audit.record("test.event")
    assert anchor_audit_log() == before + 2  # as the worker runs it (see the seal above)
    assert not PendingAuditRecord.objects.exists()


def test_the_log_leaves_djangos_transactions_as_django_made_them():
    """docs/style.md: never patch the framework. The log hooks into the commit through
    transaction.on_commit: Atomic's methods are Django's own, nothing wraps them."""
    for name in ("__enter__", "__exit__"):
        method = inspect.getattr_static(transaction.Atomic, name)
        assert method.__module__ == "django.db.transaction"
        assert method.__qualname__ == f"Atomic.{name}"
        assert Path(inspect.getfile(method)).parts[-3:] == ("django", "db", "transaction.py")
        assert method.__code__ is getattr(transaction.Atomic, name).__code__
        assert not hasattr(method, "__wrapped__")
