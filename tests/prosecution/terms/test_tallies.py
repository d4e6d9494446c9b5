"""The dashboard's tallies (prosecution/terms/tallies.py): after any mix of changes of terms through
the services, each tally equals a fresh count of the term table; a tally out of step refuses the
change; and the dashboard counts the same from the tallies as from the terms, for every level and
clearance (Art. 5(2); docs/rules.md "Secrecy")."""

import importlib
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from legal_statistics import selectors
from legal_statistics.bands import Horizon
from legal_statistics.selectors import DashboardFilters
from prosecution.models import (
    ActiveTermsByKind,
    ActiveTermsByPerson,
    LateTermsByDay,
    Office,
    OpenTermsByKindAndDay,
    OpenTermsByPersonAndDay,
    Position,
    Term,
    TermKind,
    TermState,
)
from prosecution.offices.services import move_office
from prosecution.terms import engine as terms
from prosecution.terms import tallies
from tests.conftest import make_day_off, make_staff
from tests.dashboard_terms import FRIDAY_BEFORE_NAURYZ, make_term, on_day
from tests.term_changes import DECISIONS, decide

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)
KINDS = [
    TermKind.APPEAL_ANSWER,
    TermKind.CHECK_DURATION,
    TermKind.COMPLAINT_DECISION,
    TermKind.SET_BY_PROSECUTOR,
]


def _open_some(rng: random.Random, offices, people, subjects, count: int) -> None:
    for _ in range(count):
        kind = rng.choice(KINDS)
        start = START + timedelta(days=rng.randrange(40))
        set_due = start + timedelta(days=10 + rng.randrange(30))
        terms.open_term(
            subject=next(subjects),
            kind=kind,
            office=rng.choice(offices),
            start_date=start,
            start_event="received",
            responsible=rng.choice(people),
            set_due=set_due if kind == TermKind.SET_BY_PROSECUTOR else None,
            is_classified=rng.random() < 0.2,
        )


def _change_some(rng: random.Random, count: int, today: date) -> Counter:
    """Random decisions on random terms; the ones the law refuses are simply refused. Returns
    how many of each were taken."""
    done = Counter()
    for _ in range(count):
        decision = rng.choice(DECISIONS)
        # A suspended term is rare: resume one of those (the others are refused anyway).
        state = {"resume": TermState.SUSPENDED, "suspend": TermState.OPEN}.get(decision)
        candidates = list(Term.objects.filter(state=state) if state else Term.objects.all())
        if not candidates:
            continue
        term = rng.choice(sorted(candidates, key=lambda t: t.pk))
        on = min(today, term.start_date + timedelta(days=rng.randrange(1, 20)))
        if decide(term, decision, on=on, today=today):
            done[decision] += 1
    return done


def _subjects():
    User = get_user_model()
    n = 0
    while True:
        n += 1
        yield User.objects.create(username=f"subject-{n}", is_active=False)


def test_a_random_mix_of_changes_leaves_every_tally_equal_to_a_recount(cast):
    """Opening, extension (with the follow-up term of Art. 24(5)), suspension, resumption,
    meeting (on time and late), cancellation, the sweep, a change of the calendar, a moved office
    and a deleted member of staff."""
    rng = random.Random(20260320)
    leaving = make_staff("leaving", cast.district_b)
    offices = [cast.district_a, cast.district_b, cast.region, cast.other_district, cast.gpo]
    people = [cast.a_user, cast.b_user, cast.region_user, leaving, None]
    subjects = _subjects()
    today = date(2026, 4, 20)
    with on_day(today):
        _open_some(rng, offices, people, subjects, 60)
        done = _change_some(rng, 80, today)
        assert tallies.differences() == {}
        make_day_off(date(2026, 4, 2))
        assert terms.recompute_after_calendar_change()  # some due dates move
        terms.mark_missed(today=today)
        move_office(office=cast.district_a, new_parent=cast.other_region)
        leaving_id = leaving.pk
        assert ActiveTermsByPerson.objects.filter(responsible_id=leaving_id).exists()
        leaving.delete()
        done += _change_some(rng, 40, today)
    assert tallies.differences() == {}
    # Every tally has something to compare, and every state was reached.
    for model in (
        ActiveTermsByKind,
        ActiveTermsByPerson,
        OpenTermsByKindAndDay,
        OpenTermsByPersonAndDay,
        LateTermsByDay,
    ):
        assert model.objects.exists(), model
    assert set(done) == set(DECISIONS), done
    assert not ActiveTermsByKind.objects.filter(office_path__startswith="GPO/R-AKMOLA/R-AKMOLA-D1")
    assert not ActiveTermsByPerson.objects.filter(responsible_id=leaving_id).exists()


