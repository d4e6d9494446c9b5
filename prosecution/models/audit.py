"""The audit log (docs/security.md 24): who did what, when, from where, with what outcome.

Append-only and hash-chained: each record carries the hash of the one before it and its own hash
over a canonical JSON of its fields (prosecution/audit/chain.py), so that a record changed or
removed afterwards breaks the chain at that record (`manage.py verify_audit_log`). The database
refuses UPDATE and DELETE on the table (triggers, migration 0010).

A record is first written unchained, in the transaction of the change it records
(`PendingAuditRecord`), and chained just after that transaction commits (prosecution/audit/
chain.py: `seal`): a change rolled back, or a savepoint, takes its records with it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditOutcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Did not succeed")


class AuditEntry(models.Model):
    """What a record says, chained or not yet."""

    at = models.DateTimeField(_("time"), editable=False)
    # No foreign key: the record outlives the account, and a deleted user must not be able to
    # change (SET NULL) a record of the chain. The username is copied for the same reason.
    actor_id = models.PositiveBigIntegerField(_("user id"), null=True, blank=True, editable=False)
    actor_name = models.CharField(_("user"), max_length=150, blank=True, editable=False)
    address = models.CharField(_("network address"), max_length=45, blank=True, editable=False)
    request_id = models.CharField(_("request"), max_length=64, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=64, editable=False)
    # The content type's natural key ("appeals.appeal"), not its id: ids change when a database
    # is rebuilt from a dump, and the hash must not.
    target_type = models.CharField(_("record type"), max_length=100, blank=True, editable=False)
    target_id = models.CharField(_("record id"), max_length=64, blank=True, editable=False)
    target_label = models.CharField(_("record"), max_length=200, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AuditOutcome.choices, editable=False
    )
    details = models.JSONField(_("details"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


# The fields an entry hands on from the pending table to the chain.
ENTRY_FIELDS = tuple(field.name for field in AuditEntry._meta.fields)


class AuditRecord(AuditEntry):
    # Gapless: the next number is the last one plus one, taken under the chain's lock; a
    # rolled-back change takes its number with it. Unique, so that even without the lock two
    # transactions could never fork the chain: the second INSERT would fail.
    seq = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")
        ordering = ["-seq"]
        default_permissions = ("view",)
        indexes = [
            # The log's page: one person's actions, one action, newest first.
            models.Index(fields=["actor_id", "-seq"], name="audit_actor_idx"),
            models.Index(fields=["action", "-seq"], name="audit_action_idx"),
            # The admin's period filter; and the pending table's trigger (migration 0011), which
            # lets a pending record go only once the chain holds its copy.
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class PendingAuditRecord(AuditEntry):
    """A record written in its change's transaction and not yet chained: it exists only if that
    transaction committed, and lives until the sealer moves it into the chain, a moment after the
    commit (or the seal task, if the process died in that moment). The database refuses UPDATE,
    and DELETE of a record whose copy the chain does not hold (triggers, migration 0011)."""

    class Meta:
        verbose_name = _("audit record not yet chained")
        verbose_name_plural = _("audit records not yet chained")
        # The sealer reads them in the order they were written (the primary key).
        ordering = ["pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%Y-%m-%d %H:%M:%S})"
