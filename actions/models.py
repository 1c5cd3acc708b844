"""Actions (CAPA): corrective, preventive and improvement work with an owner and a due date.

The workflow is open → in progress → done (a completion note is required) → verified by someone
other than the owner: effective closes it, not effective reopens it with the reason. Cancelling and
postponing need a reason. Every change goes through ``actions.services`` and bumps ``version``, so
two people acting at once cannot both win (optimistic concurrency, HTTP 409 for the loser).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.choices import ActionKind, ActionStatus, OriginType, Priority, UpdateKind
from core.models import GovernedModel


class Action(GovernedModel):
    """One action. ``origin_type``/``origin_id`` point at the record it comes from (or nothing)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices, default=ActionKind.CORRECTIVE)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    origin_type = models.CharField(_("origin"), max_length=100, choices=OriginType.choices, blank=True)
    origin_id = models.CharField(_("origin record"), max_length=64, blank=True)
    origin_label = models.CharField(
        _("origin title"),
        max_length=300,
        blank=True,
        help_text=_("What the origin was called when the action was opened."),
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="actions_owned",
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributors"),
        blank=True,
        related_name="actions_contributed",
    )
    due_on = models.DateField(_("due on"))
    first_due_on = models.DateField(_("first due date"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("done"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    postponements = models.PositiveSmallIntegerField(_("postponements"), default=0)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change (optimistic concurrency).")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="action_priority_valid"),
            models.CheckConstraint(condition=Q(kind__in=ActionKind.values), name="action_kind_valid"),
            models.CheckConstraint(
                condition=Q(origin_type="", origin_id="") | (~Q(origin_type="") & ~Q(origin_id="")),
                name="action_origin_complete",
            ),
            # Done and closed actions carry their completion: when, by whom, and the note.
            models.CheckConstraint(
                condition=~Q(status__in=["done", "closed"])
                | (Q(completed_at__isnull=False) & Q(completed_by__isnull=False) & ~Q(completion_note="")),
                name="action_done_has_completion",
            ),
            # A closed action was verified effective by someone other than its owner.
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(verified_at__isnull=False) & Q(closed_at__isnull=False)),
                name="action_closed_is_verified",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=F("owner")),
                name="action_not_verified_by_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="action_cancel_has_reason",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="action_version_positive"),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_idx"),
            models.Index(fields=["status", "due_on"], name="action_status_due_idx"),
            models.Index(fields=["origin_type", "origin_id"], name="action_origin_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"A-{self.pk}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("actions:action_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_active and self.due_on < timezone.localdate()

    @property
    def due_state(self) -> str:
        """The word for the status badge: overdue and due soon win over open / in progress."""
        if self.is_active:
            days = (self.due_on - timezone.localdate()).days
            if days < 0:
                return "overdue"
            if days <= 7:
                return "due_soon"
        return self.status


class ActionUpdate(GovernedModel):
    """One entry of an action's log: a comment or a step of the workflow. Append-only: services
    create rows and never change them, so the log is the action's story as it was told."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="updates")
    kind = models.CharField(_("kind"), max_length=30, choices=UpdateKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    old_due_on = models.DateField(null=True, blank=True)
    new_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UpdateKind.values), name="action_update_kind_valid"),
            # These entries are the proof of a reason: they cannot be empty.
            models.CheckConstraint(
                condition=~Q(kind__in=["comment", "completed", "verified_not_effective", "postponed", "cancelled"])
                | ~Q(text=""),
                name="action_update_reason_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="postponed") | (Q(old_due_on__isnull=False) & Q(new_due_on__isnull=False)),
                name="action_update_postpone_dates",
            ),
        ]
        indexes = [models.Index(fields=["action", "-at"], name="action_update_action_idx")]

    def __str__(self):
        return f"{self.action_id} {self.kind}"


class DuePolicy(GovernedModel):
    """How many days an automatically opened action gets, by priority. Administrators change it
    through ``services.due_policy_set``; a priority without a row uses ``DEFAULT_DUE_DAYS``."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days to act"))

    class Meta:
        ordering = ["days"]
        verbose_name = _("due-date policy")
        verbose_name_plural = _("due-date policies")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1) & Q(days__lte=730), name="due_policy_days_range"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="due_policy_priority_valid"),
        ]

    def __str__(self):
        return f"{self.priority}: {self.days}"
