from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    """Appeals of individuals and legal entities (Art. 24, 25) and personal receptions."""

    name = "appeals"
    verbose_name = _("Appeals and receptions")

    def ready(self) -> None:
        from appeals.models import Appeal, AppealGroupObjectPermission, AppealUserObjectPermission
        from prosecution import access
        from prosecution.models import LEADERSHIP_POSITIONS

        access.register_grants(
            Appeal,
            user_model=AppealUserObjectPermission,
            group_model=AppealGroupObjectPermission,
        )
        access.ROLE_ACTIONS.update(
            {
                # Every member of staff registers what reaches their office.
                "register_appeal": None,
                # The head of the office or a deputy names the executor and sends appeals on.
                "assign_appeal": LEADERSHIP_POSITIONS,
                # Art. 25(1): the superior prosecutor decides a complaint.
                "decide_complaint": LEADERSHIP_POSITIONS,
            }
        )
