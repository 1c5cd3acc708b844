"""Decision dossier parts (signatures with their meaning) and alarm parts (addressees, answers,
escalations)."""

from decisions import selectors
from evidence import sections
from evidence.sections.generic import sections_from_data


def decision_sections(decision, *, as_of=None):
    return sections_from_data(selectors.decision_dossier_data(decision), decision)


def alarm_sections(alarm, *, as_of=None):
    return sections_from_data(selectors.alarm_dossier_data(alarm), alarm)


sections.register("decisions.decision", decision_sections)
sections.register("decisions.alarm", alarm_sections)
