"""Every write to requirements: sources, requirements, versions, applicability, evaluations.

Communications and acknowledgements live in ``requirements.communication`` and are re-exported
here, so callers import every service from ``requirements.services``.
"""

from __future__ import annotations

import calendar
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.exceptions import ConflictError, DomainError
from core.services import apply_changes, governed_save, record_event
from requirements import hooks
from requirements.choices import NEEDS_ACTION, EvaluationResult, TextFormat
from requirements.models import Applicability, Evaluation, Requirement, RequirementVersion, Source
from requirements.text import normalise_text, text_sha256


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _in_scope(unit, scope) -> None:
    if not unit.path.startswith(scope.path):
        raise DomainError(
            _("%(unit)s is outside the requirement's unit %(scope)s.") % {"unit": unit.name, "scope": scope.name},
            field="unit",
        )


# --- Sources ---------------------------------------------------------------------------------------


@transaction.atomic
def source_create(*, actor, unit, kind: str, reference: str, title: str, url: str = "") -> Source:
    """A source of requirements, kept in a unit (usually the company) and seen from it and below."""
    reference, title = (reference or "").strip(), (title or "").strip()
    if not reference:
        raise DomainError(_("Give the source's reference."), field="reference")
    if not title:
        raise DomainError(_("Give the source's title."), field="title")
    if Source.objects.filter(unit=unit, reference__iexact=reference).exists():
        raise DomainError(
            _("This unit already has a source with the reference %(ref)s.") % {"ref": reference},
            field="reference",
        )
    source = Source(unit=unit, kind=kind, reference=reference, title=title, url=url or "")
    governed_save(source, actor=actor, reason="source created")
    record_event(
        actor=actor,
        event_type="REQUIREMENT_SOURCE_CREATED",
        target=source,
        payload={"kind": kind, "reference": reference, "title": title, "url": url},
        saved=[source],
    )
    return source


@transaction.atomic
def source_update(*, actor, source: Source, **data) -> Source:
    source = Source.objects.select_for_update().get(pk=source.pk)
    ref = data.get("reference")
    if (
        ref is not None
        and Source.objects.filter(unit=source.unit, reference__iexact=ref).exclude(pk=source.pk).exists()
    ):
        raise DomainError(
            _("This unit already has a source with the reference %(ref)s.") % {"ref": ref}, field="reference"
        )
    changes = apply_changes(source, data)
    if not changes:
        return source
    governed_save(source, actor=actor, reason="source changed")
    record_event(
        actor=actor,
        event_type="REQUIREMENT_SOURCE_UPDATED",
        target=source,
        payload={"changes": changes},
        saved=[source],
    )
    return source


# --- Requirements and versions --------------------------------------------------------------------


def _check_text(text: str) -> str:
    text = normalise_text(text)
    if not text:
        raise DomainError(_("The text of the requirement is empty."), field="text")
    return text


@transaction.atomic
def requirement_create(
    *,
    actor,
    unit,
    reference: str,
    title: str,
    owner,
    text: str,
    source: Source | None = None,
    text_format: str = TextFormat.MARKDOWN,
    effective_on=None,
    review_every_months: int = 12,
    next_review_on=None,
) -> Requirement:
    """Create a requirement with its version 1 as a draft (approved later by a QSE manager)."""
    reference, title = (reference or "").strip(), (title or "").strip()
    if not reference:
        raise DomainError(_("Give the requirement's reference."), field="reference")
    if not title:
        raise DomainError(_("Give the requirement's title."), field="title")
    if Requirement.objects.filter(unit=unit, reference__iexact=reference).exists():
        raise DomainError(
            _("This unit already has a requirement with the reference %(ref)s.") % {"ref": reference},
            field="reference",
        )
    if source is not None and not unit.path.startswith(source.unit.path):
        raise DomainError(_("This source is not available in this unit."), field="source")
    if not 1 <= int(review_every_months) <= 120:
        raise DomainError(_("The review frequency is between 1 and 120 months."), field="review_every_months")
    text = _check_text(text)
    today = timezone.localdate()
    requirement = Requirement(
        unit=unit,
        reference=reference,
        title=title,
        source=source,
        owner=owner,
        review_every_months=review_every_months,
        next_review_on=next_review_on or add_months(today, int(review_every_months)),
    )
    governed_save(requirement, actor=actor, reason="requirement created")
    version = RequirementVersion(
        requirement=requirement,
        number=1,
        text=text,
        text_format=text_format,
        text_sha256=text_sha256(text),
        effective_on=effective_on or today,
        created_by=actor,
    )
    governed_save(version, actor=actor, reason="version 1 drafted")
    record_event(
        actor=actor,
        event_type="REQUIREMENT_CREATED",
        target=requirement,
        payload={
            "reference": reference,
            "title": title,
            "unit": unit.pk,
            "owner": owner.pk,
            "source": source.pk if source else None,
            "version": 1,
            "text_sha256": version.text_sha256,
        },
        saved=[requirement, version],
    )
    return requirement


