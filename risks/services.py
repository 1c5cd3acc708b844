"""Every write to risks: matrix versions, risks, assessments and acceptance.

Each service runs in one transaction, checks the business rule, saves through ``governed_save``
(history row with the actor and reason) and appends one ledger entry with ``record_event``.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import chase
from core.exceptions import ConflictError, DomainError
from core.services import apply_changes, governed_save, record_event
from organisation.choices import Role, UnitKind
from organisation.models import Membership, Unit
from risks import matrix_spec
from risks.choices import RiskCategory, RiskStatus
from risks.models import Assessment, Risk, RiskMatrix

REVIEW_KIND = "risk_review"
DEFAULT_REVIEW_INTERVAL = datetime.timedelta(days=365)  # the DUERP is updated at least yearly (R4121-2)


def company_of(unit: Unit) -> Unit:
    return unit if unit.kind == UnitKind.COMPANY else Unit.objects.get(pk=unit.company_id)


# --- matrix -------------------------------------------------------------------------------------


@transaction.atomic
def risk_matrix_create(
    *, actor, company: Unit, likelihood_labels, severity_labels, thresholds, reason: str = ""
) -> RiskMatrix:
    """Record a new version of the company's matrix (N+1). Earlier versions, and the assessments
    made with them, stay exactly as they were."""
    if company.kind != UnitKind.COMPANY:
        raise DomainError(_("A risk matrix belongs to a company."), field="company")
    likelihood, severity, levels = matrix_spec.validate(likelihood_labels, severity_labels, thresholds)
    # Lock the company row so two editors cannot both create version N+1.
    Unit.objects.select_for_update().filter(pk=company.pk).first()
    last = RiskMatrix.objects.filter(company=company).aggregate(v=Max("version"))["v"] or 0
    matrix = RiskMatrix(
        company=company,
        version=last + 1,
        likelihood_steps=len(likelihood),
        severity_steps=len(severity),
        likelihood_labels=likelihood,
        severity_labels=severity,
        thresholds=levels,
        reason=reason[:300],
        created_by=actor,
    )
    governed_save(matrix, actor=actor, reason=reason or f"matrix version {matrix.version}")
    record_event(
        actor=actor,
        event_type="RISK_MATRIX_VERSIONED",
        target=matrix,
        saved=[matrix],
        payload={
            "company": company.pk,
            "version": matrix.version,
            "likelihood_steps": len(likelihood),
            "severity_steps": len(severity),
            "thresholds": levels,
            "reason": reason,
        },
    )
    return matrix


def risk_matrix_ensure(*, actor, company: Unit) -> RiskMatrix:
    """The company's current matrix; the default 4 x 4 is recorded as version 1 the first time."""
    current = RiskMatrix.objects.filter(company=company).order_by("-version").first()
    if current is not None:
        return current
    return risk_matrix_create(
        actor=actor,
        company=company,
        likelihood_labels=matrix_spec.DEFAULT_LIKELIHOOD,
        severity_labels=matrix_spec.DEFAULT_SEVERITY,
        thresholds=matrix_spec.DEFAULT_THRESHOLDS,
        reason=_("Default 4 x 4 matrix"),
    )


# --- risks --------------------------------------------------------------------------------------


def _check_owner(owner, unit: Unit) -> None:
    """The owner must be active and hold a role (not an auditor grant) on the unit or above it, so
    they can see the risk they answer for."""
    if owner is None or not owner.is_active:
        raise DomainError(_("Choose an active person as the owner."), field="owner")
    ancestors = unit.ancestor_ids()
    held = Membership.objects.active().filter(user=owner, unit_id__in=ancestors).exclude(role=Role.AUDITOR)
    if not held.exists():
        raise DomainError(
            _("%(name)s holds no role on %(unit)s or above it, so cannot own this risk.")
            % {"name": owner, "unit": unit},
            field="owner",
        )


def _check_unit(unit: Unit) -> None:
    if unit.kind == UnitKind.COMPANY:
        raise DomainError(_("Record a risk on a site or a work unit, where the hazard is."), field="unit")
    if not unit.is_active:
        raise DomainError(_("This unit is no longer active."), field="unit")


def _review_url(risk: Risk) -> str:
    return reverse("risks:risk_detail", args=[risk.pk])


def _chase_review(risk: Risk) -> None:
    """The owner is reminded of the next review; a closed risk is no longer chased."""
    chase.close(target=risk, kind=REVIEW_KIND)
    if risk.status != RiskStatus.CLOSED and risk.next_review_on is not None:
        chase.open(
            kind=REVIEW_KIND,
            target=risk,
            recipient=risk.owner,
            due_at=risk.next_review_on,
            title=_("Review the risk: %(title)s") % {"title": risk.title},
            url=_review_url(risk),
            unit_path=risk.unit.path,
        )


