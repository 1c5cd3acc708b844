from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskCategory(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    ENVIRONMENT = "environment", _("Environment")
    QUALITY = "quality", _("Quality")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TREATED = "treated", _("Treated")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    """The level codes a matrix's thresholds may use, lowest first (a matrix uses 2 to 4 of them)."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


LEVEL_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL]
