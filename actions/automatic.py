"""Automatic actions: a failed or partial inspection, or a partly / not compliant evaluation,
opens an action in the same transaction (the inspection or evaluation cannot be recorded without
it: if opening the action is refused, both are refused).

The owner is the control's owner (inspection) or the requirement's owner (evaluation); the due
date comes from the due-date policy by priority (fail / not compliant: high; partial / partly:
medium). The apps that record inspections and evaluations call these through their hooks
(``controls.hooks.inspection_needs_action``, ``requirements.hooks.evaluation_needs_action``).
"""

from django.utils.translation import gettext as _

from actions.choices import ActionKind, Priority
from actions.services import action_open

HIGH_RESULTS = {"fail", "not_compliant"}


def _priority(result: str) -> str:
    return Priority.HIGH if result in HIGH_RESULTS else Priority.MEDIUM


def action_open_for_inspection(inspection, actor):
    """Open the corrective action of a failed or partial inspection, owned by the control's owner."""
    control = inspection.control
    findings = (inspection.findings or "").strip()
    description = _("Inspection of %(date)s: %(result)s.") % {
        "date": inspection.performed_at.date().isoformat(),
        "result": inspection.get_result_display(),
    }
    if findings:
        description += "\n\n" + findings
    return action_open(
        actor=actor,
        title=(_("Correct: %(control)s") % {"control": control.title})[:200],
        description=description,
        origin=inspection,
        unit=inspection.unit,
        owner=control.owner,
        priority=_priority(inspection.result),
        kind=ActionKind.CORRECTIVE,
    )


def action_open_for_evaluation(evaluation, actor):
    """Open the corrective action of a partly or not compliant evaluation, owned by the
    requirement's owner."""
    requirement = evaluation.requirement
    description = _("Compliance evaluation of %(date)s: %(result)s.") % {
        "date": evaluation.evaluated_on.isoformat(),
        "result": evaluation.get_result_display(),
    }
    comment = (evaluation.comment or "").strip()
    if comment:
        description += "\n\n" + comment
    return action_open(
        actor=actor,
        title=(_("Bring into compliance: %(requirement)s") % {"requirement": requirement})[:200],
        description=description,
        origin=evaluation,
        unit=evaluation.unit,
        owner=requirement.owner,
        priority=_priority(evaluation.result),
        kind=ActionKind.CORRECTIVE,
    )