REQUIREMENT_FIELDS = ("reference", "title", "source", "owner", "review_every_months", "next_review_on")


@transaction.atomic
def requirement_update(*, actor, requirement: Requirement, reason: str = "", **data) -> Requirement:
    unknown = set(data) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    ref = data.get("reference")
    if (
        ref
        and Requirement.objects.filter(unit=requirement.unit, reference__iexact=ref).exclude(pk=requirement.pk).exists()
    ):
        raise DomainError(
            _("This unit already has a requirement with the reference %(ref)s.") % {"ref": ref},
            field="reference",
        )
    changes = apply_changes(requirement, data)
    if not changes:
        return requirement
    governed_save(requirement, actor=actor, reason=reason or "requirement changed")
    record_event(
        actor=actor,
        event_type="REQUIREMENT_UPDATED",
        target=requirement,
        payload={"changes": changes, "reason": reason},
        saved=[requirement],
    )
    return requirement


@transaction.atomic
def version_create(
    *,
    actor,
    requirement: Requirement,
    text: str,
    text_format: str = TextFormat.MARKDOWN,
    effective_on=None,
    change_note: str = "",
) -> RequirementVersion:
    """Draft the next version. Approved versions are frozen: a change is always a new version."""
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if requirement.versions.filter(approved_at__isnull=True).exists():
        raise ConflictError(_("A draft version already exists: change it or approve it first."), field="text")
    text = _check_text(text)
    last = requirement.versions.order_by("-number").first()
    if last is not None and last.text_sha256 == text_sha256(text) and last.text_format == text_format:
        raise DomainError(_("This text is the same as version %(n)s.") % {"n": last.number}, field="text")
    number = (last.number if last else 0) + 1
    version = RequirementVersion(
        requirement=requirement,
        number=number,
        text=text,
        text_format=text_format,
        text_sha256=text_sha256(text),
        effective_on=effective_on or timezone.localdate(),
        change_note=change_note[:300],
        created_by=actor,
    )
    governed_save(version, actor=actor, reason=f"version {number} drafted")
    record_event(
        actor=actor,
        event_type="REQUIREMENT_VERSION_DRAFTED",
        target=requirement,
        payload={
            "version": number,
            "version_id": version.pk,
            "text_sha256": version.text_sha256,
            "change_note": change_note,
        },
        saved=[version],
    )
    return version


@transaction.atomic
def version_update(
    *,
    actor,
    version: RequirementVersion,
    text: str,
    text_format: str | None = None,
    effective_on=None,
    change_note: str | None = None,
) -> RequirementVersion:
    """Change a draft. An approved version is frozen and refused with a pointer to a new version."""
    version = RequirementVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise ConflictError(
            _("Version %(n)s is approved and frozen; draft a new version to change it.") % {"n": version.number},
            field="text",
        )
    text = _check_text(text)
    data = {"text": text, "text_sha256": text_sha256(text)}
    if text_format is not None:
        data["text_format"] = text_format
    if effective_on is not None:
        data["effective_on"] = effective_on
    if change_note is not None:
        data["change_note"] = change_note[:300]
    changes = apply_changes(version, data)
    if not changes:
        return version
    governed_save(version, actor=actor, reason=f"version {version.number} draft changed")
    changes.pop("text", None)  # the ledger keeps the hashes; the history row keeps the text
    record_event(
        actor=actor,
        event_type="REQUIREMENT_VERSION_CHANGED",
        target=version.requirement,
        payload={"version": version.number, "changes": changes},
        saved=[version],
    )
    return version