@transaction.atomic
def risk_create(
    *,
    actor,
    unit: Unit,
    title: str,
    hazard: str,
    owner,
    category: str = RiskCategory.SAFETY,
    situation: str = "",
    consequences: str = "",
    next_review_on: datetime.date | None = None,
) -> Risk:
    """Record a hazard of a site or work unit with its owner. The company's matrix is made sure of,
    so the risk can be assessed straight away."""
    _check_unit(unit)
    _check_owner(owner, unit)
    if not title.strip() or not hazard.strip():
        raise DomainError(
            _("Give the risk a title and name the hazard."), field="title" if not title.strip() else "hazard"
        )
    if category not in RiskCategory.values:
        raise DomainError(_("Unknown category."), field="category")
    risk_matrix_ensure(actor=actor, company=company_of(unit))
    risk = Risk(
        unit=unit,
        title=title.strip(),
        hazard=hazard.strip(),
        situation=situation,
        consequences=consequences,
        category=category,
        owner=owner,
        next_review_on=next_review_on,
        created_by=actor,
    )
    governed_save(risk, actor=actor, reason="risk recorded")
    record_event(
        actor=actor,
        event_type="RISK_CREATED",
        target=risk,
        saved=[risk],
        payload={
            "title": risk.title,
            "hazard": risk.hazard,
            "category": category,
            "owner": owner.pk,
            "unit": unit.pk,
            "next_review_on": next_review_on,
        },
    )
    _chase_review(risk)
    return risk


EDITABLE = ("title", "hazard", "situation", "consequences", "category", "owner", "next_review_on", "status")


@transaction.atomic
def risk_update(*, actor, risk: Risk, reason: str = "", **data) -> Risk:
    """Change a risk's description, owner, review date or status.

    "Accepted" is set only by ``risk_accept`` (a signed decision); closing a risk needs a reason.
    """
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    risk = Risk.objects.select_for_update(of=("self",)).select_related("unit").get(pk=risk.pk)
    status = data.get("status", risk.status)
    if status not in RiskStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    if status == RiskStatus.ACCEPTED and risk.status != RiskStatus.ACCEPTED:
        raise DomainError(_("A risk is accepted only by a signed decision."), field="status")
    if status == RiskStatus.CLOSED and risk.status != RiskStatus.CLOSED and not reason.strip():
        raise DomainError(_("Say why the risk is closed."), field="reason")
    if "owner" in data and data["owner"] != risk.owner:
        _check_owner(data["owner"], risk.unit)
    for name in ("title", "hazard"):
        if name in data and not str(data[name]).strip():
            raise DomainError(_("This field cannot be empty."), field=name)
    if "category" in data and data["category"] not in RiskCategory.values:
        raise DomainError(_("Unknown category."), field="category")
    changes = apply_changes(risk, data)
    if not changes:
        return risk
    governed_save(risk, actor=actor, reason=reason or "risk changed")
    record_event(
        actor=actor,
        event_type="RISK_CLOSED"
        if changes.get("status", [None, None])[1] == RiskStatus.CLOSED
        else "RISK_UPDATED",
        target=risk,
        saved=[risk],
        payload={"changes": changes, "reason": reason},
    )
    if {"owner", "next_review_on", "status", "title"} & set(changes):
        _chase_review(risk)
    return risk


# --- assessments --------------------------------------------------------------------------------


