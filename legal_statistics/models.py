"""The register of legality checks kept by the Committee on Legal Statistics and Special Accounts
(Art. 18(4), 19(1)): a resolution sent for registration waits here until a registration officer
registers it, with a number unique in its year, or refuses it with reasons. A refused resolution
stays in the register; the prosecutor may correct it and send it again (a new entry)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prosecution.models import Office

_USER = settings.AUTH_USER_MODEL


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Awaiting registration")
    REGISTERED = "registered", _("Registered")
    REFUSED = "refused", _("Refused")
    # The check was cancelled while its resolution waited: nothing left to register.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Registration(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legality_check = models.ForeignKey(
        "supervision.Check",
        verbose_name=_("legality check"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    # The register that keeps the entry: the Committee (its officers, and those of departments
    # placed below it, see it through the one access policy).
    office = models.ForeignKey(
        Office, verbose_name=_("register"), on_delete=models.PROTECT, related_name="+"
    )
    # The appointing office, copied from the check: officers of a legal statistics department in
    # a regional office register the checks of that region (legal_statistics/services.py).
    check_office = models.ForeignKey(
        Office, verbose_name=_("appointing office"), on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the check: a classified resolution is seen only by cleared officers.
    is_classified = models.BooleanField(_("classified"), default=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RegistrationState.choices,
        default=RegistrationState.PENDING,
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    reference = models.CharField(
        _("registration number"), max_length=40, null=True, blank=True, unique=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(_("reasons for refusal"), blank=True)

    class Meta:
        verbose_name = _("registration of a check")
        verbose_name_plural = _("registrations of checks")
        ordering = ["sent_at", "pk"]
        constraints = [
            # One number per year, once (prosecution/lib/numbering.py gives them without gaps).
            models.UniqueConstraint(fields=["year", "number"], name="registration_number_per_year"),
            # A resolution waits in, or is entered into, the register once at a time: two officers
            # deciding it at once, or two sends, cannot make two registrations.
            models.UniqueConstraint(
                fields=["legality_check"],
                condition=Q(state__in=["pending", "registered"]),
                name="registration_one_live_per_check",
            ),
            models.CheckConstraint(
                condition=~Q(state="registered")
                | (
                    Q(number__isnull=False)
                    & Q(year__isnull=False)
                    & Q(reference__isnull=False)
                    & Q(decided_at__isnull=False)
                ),
                name="registration_registered_has_a_number",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="registration_refused_has_reasons",
            ),
        ]
        indexes = [
            # The queue of a register (legal_statistics/register.py register_queue): what waits,
            # oldest first.
            models.Index(
                fields=["office", "sent_at"],
                condition=Q(state="pending"),
                name="registration_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.legality_check_id} ({self.get_state_display()})"
