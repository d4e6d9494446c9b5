from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Legality checks, analyses, assessments of acts, requests for information (Art. 17-26)."""

    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from prosecution.models import LEADERSHIP_POSITIONS, Position
        from prosecution.offices import access
        from supervision.rules import APPOINTING_POSITIONS

        access.ROLE_ACTIONS.update(
            {
                # Art. 18(1): the Prosecutor General, the deputies and the heads of offices appoint
                # checks (the kind of office is checked by supervision/services.py), decide their
                # extension (Art. 18(4); docs/sources.md, seed 004 para. 19(38)), change the
                # inspectors and cancel.
                "appoint_check": APPOINTING_POSITIONS,
                # Art. 18(4), 19(1): officers of legal statistics register resolutions.
                "register_check": (Position.LEGAL_STATISTICS_OFFICER,),
                # Art. 26(11): forced delivery on a reasoned decision of the PG, the deputies, the
                # heads of offices and their deputies (supervision/functions/summons.py).
                "order_forced_delivery": LEADERSHIP_POSITIONS,
            }
        )
