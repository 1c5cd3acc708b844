"""Organisation: the unit tree, people, and their roles per unit (auditor grants included)."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import GovernedModel
from organisation.choices import Language, Role, UnitKind

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class User(AbstractUser):
    """A person. Deactivated, never deleted: the ledger and history point at them.

    ``manager`` is who an escalation goes to when this person does not act.
    """

    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.EN)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("Receives escalations when this person does not act."),
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    wants_digest = models.BooleanField(
        _("daily digest"), default=False, help_text=_("One daily e-mail instead of one per reminder.")
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(condition=~Q(manager=F("id")), name="user_not_own_manager"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Unit(GovernedModel):
    """A node of the organisation tree: company, site or work unit.

    ``path`` is the materialised list of ancestor ids ("/1/4/9/"), so "this unit and the units
    below" is one indexed prefix match.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=150)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=400, db_index=True, editable=False)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="company", parent__isnull=True) | Q(~Q(kind="company"), parent__isnull=False),
                name="unit_company_is_root",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_descendant_of(self, other: "Unit") -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk

    @property
    def company_id(self) -> int:
        return self.ancestor_ids()[0]


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Membership(GovernedModel):
    """A role held by a person on a unit (and so on the units below) between two dates.

    An auditor membership is an auditor *grant*: it must end, and it is read-only access.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("reason or note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "role", "user__last_name"]
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="membership_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(role="auditor") | Q(ends_on__isnull=False), name="auditor_grant_has_end_date"
            ),
        ]
        indexes = [models.Index(fields=["user", "role"], name="membership_user_role_idx")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
