"""System checks for what must be configured before the system serves anyone."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Info, Tags, register


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


@register(Tags.security)
def private_files_are_not_served(app_configs, **kwargs):
    """Uploads (prosecution/files/uploads.py) must not lie where the static files are collected from
    or served: whitenoise would hand them to anyone, around every access check (docs/security.md
    14)."""
    private = Path(settings.PRIVATE_FILES_ROOT).resolve()
    served = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    for root in served:
        root = Path(root[1] if isinstance(root, tuple | list) else root).resolve()
        if private.is_relative_to(root) or root.is_relative_to(private):
            return [
                Error(
                    f"PRIVATE_FILES_ROOT ({private}) overlaps a static directory ({root}).",
                    id="prosecution.E002",
                )
            ]
    return []


@register(Tags.security, deploy=True)
def documents_signed_by_the_development_signer(app_configs, **kwargs):
    """prosecution/files/signing.py: the development signer's key is a file on the server and its
    signatures have no legal force. Said, not refused: the national signer (NCALayer) is not
    built yet, and a deployment must still pass `check --deploy --fail-level WARNING`."""
    if settings.DOCUMENT_SIGNER.endswith(".DevelopmentSigner") and not settings.DEBUG:
        return [
            Info(
                "Documents are signed by the development signer: its signatures prove only that "
                "a PDF left this server unchanged, not who signed it.",
                hint="Set PROSECUTION_DOCUMENT_SIGNER to the national signer's class.",
                id="prosecution.I001",
            )
        ]
    return []
