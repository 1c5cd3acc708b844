"""Human names of ledger event types, for timelines and dossiers. Apps register theirs."""

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str] = {
    "UNIT_CREATED": _("Unit created"),
    "UNIT_UPDATED": _("Unit changed"),
    "UNIT_DEACTIVATED": _("Unit deactivated"),
    "PERSON_CREATED": _("Person created"),
    "PERSON_UPDATED": _("Person changed"),
    "PERSON_DEACTIVATED": _("Person deactivated"),
    "ROLE_GRANTED": _("Role granted"),
    "ROLE_ENDED": _("Role ended"),
    "AUDITOR_ACCESS_GRANTED": _("Auditor access granted"),
    "TOKEN_CREATED": _("API token created"),
    "TOKEN_REVOKED": _("API token revoked"),
}


def register(labels: dict) -> None:
    _LABELS.update(labels)


def label(event_type: str) -> str:
    found = _LABELS.get(event_type)
    return str(found) if found else event_type.replace("_", " ").capitalize()
