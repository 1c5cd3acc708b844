"""Which governed records a scope or inquiry dossier walks through: every model of an installed Siris
app that belongs to a unit (found by ``evidence.targets``), so a new app's records join the dossiers
without a change here."""

from __future__ import annotations

from django.apps import apps

from core.models import GovernedModel
from evidence.targets import unit_field_of

# Printed in their own parts (responsibilities, evidence) rather than as plain record lists.
_OWN_PARTS = {"organisation.unit", "organisation.membership", "evidence.evidence", "evidence.dossierrequest"}


def scoped_models() -> list[tuple[type, str]]:
    from siris.apps_list import SIRIS_APPS

    found = []
    for app in SIRIS_APPS:
        if not apps.is_installed(app):
            continue
        for model in apps.get_app_config(app).get_models():
            if not issubclass(model, GovernedModel) or model._meta.label_lower in _OWN_PARTS:
                continue
            unit_field = unit_field_of(model)
            if unit_field:
                found.append((model, unit_field))
    return found


# Which app's records answer which part of the inquiry dossier (DOMAIN.md) when the app gives no
# section of its own for that part.
INQUIRY_PART_OF_APP = {
    "risks": 2,
    "requirements": 3,
    "controls": 5,
    "actions": 6,
    "decisions": 8,
    "delegations": 1,
}
ALARM_MODELS = {"decisions.alarm", "decisions.alarmaddressee", "decisions.alarmanswer"}


def inquiry_part_of(model) -> int | None:
    if model._meta.label_lower in ALARM_MODELS or "alarm" in model._meta.model_name:
        return 7
    if model._meta.app_label == "requirements" and model._meta.model_name in (
        "communication", "acknowledgement", "audienceentry"
    ):
        return 4
    return INQUIRY_PART_OF_APP.get(model._meta.app_label)
