from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalStatisticsConfig(AppConfig):
    """The legal statistics department: the register of checks and the deadline dashboards (the
    reports are to come).

    Named legal_statistics, not statistics: a top-level `statistics` package would shadow the
    standard-library module.
    """

    name = "legal_statistics"
    verbose_name = _("Legal statistics")
