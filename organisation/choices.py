from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    COMPANY = "company", _("Company")
    SITE = "site", _("Site")
    WORK_UNIT = "work_unit", _("Work unit")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    QSE_MANAGER = "qse_manager", _("QSE manager")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")
    AUDITOR = "auditor", _("Auditor")


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")


# Roles given by "New person" and role grants; auditor access has its own screen and needs an end date.
ASSIGNABLE_ROLES = [choice for choice in Role.choices if choice[0] != Role.AUDITOR]
