"""The one access policy (Art. 5(2)): every view, API viewset, export and dashboard uses it.

- A member of staff sees and acts on records of their own office and of every office below it: a
  superior directs, acts for and reviews inferiors. Nothing of a sibling or a superior is visible
  unless granted.
- Per-object exceptions (a record shared with a person or a group) are django-guardian rows in
  direct foreign-key tables, registered here per model. A model-level permission never widens the
  scope: we read the object tables ourselves, which is guardian's accept_global_perms=False.
- Classified records (a model with `is_classified`) are visible only to staff with a valid
  clearance in the owning office chain; grants never open them.
- Callers that are not a person (beat, workers) do not come through here to act: services take an
  explicit `system=True` and say so. To count for an office (the monthly report the beat builds,
  legal_statistics/monthly.py) they read through `visible_to` as `OfficeScope(office)`: the office
  and everything below it, without any person's grants or clearance.
- Out of scope is "not found" (404), never "forbidden": existence is not leaked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, TypeAlias, TypeVar, cast

from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from prosecution.audit import log as audit
from prosecution.audit.receivers import connect_object_permissions
from prosecution.lib.errors import RuleViolation
from prosecution.models import LEADERSHIP_POSITIONS, Office, StaffProfile


@dataclass(frozen=True)
class OfficeScope:
    """A system caller that reads for an office, not for a person (the beat's monthly report):
    it sees the records of the office and of every office below it (Art. 5(2)), none shared with
    a person (grants belong to people) and no classified record (clearance belongs to people, and
    what it builds is kept for everyone in the office to read). It is no member of staff: it has
    no profile, so `may` and `require` refuse it every action."""

    office: Office


# Whoever asks: request.user of a page or of the API, or nobody. Everyone but an active member of
# staff sees nothing.
Viewer: TypeAlias = User | AnonymousUser | None
# Whoever reads through visible_to: a viewer, or an office read by a system caller.
Reader: TypeAlias = Viewer | OfficeScope

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class GrantTables:
    # Direct foreign-key tables: guardian's bases do not know `content_object`.
    user_model: type[models.Model]
    group_model: type[models.Model]


_GRANT_TABLES: dict[type[models.Model], GrantTables] = {}


def register_grants(
    model: type[models.Model],
    *,
    user_model: type[models.Model],
    group_model: type[models.Model],
) -> None:
    """Declare the direct object-permission tables of a model (called from AppConfig.ready). Every
    grant made or withdrawn in them is audited (prosecution/audit/receivers.py)."""
    _GRANT_TABLES[model] = GrantTables(user_model, group_model)
    connect_object_permissions(user_model, group_model)


# What each position may do beyond viewing, by action. None: every active member of staff.
# Apps add their actions here as they come (e.g. "extend_appeal_term": leadership only,
# Art. 24(4)).
ROLE_ACTIONS: dict[str, tuple[str, ...] | None] = {
    "view": None,
    "change": None,
    "decide": LEADERSHIP_POSITIONS,
}


def staff_profile(user: Viewer) -> StaffProfile | None:
    """The active staff profile of an active user, or None. Read fresh once per request (so a
    change of office, role or active flag takes effect on the next request) and kept on the user
    object for the rest of it."""
    # An OfficeScope is no person: no profile, so no action (`may`, `require`) is ever its.
    if user is None or isinstance(user, AnonymousUser | OfficeScope) or not user.is_authenticated:
        return None
    if not user.is_active:
        return None
    cached = cast("StaffProfile | Literal[False] | None", getattr(user, "_access_profile", False))
    if cached is not False:
        return cached
    profile = (
        StaffProfile.objects.select_related("office", "unit", "class_rank")
        .filter(user=user, is_active=True, office__is_active=True)
        .first()
    )
    # The user object lives as long as the request: it carries the profile read for it.
    user._access_profile = profile  # type: ignore[attr-defined]
    return profile


def _office_prefix(office_field: str) -> str:
    if office_field.endswith("_path"):  # a path copied onto the record (Term.office_path): no join
        return f"{office_field}__startswith"
    return f"{office_field}__path__startswith" if office_field else "path__startswith"


def _granted(user: Viewer, model: type[models.Model]) -> Q | None:
    """Rows shared with the user or one of their groups: two subqueries inside the one query."""
    tables = _GRANT_TABLES.get(model)
    if tables is None:
        return None
    codename = f"view_{model._meta.model_name}"
    by_user = tables.user_model._default_manager.filter(user=user, permission__codename=codename)
    by_group = tables.group_model._default_manager.filter(
        group__user=user, permission__codename=codename
    )
    return Q(pk__in=by_user.values("content_object_id")) | Q(
        pk__in=by_group.values("content_object_id")
    )


def visible_to(
    user: Reader, queryset: QuerySet[_M], *, office_field: str = "office"
) -> QuerySet[_M]:
    """The rows of `queryset` that `user` may see: one filter with at most one subquery, whatever
    the depth of the tree. `office_field` names the owning office ("" for Office itself, or a
    path column such as "office_path" copied onto the record)."""
    if isinstance(user, OfficeScope):
        return _office_scope(user.office, queryset, office_field=office_field)
    profile = staff_profile(user)
    if profile is None:
        return queryset.none()
    in_scope = Q(**{_office_prefix(office_field): profile.office.path})
    condition = in_scope
    granted = _granted(user, queryset.model)
    if granted is not None:
        condition |= granted
    if is_classifiable(queryset.model):
        cleared_scope = in_scope if profile.clearance_valid() else Q(pk__in=[])
        condition = (Q(is_classified=False) & condition) | (Q(is_classified=True) & cleared_scope)
    return queryset.filter(condition)


def _office_scope(office: Office, queryset: QuerySet[_M], *, office_field: str) -> QuerySet[_M]:
    """OfficeScope's rows: the office's subtree by its path, unclassified only."""
    in_scope = queryset.filter(**{_office_prefix(office_field): office.path})
    if is_classifiable(queryset.model):
        in_scope = in_scope.filter(is_classified=False)
    return in_scope


def has_grants(model: type[models.Model]) -> bool:
    """Whether records of `model` can be shared one by one beyond the office scope (a count kept
    ahead of time, which knows no records, cannot honour such grants)."""
    return model in _GRANT_TABLES


@cache
def is_classifiable(model: type[models.Model]) -> bool:
    """Whether a model has `is_classified`; asked on every list (and by the reports' tallies,
    legal_statistics/reports/tallies.py), answered once per model."""
    return any(f.name == "is_classified" for f in model._meta.get_fields())


def _owning_office(obj: models.Model, office_field: str) -> Office:
    if isinstance(obj, Office):
        return obj
    return getattr(obj, office_field)


def may(user: Viewer, action: str, obj: models.Model, *, office_field: str = "office") -> bool:
    """May `user` do `action` to `obj`? Scope first (Art. 5(2)), then the role."""
    profile = staff_profile(user)
    if profile is None:
        return False
    allowed = ROLE_ACTIONS.get(action, ())
    if allowed is not None and profile.position not in allowed:
        return False
    office = _owning_office(obj, office_field)
    in_scope = office.path.startswith(profile.office.path)
    if getattr(obj, "is_classified", False):
        return in_scope and profile.clearance_valid()
    if in_scope:
        return True
    if action == "view" and type(obj) in _GRANT_TABLES:
        return visible_to(
            user, type(obj)._default_manager.filter(pk=obj.pk), office_field=office_field
        ).exists()
    return False


def require(
    by: Viewer,
    action: str,
    obj: models.Model,
    *,
    article: str = "",
    message: str | None = None,
    office_field: str = "office",
) -> None:
    """What every service checks before it acts: may `by` do `action` to `obj` (`may`: scope
    first, Art. 5(2), then the role)? If not, the denial is audited and the service refuses with
    a RuleViolation "forbidden" (pages and the API answer it as not allowed; a record out of
    scope was already a 404 when it was looked up). `article`: the one that reserves the action
    to a role, if any; `message`: what to tell the person, if more precise than the default;
    `office_field`: the owning office, as for `may`."""
    if by is None or not may(by, action, obj, office_field=office_field):
        audit.denied(obj, actor=by, checked=action)
        if message is None:
            message = _("You may not do this here.")
        raise RuleViolation(message, article=article, code="forbidden")


def get_visible_or_404(
    user: Viewer, queryset: QuerySet[_M], *, office_field: str = "office", **lookup: Any
) -> _M:
    """The record if `user` may see it; otherwise 404, so that existence does not leak. A record
    that exists but is out of the user's scope is a denial, and audited (one more query, on
    this path only)."""
    try:
        return visible_to(user, queryset, office_field=office_field).get(**lookup)
    except ObjectDoesNotExist:  # the model's DoesNotExist (mypy knows no type[_M].DoesNotExist)
        hidden = queryset.filter(**lookup).values_list("pk", flat=True).first()
        if hidden is not None:
            meta = queryset.model._meta
            audit.denied((f"{meta.app_label}.{meta.model_name}", hidden, ""), checked="view")
        raise Http404 from None


def grant_view(obj: models.Model, *, to: User | Group) -> None:
    """Share one record with a person or a group outside its office scope (guardian row)."""
    assign_perm(f"view_{obj._meta.model_name}", to, obj)


def revoke_view(obj: models.Model, *, from_: User | Group) -> None:
    remove_perm(f"view_{obj._meta.model_name}", from_, obj)