@transaction.atomic
def version_approve(*, actor, version: RequirementVersion) -> RequirementVersion:
    """A QSE manager approves a draft: who and when are recorded and the text is frozen from now on."""
    version = RequirementVersion.objects.select_for_update().select_related("requirement__unit").get(pk=version.pk)
    access.require(actor, "requirement.approve", version.requirement.unit)
    if version.is_frozen:
        raise ConflictError(
            _("Version %(n)s was already approved on %(when)s.")
            % {
                "n": version.number,
                "when": timezone.localtime(version.approved_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if text_sha256(version.text) != version.text_sha256:
        raise DomainError(_("The text does not match its fingerprint; it cannot be approved."))
    version.approved_by, version.approved_at = actor, timezone.now()
    governed_save(version, actor=actor, reason=f"version {version.number} approved")
    record_event(
        actor=actor,
        event_type="REQUIREMENT_VERSION_APPROVED",
        target=version.requirement,
        payload={"version": version.number, "version_id": version.pk, "text_sha256": version.text_sha256},
        saved=[version],
    )
    return version


# --- Applicability and evaluations ----------------------------------------------------------------


@transaction.atomic
def applicability_set(*, actor, requirement: Requirement, unit, applicable: bool, reason: str = "") -> Applicability:
    """Say whether the requirement applies in a unit (and, by inheritance, the units below)."""
    _in_scope(unit, requirement.unit)
    reason = (reason or "").strip()
    if not applicable and not reason:
        raise DomainError(_("Say why the requirement does not apply here."), field="reason")
    row = Applicability.objects.select_for_update().filter(requirement=requirement, unit=unit).first()
    if row is None:
        row = Applicability(requirement=requirement, unit=unit, applicable=applicable, reason=reason, decided_by=actor)
        changes = {"applicable": [None, applicable], "reason": ["", reason]}
    else:
        changes = apply_changes(row, {"applicable": applicable, "reason": reason, "decided_by": actor})
        changes.pop("decided_by", None)
        if not changes:
            return row
    governed_save(row, actor=actor, reason=reason or "applicable")
    record_event(
        actor=actor,
        event_type="REQUIREMENT_APPLICABILITY_SET",
        target=requirement,
        payload={"unit": unit.pk, "unit_name": unit.name, "changes": changes, "reason": reason},
        saved=[row],
    )
    return row


@transaction.atomic
def evaluation_record(
    *, actor, requirement: Requirement, unit, result: str, evaluated_on=None, comment: str = ""
) -> Evaluation:
    """Record a dated compliance result; the next one is due after the requirement's review frequency.

    A partly or not compliant result calls every ``requirements.hooks.evaluation_needs_action``
    callable in this same transaction (the actions app opens the corrective action there).
    """
    _in_scope(unit, requirement.unit)
    if result not in EvaluationResult.values:
        raise DomainError(_("Choose a result."), field="result")
    evaluated_on = evaluated_on or timezone.localdate()
    if evaluated_on > timezone.localdate():
        raise DomainError(_("An evaluation cannot be dated in the future."), field="evaluated_on")
    comment = (comment or "").strip()
    if result in NEEDS_ACTION and not comment:
        raise DomainError(_("Say what is missing: a gap needs a comment."), field="comment")
    current = requirement.versions.filter(approved_at__isnull=False).order_by("-number").first()
    evaluation = Evaluation(
        requirement=requirement,
        unit=unit,
        version=current,
        result=result,
        evaluated_on=evaluated_on,
        evaluator=actor,
        comment=comment,
        next_due_on=add_months(evaluated_on, requirement.review_every_months),
    )
    governed_save(evaluation, actor=actor, reason=f"evaluated {result}")
    actions = []
    if result in NEEDS_ACTION:
        for hook in list(hooks.evaluation_needs_action):
            action = hook(evaluation, actor)
            if action is not None:
                actions.append(f"{action._meta.label_lower}:{action.pk}" if hasattr(action, "_meta") else str(action))
    record_event(
        actor=actor,
        event_type="REQUIREMENT_EVALUATED",
        target=requirement,
        payload={
            "evaluation": evaluation.pk,
            "unit": unit.pk,
            "unit_name": unit.name,
            "result": result,
            "evaluated_on": evaluated_on,
            "comment": comment,
            "version": current.number if current else None,
            "actions": actions,
        },
        saved=[evaluation],
    )
    return evaluation


from requirements.communication import (  # noqa: E402  (re-exported: one import path for every service)
    acknowledgement_confirm,
    acknowledgement_decline,
    acknowledgement_exempt,
    acknowledgement_link,
    communication_close,
    communication_sync_audience,
    on_membership_granted,
    requirement_communicate,
)

__all__ = [
    "acknowledgement_confirm",
    "acknowledgement_decline",
    "acknowledgement_exempt",
    "acknowledgement_link",
    "applicability_set",
    "communication_close",
    "communication_sync_audience",
    "evaluation_record",
    "on_membership_granted",
    "requirement_communicate",
    "requirement_create",
    "requirement_update",
    "source_create",
    "source_update",
    "version_approve",
    "version_create",
    "version_update",
]
