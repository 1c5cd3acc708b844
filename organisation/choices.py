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
