from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActsConfig(AppConfig):
    """Acts of prosecutorial supervision and response (Art. 32-43)."""

    name = "acts"
    verbose_name = _("Prosecutorial acts")
