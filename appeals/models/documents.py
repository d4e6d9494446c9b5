"""Files of an appeal: what the applicant or staff attached, and the answer letter (a PDF built
by a worker). Files live in private storage under generated names (prosecution/files/uploads.py) and
are served only through the access policy."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appeals.models.appeal import Appeal


class Attachment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    from_applicant = models.BooleanField(_("from the applicant"), default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["appeal", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class AnswerLetter(models.Model):
    """The answer letter as a PDF (Art. 24(7)): one per decision; a decision withdrawn and made
    again makes a new version. Built by a worker to a temporary file, then moved."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="letters")
    version = models.PositiveSmallIntegerField()
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    stored_name = models.CharField(max_length=200, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer letter")
        verbose_name_plural = _("answer letters")
        ordering = ["appeal", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "version"], name="letter_version"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(stored_name="") & Q(built_at__isnull=False)),
                name="letter_ready_has_a_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal.reference} v{self.version}"


class OnlineFiling(models.Model):
    """An appeal filed on the public site, held until the citizen confirms their e-mail or phone
    with the one-time code; then it becomes an Appeal. Unconfirmed filings are purged."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    confirmation = models.ForeignKey(
        "prosecution.ConfirmationCode", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    appeal = models.OneToOneField(
        Appeal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="filing_created_idx")]

    def __str__(self) -> str:
        return str(self.uuid)
