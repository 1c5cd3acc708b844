"""Risks: the company's risk matrix (versioned), risks per work unit, and their dated assessments.

Rules held here and in the database:
- A matrix version is never changed: editing the matrix creates version N+1 for the company; the
  current matrix is the highest version. Each assessment points at the version it was made with.
- An assessment is never changed either (a PostgreSQL trigger refuses UPDATE and DELETE on its
  table); a new assessment is made instead. The risk's current level is its latest assessment,
  kept as the denormalised ``Risk.current_assessment`` by ``risk_assess`` so the register is one query.
- Acceptance (``accepted_until``, ``accepted_by_decision_id``) is set only by ``risk_accept``,
  which the decisions app calls when a signed decision accepts the risk.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import GovernedModel
from risks.choices import RiskCategory, RiskLevel, RiskStatus

MIN_STEPS, MAX_STEPS = 3, 6


def _label(entry: dict) -> str:
    """The label of a scale step or threshold in the active language (English as the fallback)."""
    lang = (get_language() or "en")[:2]
    return entry.get(lang) or entry.get("en") or ""


class RiskMatrix(GovernedModel):
    """One version of a company's likelihood x severity matrix.

    ``likelihood_labels`` / ``severity_labels``: one ``{"en": ..., "fr": ...}`` per step, lowest
    first (3 to 6 steps). ``thresholds``: ascending ``{"level", "min_score", "en", "fr", "colour",
    "text_colour"}``; a score belongs to the last threshold whose ``min_score`` it reaches. Colours
    are chosen with their text colour so that the pair meets WCAG AA (checked by the service).
    """

    company = models.ForeignKey(
        "organisation.Unit", verbose_name=_("company"), on_delete=models.PROTECT, related_name="risk_matrices"
    )
    version = models.PositiveIntegerField(_("version"))
    likelihood_steps = models.PositiveSmallIntegerField(_("likelihood steps"))
    severity_steps = models.PositiveSmallIntegerField(_("severity steps"))
    likelihood_labels = models.JSONField(_("likelihood labels"))
    severity_labels = models.JSONField(_("severity labels"))
    thresholds = models.JSONField(_("thresholds"))
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["company", "-version"]
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        constraints = [
            models.UniqueConstraint(fields=["company", "version"], name="riskmatrix_one_version_number"),
            models.CheckConstraint(
                condition=Q(likelihood_steps__gte=MIN_STEPS, likelihood_steps__lte=MAX_STEPS)
                & Q(severity_steps__gte=MIN_STEPS, severity_steps__lte=MAX_STEPS),
                name="riskmatrix_steps_3_to_6",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="riskmatrix_version_positive"),
        ]

    def __str__(self):
        return f"{self.company} · v{self.version}"

    @property
    def max_score(self) -> int:
        return self.likelihood_steps * self.severity_steps

    def likelihood_label(self, value: int) -> str:
        return _label(self.likelihood_labels[value - 1])

    def severity_label(self, value: int) -> str:
        return _label(self.severity_labels[value - 1])

    def likelihood_choices(self) -> list[tuple[int, str]]:
        return [(i, f"{i} · {_label(e)}") for i, e in enumerate(self.likelihood_labels, start=1)]

    def severity_choices(self) -> list[tuple[int, str]]:
        return [(i, f"{i} · {_label(e)}") for i, e in enumerate(self.severity_labels, start=1)]

    def threshold_for(self, score: int) -> dict:
        found = self.thresholds[0]
        for threshold in self.thresholds:
            if score >= threshold["min_score"]:
                found = threshold
        return found

    def level_for(self, score: int) -> str:
        return self.threshold_for(score)["level"]

    def level_label(self, level: str) -> str:
        for threshold in self.thresholds:
            if threshold["level"] == level:
                return _label(threshold)
        return RiskLevel(level).label if level in RiskLevel.values else level

    def levels(self) -> list[dict]:
        """The thresholds with their label in the active language (for legends and filters)."""
        return [{**t, "label": _label(t)} for t in self.thresholds]


class Risk(GovernedModel):
    """A hazard in a work unit (or site), its owner, status and review date.

    ``current_assessment`` is the latest assessment, set only by ``risk_assess`` (with history).
    """

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="risks"
    )
    title = models.CharField(_("title"), max_length=200)
    hazard = models.CharField(_("hazard"), max_length=300)
    situation = models.TextField(_("dangerous situation"), blank=True)
    consequences = models.TextField(_("possible consequences"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=RiskCategory.choices, default=RiskCategory.SAFETY
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_risks",
    )
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    current_assessment = models.ForeignKey(
        "risks.Assessment",
        verbose_name=_("latest assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_until = models.DateField(_("accepted until"), null=True, blank=True)
    accepted_by_decision_id = models.PositiveBigIntegerField(_("accepting decision"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit__path", "title"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_until__isnull=True) | Q(accepted_by_decision_id__isnull=False),
                name="risk_acceptance_has_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="risk_unit_status_idx"),
            models.Index(fields=["next_review_on"], name="risk_next_review_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def reference(self) -> str:
        return f"R-{self.pk:05d}" if self.pk else ""

    @property
    def review_overdue(self) -> bool:
        return (
            self.next_review_on is not None
            and self.status != RiskStatus.CLOSED
            and self.next_review_on < timezone.localdate()
        )

    @property
    def acceptance_in_force(self) -> bool:
        return self.accepted_until is not None and self.accepted_until >= timezone.localdate()


class Assessment(GovernedModel):
    """A dated rating of a risk, before (inherent) and after (residual) the existing measures.

    Never edited (the database refuses UPDATE and DELETE): a new assessment supersedes it. Scores
    and levels are computed once with ``matrix`` and stored, so a later matrix cannot change them.
    """

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="assessments"
    )
    matrix = models.ForeignKey(
        RiskMatrix, verbose_name=_("matrix version"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="risk_assessments",
    )
    inherent_likelihood = models.PositiveSmallIntegerField(_("inherent likelihood"))
    inherent_severity = models.PositiveSmallIntegerField(_("inherent severity"))
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"))
    residual_severity = models.PositiveSmallIntegerField(_("residual severity"))
    inherent_score = models.PositiveSmallIntegerField(_("inherent score"))
    residual_score = models.PositiveSmallIntegerField(_("residual score"))
    inherent_level = models.CharField(_("inherent level"), max_length=20, choices=RiskLevel.choices)
    residual_level = models.CharField(_("residual level"), max_length=20, choices=RiskLevel.choices)
    existing_measures = models.TextField(_("existing measures considered"), blank=True)
    rationale = models.TextField(_("rationale"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(inherent_likelihood__gte=1, inherent_likelihood__lte=MAX_STEPS)
                & Q(inherent_severity__gte=1, inherent_severity__lte=MAX_STEPS)
                & Q(residual_likelihood__gte=1, residual_likelihood__lte=MAX_STEPS)
                & Q(residual_severity__gte=1, residual_severity__lte=MAX_STEPS),
                name="assessment_ratings_in_range",
            ),
            models.CheckConstraint(
                condition=Q(inherent_score=F("inherent_likelihood") * F("inherent_severity"))
                & Q(residual_score=F("residual_likelihood") * F("residual_severity")),
                name="assessment_score_is_product",
            ),
            models.CheckConstraint(
                condition=Q(residual_score__lte=F("inherent_score")),
                name="assessment_residual_not_above_inherent",
            ),
        ]
        indexes = [models.Index(fields=["risk", "-assessed_on", "-id"], name="assessment_risk_latest_idx")]

    def __str__(self):
        return f"{self.risk} · {self.assessed_on}"
