"""Action dossier parts: its updates (status history, postponements with reasons), verification."""

from actions import selectors
from evidence import sections
from evidence.sections.generic import sections_from_data


def action_sections(action, *, as_of=None):
    return sections_from_data(selectors.action_dossier_data(action), action)


sections.register("actions.action", action_sections)
