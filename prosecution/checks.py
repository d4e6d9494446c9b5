"""System checks for what must be configured before the system serves anyone."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_login_off_in_production(app_configs, **kwargs):
    if settings.DEMO_LOGIN_ENABLED and not settings.DEBUG:
        return [
            Error(
                "DEMO_LOGIN_ENABLED is on without DEBUG: demo accounts would accept the demo "
                "password in production.",
                id="prosecution.E001",
            )
        ]
    return []
