from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProsecutionConfig(AppConfig):
    """The office hierarchy, staff, the access policy and the working-day calendar."""

    name = "prosecution"
    verbose_name = _("Offices, staff and calendar")

    def ready(self) -> None:
        from guardian.models import GroupObjectPermission, UserObjectPermission

        # Here, not at the top: models and receivers may be imported only once the apps are ready.
        from prosecution import checks  # noqa: F401  (registers the system checks)
        from prosecution.accounts import sessions  # noqa: F401  (stamps each login)
        from prosecution.audit import middleware  # noqa: F401  (tasks record as the system)
        from prosecution.audit import receivers as audit_receivers
        from prosecution.models import (
            StaffProfile,
            StaffProfileGroupObjectPermission,
            StaffProfileUserObjectPermission,
        )
        from prosecution.offices import access
        from prosecution.terms import receivers  # noqa: F401

        access.register_grants(
            StaffProfile,
            user_model=StaffProfileUserObjectPermission,
            group_model=StaffProfileGroupObjectPermission,
        )
        # Grants in guardian's generic tables, should anything write them, are audited too.
        audit_receivers.connect_object_permissions(UserObjectPermission, GroupObjectPermission)
