"""Changes to the office hierarchy. Reads live in selectors.py."""

from django.apps import apps
from django.db import transaction
from django.db.models import F, Model, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office, OfficeKind
from prosecution.offices.tree import child_path, depth_of
from prosecution.terms import tallies


@transaction.atomic
def create_office(
    *,
    parent: Office | None,
    code: str,
    kind: str,
    name_kk: str,
    name_ru: str,
    name_en: str,
    address: str = "",
) -> Office:
    """Art. 13: one centralized system under the General Prosecutor's Office."""
    if parent is None and kind != OfficeKind.GPO:
        raise RuleViolation(_("Every office but the GPO has a superior office."), article="Art. 13")
    path = child_path(parent.path if parent else None, code)
    office = Office(
        parent=parent,
        code=code,
        kind=kind,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        address=address,
        path=path,
        depth=depth_of(path),
    )
    office.full_clean()
    office.save()
    audit.record("office.create", target=office, parent=parent.code if parent else "", kind=kind)
    return office


@transaction.atomic
def move_office(*, office: Office, new_parent: Office) -> Office:
    """Put an office (and everything below it) under another superior: one UPDATE of the paths."""
    if new_parent.path.startswith(office.path):
        raise RuleViolation(_("An office cannot be moved below itself."), article="Art. 5(2)")
    old_prefix = office.path
    new_prefix = child_path(new_parent.path, office.code)
    shift = depth_of(new_prefix) - depth_of(old_prefix)
    Office.objects.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1, Length("path"))),
        depth=F("depth") + shift,
    )
    Office.objects.filter(pk=office.pk).update(parent=new_parent)
    # Records carry their office's path (`office_path`: terms, appeals, checks, acts, ...) for
    # the access policy, the dashboard and the reports: they all move with the office. Before,
    # only the terms did, and a moved office's appeals stayed in its old superior's scope.
    owned = {tally.model for tally in tallies.TALLIES}
    for model in _models_with_an_office_path():
        if model not in owned:
            model._default_manager.filter(office_path__startswith=old_prefix).update(
                office_path=Concat(
                    Value(new_prefix),
                    Substr("office_path", len(old_prefix) + 1, Length("office_path")),
                )
            )
    tallies.move_paths(old_prefix, new_prefix)
    office.refresh_from_db()
    # Everyone in the old and the new superior chains sees the office differently from now on.
    audit.record("office.move", target=office, old_path=old_prefix, new_path=new_prefix)
    return office


def _models_with_an_office_path() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if any(field.name == "office_path" for field in model._meta.concrete_fields)
    ]
