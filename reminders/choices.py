from django.db import models
from django.utils.translation import gettext_lazy as _


class ChaseKind(models.TextChoices):
    """The kinds of chased item the apps open (``core.chase.open(kind=...)``)."""

    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of a requirement")
    ACTION = "action", _("Action")
    INSPECTION = "inspection", _("Inspection")
    REVIEW = "review", _("Review")
    ALARM = "alarm", _("Alarm answer")
    DELEGATION = "delegation", _("Delegation to accept")
    EVIDENCE = "evidence", _("Expiring evidence")


class Anchor(models.TextChoices):
    """What the reminder days count from."""

    DUE = "due", _("the due date")
    OPENED = "opened", _("the day it was asked")


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent: done in the meantime")
