"""The one access policy (prosecution/offices/access.py), Art. 5(2) and docs/security.md 1-4."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction

from prosecution.lib.errors import RuleViolation
from prosecution.models import Office, Position, StaffProfile
from prosecution.offices import access
from prosecution.offices.services import create_office, move_office
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def _profile(user):
    return StaffProfile.objects.get(user=user)


def _visible_staff_ids(user):
    return set(access.visible_to(user, StaffProfile.objects.all()).values_list("pk", flat=True))


def test_superior_offices_see_everything_below_them_art_5_2(cast):
    a = _profile(cast.a_user).pk
    assert a in _visible_staff_ids(cast.a_user)
    assert a in _visible_staff_ids(cast.region_user)
    assert a in _visible_staff_ids(cast.gpo_user)


def test_sibling_and_inferior_offices_see_nothing_above_or_beside_them(cast):
    assert _profile(cast.a_user).pk not in _visible_staff_ids(cast.b_user)
    assert _profile(cast.region_user).pk not in _visible_staff_ids(cast.a_user)
    assert _profile(cast.a_user).pk not in _visible_staff_ids(cast.other_user)


def test_anonymous_inactive_and_unattached_users_see_nothing(cast, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert _visible_staff_ids(AnonymousUser()) == set()
    assert _visible_staff_ids(cast.inactive_user) == set()
    loose = django_user_model.objects.create_user("no_profile")
    assert _visible_staff_ids(loose) == set()
    profile = _profile(cast.a_user)
    profile.is_active = False
    profile.save()
    assert _visible_staff_ids(StaffProfile.objects.get(pk=profile.pk).user) == set()


def test_a_grant_shares_one_record_with_a_person_outside_the_scope(cast):
    record = _profile(cast.a_user)
    access.grant_view(record, to=cast.b_user)
    fresh_b = type(cast.b_user).objects.get(pk=cast.b_user.pk)
    assert record.pk in _visible_staff_ids(fresh_b)
    assert access.may(fresh_b, "view", record)
    assert not access.may(fresh_b, "change", record)  # a grant to see is not a grant to act
    access.revoke_view(record, from_=cast.b_user)
    fresh_b = type(cast.b_user).objects.get(pk=cast.b_user.pk)
    assert record.pk not in _visible_staff_ids(fresh_b)


def test_a_grant_to_a_group_reaches_its_members(cast):
    record = _profile(cast.a_user)
    group = Group.objects.create(name="inspectors")
    cast.other_user.groups.add(group)
    access.grant_view(record, to=group)
    assert record.pk in _visible_staff_ids(type(cast.other_user).objects.get(pk=cast.other_user.pk))


def test_a_model_level_permission_never_widens_the_scope(cast):
    """docs/security.md 2: guardian with accept_global_perms=False semantics."""
    cast.b_user.user_permissions.add(Permission.objects.get(codename="view_staffprofile"))
    fresh_b = type(cast.b_user).objects.get(pk=cast.b_user.pk)
    assert fresh_b.has_perm("prosecution.view_staffprofile")
    assert _profile(cast.a_user).pk not in _visible_staff_ids(fresh_b)


def test_a_move_to_another_office_takes_effect_on_the_next_request(cast, client):
    """docs/security.md 4: the profile is read fresh on every request."""
    client.force_login(cast.b_user)
    a_pk = _profile(cast.a_user).pk
    assert client.get(f"/api/v1/staff/{a_pk}/").status_code == 404
    StaffProfile.objects.filter(user=cast.b_user).update(office=cast.region)
    assert client.get(f"/api/v1/staff/{a_pk}/").status_code == 200
    cast.b_user.is_active = False
    cast.b_user.save()
    assert client.get(f"/api/v1/staff/{a_pk}/").status_code == 401


def test_only_leadership_may_decide(cast):
    """Art. 24(4): decisions such as an extension belong to the head of the office or a deputy."""
    record = _profile(cast.a_user)
    assert access.may(cast.region_user, "decide", record)  # the head of the region
    assert not access.may(cast.a_user, "decide", record)  # a prosecutor


def test_visible_to_is_one_query_at_any_depth(cast, django_assert_num_queries):
    parent = cast.district_a
    for level in range(6):
        parent = create_office(
            parent=parent,
            code=f"DEEP-{level}",
            kind="district",
            name_kk="x",
            name_ru="x",
            name_en="x",
        )
    make_staff("deep", parent)
    user = cast.gpo_user
    access.staff_profile(user)  # the profile is read once per request
    with django_assert_num_queries(1):
        rows = list(access.visible_to(user, StaffProfile.objects.all()))
    assert any(r.office_id == parent.pk for r in rows)


def test_moving_an_office_moves_its_whole_subtree(cast):
    deep = create_office(
        parent=cast.district_a,
        code="SUB-A",
        kind="district",
        name_kk="x",
        name_ru="x",
        name_en="x",
    )
    move_office(office=cast.district_a, new_parent=cast.other_region)
    deep.refresh_from_db()
    assert deep.path == "GPO/R-PAVLODAR/R-AKMOLA-D1/SUB-A/"
    assert deep.depth == 3
    pavlodar_head = make_staff("pavlodar_head", cast.other_region, Position.HEAD)
    assert _profile(cast.a_user).pk in _visible_staff_ids(pavlodar_head)
    assert _profile(cast.a_user).pk not in _visible_staff_ids(cast.region_user)


def test_a_moved_office_takes_its_records_along_art_5_2(cast):
    """Art. 5(2): after the move the new superior sees the office's appeals (and every record
    that carries its office's path, terms and all), the old superior no longer does."""
    from appeals.models import Appeal
    from prosecution.models import Term
    from tests.appeal_helpers import register

    appeal, _created = register(cast)
    move_office(office=cast.district_a, new_parent=cast.other_region)
    appeal.refresh_from_db()
    assert appeal.office_path == "GPO/R-PAVLODAR/R-AKMOLA-D1/"
    assert set(Term.objects.filter(subject_id=appeal.pk).values_list("office_path", flat=True)) == {
        "GPO/R-PAVLODAR/R-AKMOLA-D1/"
    }
    pavlodar_head = make_staff("pavlodar_head", cast.other_region, Position.HEAD)
    assert access.visible_to(pavlodar_head, Appeal.objects.all()).filter(pk=appeal.pk).exists()
    assert (
        not access.visible_to(cast.region_user, Appeal.objects.all()).filter(pk=appeal.pk).exists()
    )


