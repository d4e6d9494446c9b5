from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Legality checks, analyses, assessments of acts, requests for information (Art. 17-26)."""

    name = "supervision"
    verbose_name = _("Supervision")
