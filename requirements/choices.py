from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    STANDARD = "standard", _("Standard clause")
    CONTRACT = "contract", _("Customer contract")
    INTERNAL = "internal", _("Internal rule")


class TextFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    PLAIN = "plain", _("Plain text")


class EvaluationResult(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    PARTLY = "partly", _("Partly compliant")
    NOT_COMPLIANT = "not_compliant", _("Not compliant")


class CommunicationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUPERSEDED = "superseded", _("Replaced by a newer version")
    CLOSED = "closed", _("Closed")


class AckStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DECLINED = "declined", _("Declined")
    EXEMPTED = "exempted", _("Exempted")


class AckChannel(models.TextChoices):
    LOGGED_IN = "logged_in", _("Logged in")
    EMAIL_LINK = "email_link", _("E-mailed link")
    API = "api", _("API")


class AudienceKind(models.TextChoices):
    PERSON = "person", _("Person")
    UNIT = "unit", _("Whole unit (and the units below)")
    ROLE = "role", _("Role within a unit")


# Evaluation results that call for an action (the actions app hooks in, see requirements.hooks).
NEEDS_ACTION = frozenset({EvaluationResult.PARTLY, EvaluationResult.NOT_COMPLIANT})
