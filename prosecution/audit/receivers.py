"""The audit log hears here of what Django and its admin change without our services: sign-ins and
sign-outs, authenticators removed, the calendar, and changes of powers (staff profiles, accounts,
offices closed, groups and permissions, per-object grants)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from prosecution.audit import log as audit
from prosecution.models import AuditOutcome, CalendarDay, Office, StaffProfile


@receiver(user_logged_in)
def audit_login(*, request, user, **_kwargs) -> None:
    audit.record("auth.login", actor=user, target=user)


@receiver(user_logged_out)
def audit_logout(*, request, user, **_kwargs) -> None:
    if user is not None:
        audit.record("auth.logout", actor=user, target=user)


@receiver(user_login_failed)
def audit_login_failed(*, credentials, request=None, **_kwargs) -> None:
    # The name tried, never the password (nor anything else the form sent).
    username = str(credentials.get(get_user_model().USERNAME_FIELD, ""))[:150]
    audit.record("auth.login_failed", outcome=AuditOutcome.FAILED, username=username)


@receiver(post_delete, sender=TOTPDevice)
def audit_authenticator_removed(*, instance, **_kwargs) -> None:
    # An administrator resets a lost authenticator by deleting it (the admin's TOTP devices); the
    # person sets up a new one at their next sign-in (auth.authenticator_enrolled).
    audit.record(
        "auth.authenticator_removed",
        target=instance.user,
        device=instance.name,
        confirmed=instance.confirmed,
    )


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def audit_calendar(*, instance, raw: bool = False, created: bool = False, **kwargs) -> None:
    if raw:
        return
    change = "deleted" if kwargs["signal"] is post_delete else "added" if created else "changed"
    audit.record(
        "calendar.change",
        target=instance,
        change=change,
        date=instance.date,
        kind=instance.kind,
        is_estimate=instance.is_estimate,
        legal_source=instance.legal_source,
    )


# What a staff profile or an account holds that widens or narrows what its person may do.
STAFF_POWERS = (
    "office_id",
    "unit_id",
    "position",
    "has_clearance",
    "clearance_expires",
    "is_active",
)
USER_POWERS = ("is_active", "is_staff", "is_superuser")
# An office closed or reopened: its staff lose or regain access (prosecution/offices/access.py).
OFFICE_POWERS = ("is_active",)


def _remember_powers(instance, fields, update_fields) -> None:
    """Before a save: the values held now (one query, and none for a save that touches none of
    them, e.g. the last_login update of every sign-in)."""
    instance._audit_before = None
    if instance.pk is None or (update_fields is not None and not set(update_fields) & set(fields)):
        return
    instance._audit_before = (
        type(instance).objects.filter(pk=instance.pk).values(*fields).first() or None
    )


def _changed_powers(instance, fields) -> dict:
    before = getattr(instance, "_audit_before", None) or {}
    return {
        name: [before[name], getattr(instance, name)]
        for name in fields
        if name in before and before[name] != getattr(instance, name)
    }


def _watch_powers(model, fields, *, name: str, created_too: bool = True, details=None) -> None:
    """Audit a change of `fields` of `model` (and its creation, with `created_too`): the values
    before are read at pre_save, compared at post_save; "<name>_added" / "<name>_changed"."""

    def before(*, instance, raw: bool = False, update_fields=None, **_kwargs) -> None:
        if not raw:
            _remember_powers(instance, fields, update_fields)

    def after(*, instance, created: bool, raw: bool = False, **_kwargs) -> None:
        if raw or (created and not created_too):
            return
        if created:
            changes = {field: [None, getattr(instance, field)] for field in fields}
        elif not (changes := _changed_powers(instance, fields)):
            return
        audit.record(
            "permission.change",
            target=instance,
            change=f"{name}_added" if created else f"{name}_changed",
            **(details(instance) if details else {}),
            fields=changes,
        )

    pre_save.connect(before, sender=model, weak=False)
    post_save.connect(after, sender=model, weak=False)


_watch_powers(StaffProfile, STAFF_POWERS, name="staff", details=lambda p: {"user": p.user_id})
_watch_powers(get_user_model(), USER_POWERS, name="user")
# An office's creation is audited by prosecution.offices.services.create_office, with its superior.
_watch_powers(Office, OFFICE_POWERS, name="office", created_too=False)


@receiver(post_delete, sender=StaffProfile)
def audit_staff_deleted(*, instance, **_kwargs) -> None:
    audit.record(
        "permission.change", target=instance, change="staff_deleted", user=instance.user_id
    )


def _audit_m2m(relation: str):
    def receiver_(*, instance, action, model, pk_set, reverse, **_kwargs) -> None:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        audit.record(
            "permission.change",
            target=instance,
            change=f"{relation}.{action.removeprefix('post_')}",
            related=model._meta.label_lower,
            ids=sorted(pk_set or ()),
        )

    return receiver_


def _connect_m2m() -> None:
    user_model = get_user_model()
    for through, relation in (
        (user_model.groups.through, "groups"),
        (user_model.user_permissions.through, "user_permissions"),
        (Group.permissions.through, "group_permissions"),
    ):
        m2m_changed.connect(_audit_m2m(relation), sender=through, weak=False)


_connect_m2m()


def audit_object_permission(*, instance, raw: bool = False, created: bool = True, **kwargs):
    """A per-object grant (django-guardian) made or withdrawn: prosecution.access connects this
    to every object-permission table it registers, and to guardian's generic ones."""
    if raw or not created:
        return
    holder = getattr(instance, "user", None) or getattr(instance, "group", None)
    assert holder is not None  # guardian's rows grant to a user or to a group
    try:
        target = instance.content_object
    except ObjectDoesNotExist:  # withdrawn because the record itself is being deleted
        target = None
    audit.record(
        "permission.change",
        target=target,
        change="grant_removed" if kwargs["signal"] is post_delete else "grant_added",
        permission=instance.permission.codename,
        holder=f"{holder._meta.model_name}:{holder.pk}",
    )


def connect_object_permissions(*models) -> None:
    for model in models:
        post_save.connect(audit_object_permission, sender=model, weak=False)
        post_delete.connect(audit_object_permission, sender=model, weak=False)
