"""The shared kernel's tables: the ledger, personal API tokens and the auditor access log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class GovernedModel(models.Model):
    """Base of every governed record: full row history, written only through services.

    Services save through ``core.services.governed_save`` which sets the history user and the
    change reason explicitly, so writes from tasks and commands are attributed too.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class LedgerEntry(models.Model):
    """One business event in the hash chain. PostgreSQL refuses UPDATE, DELETE and TRUNCATE here.

    ``hash`` = SHA-256(prev_hash + canonical JSON of the entry), see ``core.ledger``.
    """

    seq = models.BigIntegerField(primary_key=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    event_type = models.CharField(_("event"), max_length=64, db_index=True)
    target_type = models.CharField(max_length=100)  # "app_label.model"
    target_id = models.CharField(max_length=64)
    unit_path = models.CharField(max_length=400, blank=True, db_index=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["target_type", "target_id", "seq"], name="ledger_target_idx")]

    def __str__(self):
        return f"#{self.seq} {self.event_type} {self.target_type}:{self.target_id}"


class LedgerHead(models.Model):
    """A single row locked FOR UPDATE to serialise appends to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledgerhead_single_row")]

    def __str__(self):
        return f"ledger head #{self.last_seq}"


class PersonalToken(models.Model):
    """An API token made on the profile page. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AccessLog(models.Model):
    """Every page an auditor views and every file anyone downloads. Append-only like the ledger."""

    class Kind(models.TextChoices):
        VIEW = "view", _("page viewed")
        DOWNLOAD = "download", _("file downloaded")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    path = models.CharField(max_length=500)
    method = models.CharField(max_length=8, default="GET")
    status_code = models.PositiveSmallIntegerField(default=200)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.path}"


class ChasedItem(models.Model):
    """Something a person must do by a date, which the reminders chase (one row per item and person).

    Services open it when the duty arises and close it when it is done; the reminders scanner reads
    ``next_reminder_at`` (a column, never a long ETA), so a scan after an outage catches up with one
    reminder, not one per missed day. Operational state, not proof: the reminders sent are the proof.
    """

    kind = models.CharField(max_length=40, db_index=True)  # e.g. "acknowledgement", "action", "inspection"
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chased_items")
    unit_path = models.CharField(max_length=400, blank=True)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500, help_text="Path of the page where the person acts.")
    due_at = models.DateTimeField()
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(default=0)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id", "recipient"],
                condition=models.Q(closed_at__isnull=True),
                name="chased_item_open_once",
            )
        ]
        indexes = [
            models.Index(fields=["next_reminder_at"], condition=models.Q(closed_at__isnull=True),
                         name="chased_item_due_idx"),
            models.Index(fields=["target_type", "target_id"], name="chased_item_target_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_type}:{self.target_id} → {self.recipient_id}"
