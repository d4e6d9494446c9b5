"""What guards the public doors (filing an appeal, booking a reception, looking up a status):
atomic rate counters and one-time confirmation codes (docs/security.md 9, 17)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """Hits of one key (an address, a hashed IIN ...) in one fixed window. Incremented by one
    atomic statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING,
    prosecution/public/ratelimit.py), never read-then-write, so concurrent requests cannot slip
    under a limit."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")
        ]
        # The purge (ratelimit.purge): windows that ended.
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window_idx")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.hits}"


class ConfirmationCode(models.Model):
    """A one-time code sent to an e-mail address or a phone to prove the citizen holds it. Only
    a keyed hash of the code is stored; a code works once, expires, and allows a few tries."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=40)
    address = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("confirmation code")
        verbose_name_plural = _("confirmation codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="code_expires_after_issue"
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="code_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.uuid}"
