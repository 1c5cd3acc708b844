"""Reminder policies, the reminder outbox (which is also the in-app inbox) and daily digests.

A ``Notification`` is one message to one person about one chased item: a reminder to the person
who must act, or an escalation to their manager. The scanner writes it, the sender e-mails it (or
the daily digest does), and the inbox shows it. The unique constraint on (item, recipient, kind,
sequence) is what makes a repeated or overlapping scan harmless. Sending a notification appends a
ledger entry whose target is the chased record: that entry, not this row, is the proof.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ChasedItem, GovernedModel
from reminders.choices import Anchor, ChaseKind, NotificationKind, NotificationStatus


class ReminderPolicy(GovernedModel):
    """When one kind of chased item is reminded, in one company, and when it escalates.

    Reminders fall on ``offsets`` days from the anchor (negative: before the due date), at
    ``send_hour`` in the server's time zone, then every ``repeat_every_days``. Once
    ``escalate_after`` reminders have gone unanswered the next one also tells the person's
    manager; ``escalate_again_after`` reminders later, the manager's manager. Zero means never.
    Without a row the defaults of ``reminders.policy.DEFAULTS`` apply.
    """

    company = models.ForeignKey(
        "organisation.Unit", verbose_name=_("company"), on_delete=models.PROTECT, related_name="reminder_policies"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=ChaseKind.choices)
    anchor = models.CharField(_("count days from"), max_length=10, choices=Anchor.choices, default=Anchor.DUE)
    offsets = ArrayField(models.SmallIntegerField(), verbose_name=_("reminder days"), size=10)
    repeat_every_days = models.PositiveSmallIntegerField(_("then every (days)"), default=7)
    escalate_after = models.PositiveSmallIntegerField(_("escalate to the manager after (reminders)"), default=2)
    escalate_again_after = models.PositiveSmallIntegerField(
        _("then to the manager's manager after (more reminders)"), default=4
    )
    send_hour = models.PositiveSmallIntegerField(_("hour of sending"), default=8)
    enabled = models.BooleanField(_("reminders on"), default=True)

    class Meta:
        ordering = ["company__path", "kind"]
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [
            models.UniqueConstraint(fields=["company", "kind"], name="reminder_policy_once_per_kind"),
            models.CheckConstraint(condition=Q(send_hour__lte=23), name="reminder_policy_hour_valid"),
            models.CheckConstraint(condition=Q(repeat_every_days__lte=365), name="reminder_policy_repeat_valid"),
        ]

    def __str__(self):
        return f"{self.company} · {self.get_kind_display()}"


class Notification(models.Model):
    """One reminder or escalation to one person: outbox row, inbox entry and delivery record.

    Operational state (not governed): its columns change as it is claimed and sent. The ledger
    entry written when it is sent is the record (``ledger_seq``).
    """

    # No single-column indexes on the keys: the unique constraint leads with the item and the inbox
    # index with the recipient, and every index costs the scanner on each row it writes (P5).
    item = models.ForeignKey(ChasedItem, on_delete=models.PROTECT, related_name="notifications", db_index=False)
    # The people are checked once per INSERT statement by a trigger (migration 0003) instead of one
    # foreign-key check per row: row checks lock the person's row for each of the thousands of rows a
    # scan writes, and doubled the scan's time. People are never deleted (they are deactivated).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    sequence = models.PositiveIntegerField()
    # For an escalation: the person who did not act.
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Waits for the recipient's daily digest instead of going out alone.
    digest = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    send_after = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Null while a sent row's ledger entry is still to be written (see ``reminders.sender``).
    ledger_seq = models.BigIntegerField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        constraints = [
            models.UniqueConstraint(fields=["item", "recipient", "kind", "sequence"], name="notification_once"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="notification_sequence_positive"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="notification_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["send_after"], condition=Q(status="pending"), name="notification_pending_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # Sent rows whose ledger entry is not written yet (a sender stopped between the two).
            models.Index(
                fields=["sent_at"], condition=Q(status="sent", ledger_seq__isnull=True), name="notification_unrecorded_idx"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.sequence} → {self.recipient_id} ({self.status})"


class Digest(models.Model):
    """The one daily e-mail a person who chose the digest received on a day."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")]

    def __str__(self):
        return f"digest {self.day} → {self.recipient_id}"
