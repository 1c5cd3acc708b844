"""Requirements: sources, requirements and their frozen versions, applicability per unit,
compliance evaluations, communications of one version to an audience, and acknowledgements.

The proof this app yields: *a requirement was communicated, to whom, and who confirmed it*.
Every row is governed (full history) and written only through ``requirements.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import GovernedModel
from organisation.choices import Role
from requirements.choices import (
    AckChannel,
    AckStatus,
    AudienceKind,
    CommunicationStatus,
    EvaluationResult,
    SourceKind,
    TextFormat,
)


class Source(GovernedModel):
    """Where requirements come from: a law, a regulation, a standard clause, a contract, an internal rule."""

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="requirement_sources",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    reference = models.CharField(
        _("reference"), max_length=200, help_text=_("e.g. Code du travail L4121-1, ISO 45001:2018 7.4")
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), blank=True, max_length=500)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [models.UniqueConstraint(fields=["unit", "reference"], name="source_reference_unique")]

    def __str__(self):
        return f"{self.reference} · {self.title}"


class Requirement(GovernedModel):
    """Something the organisation must do or respect, owned by someone, in a unit and below.

    Its text lives in versions; the current version is the latest approved one. It is reviewed
    every ``review_every_months`` months; compliance evaluations are due at the same frequency.
    """

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="requirements"
    )
    reference = models.CharField(_("reference"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_requirements",
    )
    review_every_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["unit", "reference"], name="requirement_reference_unique"),
            models.CheckConstraint(
                condition=Q(review_every_months__gte=1) & Q(review_every_months__lte=120),
                name="requirement_review_frequency_range",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.title}"


class RequirementVersion(GovernedModel):
    """One numbered text of a requirement. Approved by a QSE manager, then frozen for good.

    ``text_sha256`` is the SHA-256 of the UTF-8 text; an acknowledgement copies it, so what was
    acknowledged can be proven against the text shown.
    """

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    text_format = models.CharField(_("format"), max_length=10, choices=TextFormat.choices, default=TextFormat.MARKDOWN)
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    effective_on = models.DateField(_("effective from"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["requirement", "-number"]
        verbose_name = _("requirement version")
        verbose_name_plural = _("requirement versions")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["requirement"], condition=Q(approved_at__isnull=True), name="version_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="version_approval_complete",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="version_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.requirement.reference} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.approved_at is not None


class Applicability(GovernedModel):
    """Whether a requirement applies in a unit. Inherited by the units below unless they override it.

    Not applicable needs a reason (a court asks why a rule was not followed there).
    """

    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="applicability")
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="requirement_applicability",
    )
    applicable = models.BooleanField(_("applicable"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("applicability")
        verbose_name_plural = _("applicability")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "unit"], name="applicability_once_per_unit"),
            models.CheckConstraint(condition=Q(applicable=True) | ~Q(reason=""), name="not_applicable_needs_reason"),
        ]


class Evaluation(GovernedModel):
    """A dated compliance judgement of a requirement in a unit (ISO 14001/45001 9.1.2)."""

    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="evaluations")
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="requirement_evaluations",
    )
    version = models.ForeignKey(
        RequirementVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    result = models.CharField(_("result"), max_length=20, choices=EvaluationResult.choices)
    evaluated_on = models.DateField(_("evaluated on"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    next_due_on = models.DateField(_("next evaluation due"))

    class Meta:
        ordering = ["-evaluated_on", "-id"]
        verbose_name = _("compliance evaluation")
        verbose_name_plural = _("compliance evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_due_on__gt=models.F("evaluated_on")), name="evaluation_next_due_after"
            ),
        ]
        indexes = [models.Index(fields=["requirement", "unit", "-evaluated_on"], name="evaluation_latest_idx")]


class Communication(GovernedModel):
    """One approved version sent to an audience, with a message and a due date.

    Each person of the audience gets one acknowledgement request; people who join the audience
    while the communication is open get one too. Communicating a newer version of the same
    requirement supersedes the open ones: their requests stay as history but can no longer be answered.
    """

    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="communications")
    version = models.ForeignKey(
        RequirementVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="communications"
    )
    message = models.TextField(_("message"), blank=True)
    due_on = models.DateField(_("acknowledge by"))
    status = models.CharField(
        _("status"), max_length=20, choices=CommunicationStatus.choices, default=CommunicationStatus.OPEN
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)
    recipients_sha256 = models.CharField(max_length=64, blank=True)
    # Null until the invitation e-mails went out; the periodic task retries when the broker was down.
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_by__isnull=False),
                name="superseded_names_successor",
            ),
        ]

    def __str__(self):
        return f"{self.version} → {self.recipients_count}"


class AudienceEntry(GovernedModel):
    """One line of a communication's audience: a person, a whole unit, or a role within a unit."""

    communication = models.ForeignKey(Communication, on_delete=models.PROTECT, related_name="audience")
    kind = models.CharField(max_length=10, choices=AudienceKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("audience entry")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="person", person__isnull=False, unit__isnull=True)
                    | Q(kind="unit", unit__isnull=False, person__isnull=True, role="")
                    | (Q(kind="role", unit__isnull=False, person__isnull=True) & ~Q(role=""))
                ),
                name="audience_entry_shape",
            ),
        ]


class Acknowledgement(GovernedModel):
    """One person's answer to one communication, bound to that version and its text's SHA-256.

    Records the time, IP address, user agent and how the person came (logged in, e-mailed link,
    API). Declining and exempting need a reason. ``link_used_at`` makes the e-mailed link work once.
    """

    communication = models.ForeignKey(Communication, on_delete=models.PROTECT, related_name="acknowledgements")
    version = models.ForeignKey(RequirementVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The person's unit in the audience, for the counts by unit."),
    )
    status = models.CharField(_("status"), max_length=20, choices=AckStatus.choices, default=AckStatus.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=AckChannel.choices, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    link_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["communication", "person__last_name", "person__first_name"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["communication", "person"], name="one_request_per_person"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(answered_at__isnull=False), name="answered_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["declined", "exempted"]) | ~Q(reason=""),
                name="decline_exempt_need_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | ~Q(text_sha256=""), name="acknowledged_has_hash"
            ),
            models.CheckConstraint(
                condition=~Q(status="exempted") | Q(exempted_by__isnull=False), name="exempted_has_who"
            ),
        ]
        indexes = [
            models.Index(fields=["communication", "status"], name="ack_comm_status_idx"),
            models.Index(fields=["person", "status"], name="ack_person_status_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.version} · {self.status}"