def test_a_term_closed_leaves_no_empty_row(cast):
    term = make_term(cast.district_a, FRIDAY_BEFORE_NAURYZ)
    assert ActiveTermsByKind.objects.get().n == 1
    terms.cancel_term(term, reason="withdrawn", by=None, system=True)
    for model in (ActiveTermsByKind, ActiveTermsByPerson, OpenTermsByKindAndDay):
        assert not model.objects.exists(), model


def test_terms_handed_to_another_person_and_office_move_in_the_tallies(cast):
    """An appeal sent down to a district and given to an executor (assign_terms): its terms are
    counted for the new person and office, and no longer for the old."""
    term = make_term(cast.district_a, FRIDAY_BEFORE_NAURYZ, responsible=cast.a_user)
    subject = Office(pk=term.subject_id)  # make_term's subject: an id, no row
    assert terms.assign_terms(subject, responsible=cast.b_user, office=cast.district_b) == 1
    assert tallies.differences() == {}
    moved = ActiveTermsByPerson.objects.get()
    assert (moved.office_path, moved.responsible_id) == (cast.district_b.path, cast.b_user.pk)


def test_a_tally_out_of_step_refuses_the_change_and_keeps_the_term(cast):
    """A term changed behind the services' back: counting it out would make a count negative.
    The service refuses (its transaction rolls back) rather than count wrong."""
    term = make_term(cast.district_a, FRIDAY_BEFORE_NAURYZ)
    ActiveTermsByKind.objects.all().delete()
    with pytest.raises(tallies.TallyOutOfStep):
        terms.cancel_term(term, reason="withdrawn", by=None, system=True)
    term.refresh_from_db()
    assert term.state == TermState.OPEN
    call_command("rebuild_term_tallies")
    terms.cancel_term(term, reason="withdrawn", by=None, system=True)
    assert tallies.differences() == {}


def test_the_repair_command_counts_terms_loaded_behind_the_services_back(cast):
    make_term(cast.district_a, FRIDAY_BEFORE_NAURYZ)
    Term.objects.filter(pk=make_term(cast.region, FRIDAY_BEFORE_NAURYZ).pk).update(
        state=TermState.MISSED
    )
    with pytest.raises(CommandError):
        call_command("rebuild_term_tallies", "--check")
    call_command("rebuild_term_tallies")
    call_command("rebuild_term_tallies", "--check")
    assert ActiveTermsByKind.objects.get(state=TermState.MISSED).n == 1


def test_the_migration_counts_the_terms_as_the_rebuild_does(cast):
    """prosecution/migrations/0008 freezes the counts in SQL of its own."""
    make_term(cast.district_a, FRIDAY_BEFORE_NAURYZ, responsible=cast.a_user, classified=True)
    make_term(cast.district_b, date(2026, 3, 10), TermState.MISSED)
    make_term(cast.region, date(2026, 3, 10), TermState.MET, met_on=date(2026, 3, 12))
    make_term(cast.region, date(2026, 3, 11), TermState.SUSPENDED, responsible=cast.b_user)
    for tally in tallies.TALLIES:
        tally.model.objects.all().delete()
    migration = importlib.import_module("prosecution.migrations.0009_term_tallies")

    class SchemaEditor:
        pass

    editor = SchemaEditor()
    editor.connection = connection
    migration.count_terms(None, editor)
    assert tallies.differences() == {}
    assert LateTermsByDay.objects.count() == 2  # the missed term, and the one met late


# --- The dashboard reads the same numbers --------------------------------------------------------


