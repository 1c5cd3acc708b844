"""Control dossier parts: its inspections (who, when, result, findings), linked risks and actions."""

from controls import selectors
from evidence import sections
from evidence.sections.generic import sections_from_data


def control_sections(control, *, as_of=None):
    return sections_from_data(selectors.control_dossier_data(control), control)


sections.register("controls.control", control_sections)
