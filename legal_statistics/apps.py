from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalStatisticsConfig(AppConfig):
    """The legal statistics department: the register of checks, the deadline dashboards and the
    reports (issue 17).

    Named legal_statistics, not statistics: a top-level `statistics` package would shadow the
    standard-library module.
    """

    name = "legal_statistics"
    verbose_name = _("Legal statistics")

    def ready(self) -> None:
        from legal_statistics.reports import REPORTS, tallies

        # The reports counted ahead follow every change of what they count (tallies.py).
        tallies.connect(REPORTS.values())
