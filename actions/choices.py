from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective")
    PREVENTIVE = "preventive", _("Preventive")
    IMPROVEMENT = "improvement", _("Improvement")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, to verify")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which the owner still has work to do (reminders run, the action can be overdue).
ACTIVE_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# Statuses after which nothing changes any more.
FINAL_STATUSES = (ActionStatus.CLOSED, ActionStatus.CANCELLED)


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# Days from opening to the due date when no administrator has set the policy for a priority.
DEFAULT_DUE_DAYS = {Priority.HIGH: 7, Priority.MEDIUM: 30, Priority.LOW: 90}


class UpdateKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    COMMENT = "comment", _("Comment")
    STARTED = "started", _("Work started")
    COMPLETED = "completed", _("Marked as done")
    VERIFIED_EFFECTIVE = "verified_effective", _("Verified effective, closed")
    VERIFIED_NOT_EFFECTIVE = "verified_not_effective", _("Verified not effective, reopened")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
    REASSIGNED = "reassigned", _("Owner changed")
    EDITED = "edited", _("Details changed")


class OriginType(models.TextChoices):
    """Records an action can come from, as "app_label.model". The model need not be installed:
    the reference is kept as text so this app does not depend on the apps it links to."""

    RISK = "risks.risk", _("Risk")
    INSPECTION = "controls.inspection", _("Inspection")
    EVALUATION = "requirements.evaluation", _("Compliance evaluation")
    ALARM = "decisions.alarm", _("Alarm")
    DECISION = "decisions.decision", _("Decision")