def _check_rating(value, steps: int, field: str, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Choose a %(what)s on the matrix.") % {"what": what}, field=field) from None
    if not 1 <= number <= steps or str(value).strip() != str(number):
        raise DomainError(
            _("%(value)s is not on the matrix: the %(what)s goes from 1 to %(max)d.")
            % {"value": value, "what": what, "max": steps},
            field=field,
        )
    return number


@transaction.atomic
def risk_assess(
    *,
    actor,
    risk: Risk,
    assessed_on: datetime.date,
    inherent_likelihood,
    inherent_severity,
    residual_likelihood,
    residual_severity,
    rationale: str,
    existing_measures: str = "",
    assessor=None,
    next_review_on: datetime.date | None = None,
    matrix_version: int | None = None,
) -> Assessment:
    """Record a dated assessment with the company's current matrix and make it the risk's current one.

    Rules: ratings are steps of the matrix; the date is not in the future; the residual score (after
    the existing measures) is not above the inherent score; a rationale is given. The assessment is
    never edited afterwards. It becomes the current one unless it is dated before the current one
    (a late transcription of an older paper assessment). The next review defaults to one year later.
    ``matrix_version``, when given (the form shows the version it was drawn with), must still be the
    current version: if the matrix changed meanwhile the caller gets a 409, not a silent re-scale.
    """
    risk = (
        Risk.objects.select_for_update(of=("self",))
        .select_related("unit", "owner", "current_assessment")
        .get(pk=risk.pk)
    )
    if risk.status == RiskStatus.CLOSED:
        raise DomainError(_("This risk is closed; reopen it before assessing it."))
    matrix = risk_matrix_ensure(actor=actor, company=company_of(risk.unit))
    if matrix_version is not None and int(matrix_version) != matrix.version:
        raise ConflictError(
            _(
                "The risk matrix changed (now version %(v)d) while you were assessing. Check the "
                "ratings against the new matrix."
            )
            % {"v": matrix.version}
        )
    if assessed_on is None:
        raise DomainError(_("Give the date of the assessment."), field="assessed_on")
    if assessed_on > timezone.localdate():
        raise DomainError(_("An assessment cannot be dated in the future."), field="assessed_on")
    il = _check_rating(inherent_likelihood, matrix.likelihood_steps, "inherent_likelihood", _("likelihood"))
    is_ = _check_rating(inherent_severity, matrix.severity_steps, "inherent_severity", _("severity"))
    rl = _check_rating(residual_likelihood, matrix.likelihood_steps, "residual_likelihood", _("likelihood"))
    rs = _check_rating(residual_severity, matrix.severity_steps, "residual_severity", _("severity"))
    if rl * rs > il * is_:
        raise DomainError(
            _(
                "The residual score (%(r)d) is above the inherent score (%(i)d): measures do not "
                "make a risk worse. Check the ratings."
            )
            % {"r": rl * rs, "i": il * is_},
            field="residual_severity",
        )
    if not (rationale or "").strip():
        raise DomainError(
            _("Explain the ratings: the rationale is what an inspector will read."), field="rationale"
        )
    assessor = assessor or actor
    if next_review_on is not None and next_review_on <= assessed_on:
        raise DomainError(_("The next review must come after the assessment."), field="next_review_on")
    assessment = Assessment(
        risk=risk,
        matrix=matrix,
        assessed_on=assessed_on,
        assessor=assessor,
        inherent_likelihood=il,
        inherent_severity=is_,
        residual_likelihood=rl,
        residual_severity=rs,
        inherent_score=il * is_,
        residual_score=rl * rs,
        inherent_level=matrix.level_for(il * is_),
        residual_level=matrix.level_for(rl * rs),
        existing_measures=existing_measures.strip(),
        rationale=rationale.strip(),
        recorded_by=actor,
    )
    governed_save(assessment, actor=actor, reason="risk assessed")
    saved = [assessment]
    current = risk.current_assessment
    becomes_current = current is None or assessed_on >= current.assessed_on
    changes = {}
    if becomes_current:
        review = next_review_on or assessed_on + DEFAULT_REVIEW_INTERVAL
        changes = apply_changes(risk, {"current_assessment": assessment, "next_review_on": review})
        governed_save(risk, actor=actor, reason="risk assessed")
        saved.append(risk)
    record_event(
        actor=actor,
        event_type="RISK_ASSESSED",
        target=risk,
        saved=saved,
        payload={
            "assessment": assessment.pk,
            "matrix": matrix.pk,
            "matrix_version": matrix.version,
            "assessed_on": assessed_on,
            "assessor": assessor.pk,
            "inherent": [il, is_, il * is_, assessment.inherent_level],
            "residual": [rl, rs, rl * rs, assessment.residual_level],
            "current": becomes_current,
            "changes": changes,
        },
    )
    if becomes_current:
        _chase_review(risk)
    return assessment


# --- acceptance (called by the decisions app) ------------------------------------------------------


@transaction.atomic
def risk_accept(*, actor, risk: Risk, decision, until: datetime.date) -> Risk:
    """Record that a signed decision accepts the risk until a date.

    The decisions app calls this once the decision is signed; it owns the signature and the
    authority check. Here: the risk must have been assessed (one accepts a known level), the date
    must be in the future, and the decision must be a saved record.
    """
    if decision is None or getattr(decision, "pk", None) is None:
        raise DomainError(_("A risk is accepted by a recorded decision."), field="decision")
    risk = Risk.objects.select_for_update(of=("self",)).select_related("unit", "owner").get(pk=risk.pk)
    if risk.status == RiskStatus.CLOSED:
        raise DomainError(_("A closed risk cannot be accepted."))
    if risk.current_assessment_id is None:
        raise DomainError(_("Assess the risk before accepting it."))
    if until is None or until <= timezone.localdate():
        raise DomainError(_("Acceptance must run until a future date."), field="until")
    changes = apply_changes(
        risk, {"accepted_until": until, "accepted_by_decision_id": decision.pk, "status": RiskStatus.ACCEPTED}
    )
    governed_save(risk, actor=actor, reason="risk accepted by decision")
    record_event(
        actor=actor,
        event_type="RISK_ACCEPTED",
        target=risk,
        saved=[risk],
        payload={
            "decision": decision.pk,
            "decision_type": f"{decision._meta.app_label}.{decision._meta.model_name}",
            "until": until,
            "changes": changes,
            "residual_level": risk.current_assessment.residual_level,
        },
    )
    return risk
