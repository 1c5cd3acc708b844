"""Decisions with their electronic signatures, and alarms raised to management.

A decision's content is frozen once submitted; a change is a new revision (a new row pointing at
the one it replaces) whose signatures start again. A signature is bound to the SHA-256 of the
canonical rendering of the content signed (see ``decisions.signing``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import GovernedModel
from decisions.choices import AlarmStatus, DecisionKind, DecisionStatus, Priority, Severity, SignatureMeaning


class Decision(GovernedModel):
    """An approval, refusal or risk acceptance by the people with the authority to make it.

    All approvers must approve; one rejection rejects. A risk acceptance links one risk and has a
    review date, until which the risk shows as accepted.
    """

    unit = models.ForeignKey("organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="decisions")
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    subject = models.CharField(_("subject"), max_length=300)
    context = models.TextField(_("context"), blank=True)
    options = models.TextField(_("options considered"), blank=True)
    decision_text = models.TextField(_("the decision"))
    rationale = models.TextField(_("rationale"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices,
                              default=DecisionStatus.DRAFT, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="decisions_written")
    revision = models.PositiveIntegerField(_("revision"), default=1)
    previous = models.OneToOneField("self", verbose_name=_("replaces"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="next_revision")
    content_hash = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(kind="risk_acceptance") | Q(review_on__isnull=False),
                                   name="risk_acceptance_has_review_date"),
            models.CheckConstraint(condition=Q(status="draft") | ~Q(content_hash=""),
                                   name="decision_submitted_has_hash"),
            models.CheckConstraint(condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
                                   name="decision_withdrawn_has_reason"),
            models.CheckConstraint(condition=Q(revision=1, previous__isnull=True)
                                   | Q(revision__gt=1, previous__isnull=False),
                                   name="decision_revision_has_previous"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="decision_unit_status_idx")]

    def __str__(self):
        return self.subject if self.revision == 1 else f"{self.subject} (rev. {self.revision})"

    @property
    def is_frozen(self) -> bool:
        return self.status != DecisionStatus.DRAFT

    @property
    def signing_meaning(self) -> str:
        """What an approval of this decision means, in the signature record."""
        if self.kind == DecisionKind.RISK_ACCEPTANCE:
            return SignatureMeaning.RISK_ACCEPTANCE
        return SignatureMeaning.APPROVAL


class DecisionApprover(GovernedModel):
    """A person whose signature the decision needs. Fixed with the content at submission."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="approvers")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.PROTECT,
                                 related_name="decisions_to_approve")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "approver"], name="decision_approver_once")]

    def __str__(self):
        return f"{self.approver} → {self.decision_id}"


class Signature(GovernedModel):
    """An electronic signature: who, when, what it means, a comment, and the hash of what was signed.

    One per person and decision (a database constraint): signing twice is impossible even in a race.
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signer"), on_delete=models.PROTECT,
                               related_name="signatures")
    meaning = models.CharField(_("meaning"), max_length=20, choices=SignatureMeaning.choices)
    comment = models.TextField(_("comment"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    content_hash = models.CharField(_("SHA-256 of the content signed"), max_length=64)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["decision", "signer"], name="signature_once_per_signer"),
            models.CheckConstraint(condition=Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="signature_hash_sha256"),
        ]

    def __str__(self):
        return f"{self.signer} · {self.get_meaning_display()} · {self.signed_at:%Y-%m-%d %H:%M}"


class PlannedAction(GovernedModel):
    """An action the decision opens once approved (through the actions app, when installed)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="planned_actions")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField(_("due date"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    opened_action_id = models.PositiveBigIntegerField(_("action opened"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class Alarm(GovernedModel):
    """A formal warning to named managers about a situation: the QSE specialist's protection.

    Addressees acknowledge and answer; past their deadline without an answer, each is escalated to
    their own manager. Closing needs an answer, or the author withdraws it with a reason.
    """

    unit = models.ForeignKey("organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="alarms")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT,
                               related_name="alarms_raised")
    title = models.CharField(_("situation"), max_length=300)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    respond_by = models.DateTimeField(_("answer expected by"))
    status = models.CharField(_("status"), max_length=10, choices=AlarmStatus.choices, default=AlarmStatus.OPEN,
                              db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        constraints = [
            models.CheckConstraint(condition=Q(respond_by__gt=F("raised_at")), name="alarm_deadline_after_raise"),
            models.CheckConstraint(condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
                                   name="alarm_withdrawn_has_reason"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (AlarmStatus.OPEN, AlarmStatus.ANSWERED)


class AlarmAddressee(GovernedModel):
    """One person warned: received (when raised or escalated), read (acknowledged), answered."""

    alarm = models.ForeignKey(Alarm, on_delete=models.PROTECT, related_name="addressees")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("addressee"), on_delete=models.PROTECT,
                               related_name="alarms_received")
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    respond_by = models.DateTimeField(_("answer expected by"))
    acknowledged_at = models.DateTimeField(_("read"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answer_decision = models.ForeignKey(Decision, verbose_name=_("decision"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="alarm_answers")
    escalated_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("escalated from"))

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alarm", "person"], name="alarm_addressee_once"),
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                                   name="alarm_answer_has_text"),
        ]

    def __str__(self):
        return f"{self.person} · {self.alarm_id}"


class AlarmEscalation(GovernedModel):
    """The record that an addressee's deadline passed without an answer, and who was told instead.

    One per addressee (a database constraint), so running the escalation twice changes nothing.
    ``to_person`` is empty when the addressee has no manager: the silence is still recorded.
    """

    alarm = models.ForeignKey(Alarm, on_delete=models.PROTECT, related_name="escalations")
    from_addressee = models.OneToOneField(AlarmAddressee, on_delete=models.PROTECT, related_name="escalation")
    to_person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("escalated to"))
    to_addressee = models.ForeignKey(AlarmAddressee, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    escalated_at = models.DateTimeField(_("escalated at"), default=timezone.now)

    class Meta:
        ordering = ["escalated_at", "id"]

    def __str__(self):
        return f"{self.from_addressee_id} → {self.to_person_id}"


class RecordLink(GovernedModel):
    """A record linked to a decision or an alarm (a risk, a requirement, an action...).

    The target is named by ``app_label.model`` and id, checked against ``decisions.links.LINKABLE``
    when created; ``label`` keeps what the record was called then.
    """

    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="links")
    alarm = models.ForeignKey(Alarm, null=True, blank=True, on_delete=models.PROTECT, related_name="links")
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["target_type", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__isnull=True, alarm__isnull=False)
                                   | Q(decision__isnull=False, alarm__isnull=True), name="record_link_one_owner"),
            models.UniqueConstraint(fields=["decision", "target_type", "target_id"],
                                    condition=Q(decision__isnull=False), name="decision_link_once"),
            models.UniqueConstraint(fields=["alarm", "target_type", "target_id"],
                                    condition=Q(alarm__isnull=False), name="alarm_link_once"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="record_link_target_idx")]

    def __str__(self):
        return self.label
