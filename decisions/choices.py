from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    RISK_ACCEPTANCE = "risk_acceptance", _("Risk acceptance")


class SignatureMeaning(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    REJECTION = "rejection", _("Rejection")
    RISK_ACCEPTANCE = "risk_acceptance", _("Risk acceptance")


class Priority(models.TextChoices):
    """The actions app's priorities (an action opened from a decision or an alarm carries one)."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class AlarmStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
