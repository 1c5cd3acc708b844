from django.db import models
from django.utils.translation import gettext_lazy as _


class ControlKind(models.TextChoices):
    PREVENTIVE = "preventive", _("Preventive")
    DETECTIVE = "detective", _("Detective")
    PROTECTIVE = "protective", _("Protective")


class FrequencyUnit(models.TextChoices):
    DAY = "day", _("days")
    WEEK = "week", _("weeks")
    MONTH = "month", _("months")
    YEAR = "year", _("years")


class InspectionResult(models.TextChoices):
    PASS = "pass", _("Pass")
    PARTIAL = "partial", _("Partial")
    FAIL = "fail", _("Fail")


class Answer(models.TextChoices):
    OK = "ok", _("Compliant")
    NOT_OK = "not_ok", _("Not compliant")
    NOT_APPLICABLE = "na", _("Not applicable")


class DueState(models.TextChoices):
    """Where a control stands against its schedule, computed from dates (never stored)."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    PENDING = "pending", _("Scheduled")
    RETIRED = "inactive", _("Retired")


NEEDS_ACTION = frozenset({InspectionResult.FAIL, InspectionResult.PARTIAL})
