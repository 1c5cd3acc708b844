from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    SAFETY = "safety", _("Health and safety")
    ENVIRONMENT = "environment", _("Environment")
    QUALITY = "quality", _("Quality")


class DelegationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")