@pytest.fixture
def mixed(cast):
    """Terms of every state and band across the tree, some classified, some nobody's."""
    rng = random.Random(7)
    cast.cleared_head = make_staff("cleared", cast.region, Position.HEAD, has_clearance=True)
    people = [cast.a_user, cast.b_user, cast.region_user, cast.other_user, None]
    offices = [cast.district_a, cast.district_b, cast.region, cast.other_district, cast.gpo]
    states = [TermState.OPEN] * 4 + [TermState.SUSPENDED, TermState.MISSED, TermState.MET]
    for _ in range(150):
        state = rng.choice(states)
        due = FRIDAY_BEFORE_NAURYZ + timedelta(days=rng.randrange(-60, 20))
        make_term(
            rng.choice(offices),
            due,
            state,
            kind=rng.choice(KINDS),
            responsible=rng.choice(people),
            classified=rng.random() < 0.25,
            met_on=due + timedelta(days=rng.randrange(-3, 4)) if state == TermState.MET else None,
        )
    return cast


def _everything(user, office, filters):
    horizon = Horizon.on(FRIDAY_BEFORE_NAURYZ)
    totals, rows, kinds = selectors.rollup(user, office, filters, horizon)
    return (
        totals,
        sorted((row.code, row.counts) for row in rows),
        [(row.kind, row.counts) for row in kinds],
        [(row.user_id, row.counts) for row in selectors.by_person(user, office, filters, horizon)],
        selectors.missed_per_week(user, office, filters, FRIDAY_BEFORE_NAURYZ),
    )


@pytest.mark.parametrize(
    "filters",
    [
        DashboardFilters(),
        DashboardFilters(kind=TermKind.CHECK_DURATION),
        DashboardFilters(state=TermState.OPEN),
        DashboardFilters(state=TermState.MISSED),
    ],
    ids=["none", "kind", "open", "missed"],
)
def test_the_dashboard_counts_the_same_from_the_tallies_as_from_the_terms(
    mixed, filters, monkeypatch
):
    """For the republic, a region (an uncleared and a cleared head), its districts and another
    region's district: classified terms count only for the cleared (docs/rules.md "Secrecy"), and
    nothing of a sibling or a superior is counted (Art. 5(2))."""
    viewers = [
        (mixed.gpo_user, mixed.gpo),
        (mixed.region_user, mixed.region),
        (mixed.cleared_head, mixed.region),
        (mixed.cleared_head, mixed.district_a),
        (mixed.a_user, mixed.district_a),
        (mixed.b_user, mixed.district_b),
        (mixed.other_user, mixed.other_district),
    ]
    with on_day(FRIDAY_BEFORE_NAURYZ):
        from_tallies = [_everything(user, office, filters) for user, office in viewers]
        monkeypatch.setattr(selectors, "_tally_can_count", lambda *args: False)
        from_terms = [_everything(user, office, filters) for user, office in viewers]
    assert from_tallies == from_terms
    cleared, uncleared = from_tallies[2][0], from_tallies[1][0]
    assert cleared.total > uncleared.total > 0
    # The page of an office with none below it counts its own terms (selectors._own_terms).
    with on_day(FRIDAY_BEFORE_NAURYZ):
        for (user, office), expected in zip(viewers, from_terms, strict=True):
            page = selectors.dashboard(user, office, filters, sort="office")
            totals, offices, kinds, people, trend = expected
            assert page.totals == totals and page.trend == trend
            assert sorted((row.code, row.counts) for row in page.by_office) == offices
            assert [(row.kind, row.counts) for row in page.by_kind] == kinds
            assert [(row.user_id, row.counts) for row in page.by_person] == people


def test_the_admin_cannot_delete_a_term(cast, client):
    """A term deleted behind the services' back would stay counted; it is cancelled instead."""
    admin = make_staff("root", cast.gpo)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    term = make_term(cast.district_a, FRIDAY_BEFORE_NAURYZ)
    client.force_login(admin)
    assert client.get(f"/admin/prosecution/term/{term.pk}/delete/").status_code == 403
    assert client.get(f"/admin/prosecution/term/{term.pk}/change/").status_code == 200
    assert Term.objects.filter(pk=term.pk).exists()
