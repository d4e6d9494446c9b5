from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    """Appeals of individuals and legal entities (Art. 24, 25) and personal receptions."""

    name = "appeals"
    verbose_name = _("Appeals and receptions")

    def ready(self) -> None:
        from appeals import signals  # noqa: F401 (connects the receivers)
        from appeals.models import Appeal, AppealGroupObjectPermission, AppealUserObjectPermission
        from prosecution.models import LEADERSHIP_POSITIONS, Position
        from prosecution.offices import access

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
                # Personal receptions (docs/sources.md, seed 002; appeals/reception/). Schedules:
                # the leadership and the staff who keep the reception timetable.
                "manage_reception_schedules": (
                    *LEADERSHIP_POSITIONS,
                    Position.RECEPTION_OFFICER,
                    Position.CLERK,
                ),
                # Requests from the 115 call centre, the portal, in writing, at the Center.
                "book_reception": None,
                # Screening requests to the GPO's leadership against the grounds of refusal.
                "screen_reception_request": (*LEADERSHIP_POSITIONS, Position.RECEPTION_OFFICER),
                # The day: arrival, no-show, the outcome; any member of staff receives.
                "run_reception": None,
            }
        )
