"""Controls (measures that reduce a risk or meet a requirement) and inspections (dated checks).

An inspection is a record of proof: once recorded it is never edited (PostgreSQL refuses UPDATE and
DELETE on its table, see migration 0002). A correction is a new inspection pointing at the one it
corrects; the corrected one stays, and reports read the latest of the chain.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from controls import schedule
from controls.choices import Answer, ControlKind, DueState, FrequencyUnit, InspectionResult
from core.models import GovernedModel


class ControlQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def overdue(self, today=None):
        """Active controls whose due date has passed without an inspection (computed from dates)."""
        return self.active().filter(next_due_on__lt=today or timezone.localdate())

    def due_within(self, days: int, today=None):
        today = today or timezone.localdate()
        return self.active().filter(next_due_on__gte=today,
                                    next_due_on__lte=today + datetime.timedelta(days=days))


class Control(GovernedModel):
    """A measure with a periodic check: an inspection is due every N days, weeks, months or years.

    ``next_due_on`` is the date of the next inspection due; it is moved only by recording an
    inspection (``inspection_record``) or by a reasoned reschedule. Whether the control is overdue
    is never stored: it is ``next_due_on < today``, so it is right the day after an outage.
    ``in_service_since`` is when the measure was put in place: no inspection can predate it.
    """

    unit = models.ForeignKey("organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="controls")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="owned_controls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ControlKind.choices)
    frequency_count = models.PositiveIntegerField(_("every"), default=1)
    frequency_unit = models.CharField(_("frequency unit"), max_length=10, choices=FrequencyUnit.choices,
                                      default=FrequencyUnit.MONTH)
    in_service_since = models.DateField(_("in service since"), default=timezone.localdate)
    next_due_on = models.DateField(_("next inspection due on"))
    is_active = models.BooleanField(_("active"), default=True)
    retired_reason = models.CharField(_("reason for retiring"), max_length=300, blank=True)
    # Links are not row-history fields; control_set_links writes each change to the ledger.
    risks = models.ManyToManyField("risks.Risk", verbose_name=_("risks covered"), blank=True,
                                   related_name="controls")
    requirements = models.ManyToManyField("requirements.Requirement", verbose_name=_("requirements covered"),
                                          blank=True, related_name="controls")

    objects = ControlQuerySet.as_manager()

    class Meta:
        ordering = ["next_due_on", "title"]
        verbose_name = _("control")
        verbose_name_plural = _("controls")
        constraints = [
            models.CheckConstraint(condition=Q(frequency_count__gte=1), name="control_frequency_at_least_one"),
            models.CheckConstraint(condition=Q(next_due_on__gte=F("in_service_since")),
                                   name="control_due_after_service_start"),
        ]
        indexes = [
            models.Index(fields=["unit", "next_due_on"], condition=Q(is_active=True), name="control_due_idx"),
            models.Index(fields=["owner", "next_due_on"], condition=Q(is_active=True), name="control_owner_due_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("controls:control_detail", args=[self.pk])

    def due_state(self, today=None) -> str:
        today = today or timezone.localdate()
        if not self.is_active:
            return DueState.RETIRED
        if self.next_due_on < today:
            return DueState.OVERDUE
        if (self.next_due_on - today).days <= schedule.DUE_SOON_DAYS:
            return DueState.DUE_SOON
        return DueState.PENDING

    def get_due_state_display(self):
        return DueState(self.due_state()).label

    @property
    def frequency_label(self) -> str:
        n = self.frequency_count
        words = {
            FrequencyUnit.DAY: ngettext("every day", "every %(n)s days", n),
            FrequencyUnit.WEEK: ngettext("every week", "every %(n)s weeks", n),
            FrequencyUnit.MONTH: ngettext("every month", "every %(n)s months", n),
            FrequencyUnit.YEAR: ngettext("every year", "every %(n)s years", n),
        }
        return words[self.frequency_unit] % {"n": n}


class ChecklistItem(GovernedModel):
    """One ordered point of a control's checklist. Removed items are kept (inactive): past
    inspections answered them, and their answers keep the text as it was asked."""

    control = models.ForeignKey(Control, on_delete=models.PROTECT, related_name="checklist_items")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("item"), max_length=300)
    required = models.BooleanField(_("answer required"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["control", "position"]
        verbose_name = _("checklist item")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="checklist_item_has_text"),
        ]

    def __str__(self):
        return self.text


class InspectionQuerySet(models.QuerySet):
    def effective(self):
        """Inspections not replaced by a correction: the ones reports count."""
        return self.filter(correction__isnull=True)


class Inspection(GovernedModel):
    """One dated performance of a control's check, never edited.

    ``due_on`` is the scheduled date this inspection fulfils and ``next_due_on`` the one it set
    (see ``controls.services.inspection_record`` for the rule). Done on time means performed on or
    before ``due_on``. ``unit`` is the control's unit when it was recorded, so reports and scoping
    stay right if the control later moves.
    """

    control = models.ForeignKey(Control, verbose_name=_("control"), on_delete=models.PROTECT,
                                related_name="inspections")
    unit = models.ForeignKey("organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="+")
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("performed by"),
                                     on_delete=models.PROTECT, related_name="inspections")
    performed_at = models.DateTimeField(_("performed at"))
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    findings = models.TextField(_("findings"), blank=True)
    due_on = models.DateField(_("due on"))
    next_due_on = models.DateField(_("next due on"), null=True, blank=True)
    corrects = models.OneToOneField("self", verbose_name=_("corrects"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="correction")
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_at", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                                   name="inspection_correction_has_reason"),
            models.CheckConstraint(condition=Q(next_due_on__isnull=True) | Q(next_due_on__gt=F("due_on")),
                                   name="inspection_next_due_after_due"),
        ]
        indexes = [
            models.Index(fields=["unit", "due_on"], name="inspection_unit_due_idx"),
            models.Index(fields=["control", "-performed_at"], name="inspection_control_idx"),
        ]

    def __str__(self):
        return f"{self.control} · {self.performed_at:%Y-%m-%d} · {self.get_result_display()}"

    def get_absolute_url(self):
        return reverse("controls:inspection_detail", args=[self.pk])

    @property
    def performed_on(self):
        return timezone.localdate(self.performed_at)

    @property
    def on_time(self) -> bool:
        return self.performed_on <= self.due_on


class InspectionAnswer(GovernedModel):
    """The answer to one checklist item, with the item's text and requirement as they were asked."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    item_text = models.CharField(max_length=300)
    required = models.BooleanField()
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_once_per_item"),
            models.CheckConstraint(condition=Q(required=False) | ~Q(answer=""), name="answer_required_given"),
        ]

    def __str__(self):
        return f"{self.item_text}: {self.answer}"


class MissedInspection(GovernedModel):
    """A scheduled date that passed without an inspection, recorded when it stopped being the
    next one due: an inspection performed after a later date fell due, a reschedule, or the
    control's retirement. Still-open overdue dates are computed from ``Control.next_due_on``."""

    control = models.ForeignKey(Control, on_delete=models.PROTECT, related_name="missed")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    detected_by = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="missed_before")
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["control", "due_on"]
        constraints = [models.UniqueConstraint(fields=["control", "due_on"], name="missed_once_per_date")]
        indexes = [models.Index(fields=["unit", "due_on"], name="missed_unit_due_idx")]

    def __str__(self):
        return f"{self.control} · {self.due_on} missed"
