"""Risk dossier parts, the DUERP by work unit, and inquiry part 2 (the register as it stood on D)."""

from django.utils.translation import gettext as _

from evidence import sections
from evidence.dossiers.base import Block, Section, fmt
from evidence.sections.generic import sections_from_data
from risks import selectors


def risk_sections(risk, *, as_of=None):
    return sections_from_data(selectors.risk_dossier_data(risk), risk)


def _assessment_lines(assessment) -> list[str]:
    if assessment is None:
        return [_("Not assessed.")]
    return [
        _("Assessed %(day)s by %(who)s") % {"day": fmt(assessment.assessed_on), "who": fmt(assessment.assessor)},
        _("Inherent: %(level)s (score %(score)s) · residual: %(rlevel)s (score %(rscore)s)") % {
            "level": assessment.get_inherent_level_display(), "score": assessment.inherent_score,
            "rlevel": assessment.get_residual_level_display(), "rscore": assessment.residual_score},
    ]


def register_on(unit, moment):
    rows = selectors.risks_as_of(unit, moment.date())
    section = Section(title=_("Risks and their last assessment before the date"),
                      empty=_("No risk was recorded for this unit."))
    for row in rows:
        risk, assessment = row["risk"], row["assessment"]
        section.blocks.append(Block(
            title=f"{risk.title} · {risk.get_status_display()}",
            lines=[_("Hazard: %(h)s") % {"h": risk.hazard}, _("Owner: %(o)s") % {"o": fmt(risk.owner)},
                   *_assessment_lines(assessment)],
            text=assessment.rationale if assessment is not None else "",
        ))
        section.related.append(risk)
        if assessment is not None:
            section.related.append(assessment)
    return [section]


def duerp_work_unit(unit, moment):
    groups = selectors.duerp_data(unit, on=moment.date())
    section = Section(title=_("Risks assessed and actions planned"), empty=_("No open risk."))
    for group in groups:
        if group.unit.pk != unit.pk:
            continue
        for row in group.rows:
            risk = row["risk"]
            lines = [_("Hazard: %(h)s") % {"h": risk.hazard}, *_assessment_lines(row["assessment"])]
            if row["controls"]:
                lines.append(_("Measures in place: %(m)s") % {"m": ", ".join(row["controls"])})
            for action in row["actions"]:
                lines.append(_("Planned action: %(t)s · %(who)s · due %(due)s") % {
                    "t": action.title, "who": fmt(action.owner), "due": fmt(action.due_on)})
            section.blocks.append(Block(title=risk.title, lines=lines, text=risk.situation))
            section.related.extend([risk, *row["actions"]])
    return [section]


sections.register("risks.risk", risk_sections)
sections.register_inquiry(2, register_on)
sections.register_duerp(duerp_work_unit)