def test_an_office_cannot_be_moved_below_itself(cast):
    with pytest.raises(RuleViolation):
        move_office(office=cast.region, new_parent=cast.district_a)


def test_every_office_but_the_gpo_has_a_superior_art_13(db):
    with pytest.raises(RuleViolation):
        create_office(
            parent=None, code="ROGUE", kind="district", name_kk="x", name_ru="x", name_en="x"
        )


def test_the_database_allows_one_gpo_and_one_prosecutor_general(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.create(
            code="GPO2", kind="gpo", path="GPO2/", name_kk="x", name_ru="x", name_en="x"
        )
    make_staff("pg1", cast.gpo, Position.PROSECUTOR_GENERAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_staff("pg2", cast.gpo, Position.PROSECUTOR_GENERAL)


def test_the_reference_hierarchy_is_seeded_by_migration(db):
    """docs/offices.md: the GPO, its Committee, the chief offices, 17 regions and 3 cities."""
    assert Office.objects.filter(kind="regional").count() == 17
    assert Office.objects.filter(kind="city_republican").count() == 3
    for kind in ("committee", "chief_military", "chief_transport", "academy"):
        assert Office.objects.get(kind=kind).parent.code == "GPO"
    gpo = Office.objects.get(code="GPO")
    assert gpo.units.filter(kind="service").count() == 5
    assert gpo.units.filter(kind="management").count() == 3
    abai = Office.objects.get(code="R-ABAI")
    assert (abai.name_ru, abai.name_kk) == (
        "Прокуратура области Абай",
        "Абай облысының прокуратурасы",
    )


def _classified_term(cast):
    from datetime import date

    from prosecution.models import TermKind
    from prosecution.terms import engine as terms

    return terms.open_term(
        subject=cast.district_a,
        kind=TermKind.CHECK_DURATION,
        office=cast.district_a,
        start_date=date(2026, 2, 2),
        start_event="resolution registered",
        is_classified=True,
    )


def _sees(user, term):
    from prosecution.models import Term

    fresh = type(user).objects.get(pk=user.pk)  # a new request: the profile is read again
    listed = access.visible_to(fresh, Term.objects.all(), office_field="office_path")
    return listed.filter(pk=term.pk).exists(), access.may(fresh, "view", term)


def test_classified_material_is_visible_only_to_cleared_staff_of_the_owning_chain(cast):
    """docs/rules.md "Secrecy": material with state secrets is open only to staff with clearance."""
    from datetime import date, timedelta

    term = _classified_term(cast)
    assert _sees(cast.region_user, term) == (False, False)  # in the chain, not cleared
    StaffProfile.objects.filter(user=cast.region_user).update(has_clearance=True)
    assert _sees(cast.region_user, term) == (True, True)
    StaffProfile.objects.filter(user=cast.region_user).update(
        clearance_expires=date.today() - timedelta(days=1)
    )
    assert _sees(cast.region_user, term) == (False, False)  # the clearance has expired
    StaffProfile.objects.filter(user=cast.b_user).update(has_clearance=True)
    assert _sees(cast.b_user, term) == (False, False)  # cleared, but outside the chain
