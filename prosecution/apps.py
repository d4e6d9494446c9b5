from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProsecutionConfig(AppConfig):
    """The office hierarchy, staff, the access policy and the working-day calendar."""

    name = "prosecution"
    verbose_name = _("Offices, staff and calendar")

    def ready(self) -> None:
        from guardian.models import GroupObjectPermission, UserObjectPermission

        from prosecution import (  # noqa: F401  (checks and receivers)
            access,
            checks,
            session_guard,
            signals,
        )
        from prosecution.models import (
            StaffProfile,
            StaffProfileGroupObjectPermission,
            StaffProfileUserObjectPermission,
        )

        access.register_grants(
            StaffProfile,
            user_model=StaffProfileUserObjectPermission,
            group_model=StaffProfileGroupObjectPermission,
        )
        # Grants in guardian's generic tables, should anything write them, are audited too.
        signals.connect_object_permissions(UserObjectPermission, GroupObjectPermission)
