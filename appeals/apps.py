from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    """Appeals of individuals and legal entities (Art. 24, 25) and personal receptions."""

    name = "appeals"
    verbose_name = _("Appeals and receptions")
