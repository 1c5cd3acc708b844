"""Records that decisions and alarms may link to: an allow-list, checked against installed apps.

A link is named ``app_label.model:id``. Only the types below, of apps that are installed, are
accepted, and only records the acting person can see (so a link cannot reveal a record).
"""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import access
from core.exceptions import DomainError

LINKABLE = {
    "risks.risk": gettext_lazy("Risk"),
    "requirements.requirement": gettext_lazy("Requirement"),
    "controls.control": gettext_lazy("Control"),
    "controls.inspection": gettext_lazy("Inspection"),
    "actions.action": gettext_lazy("Action"),
    "decisions.decision": gettext_lazy("Decision"),
    "decisions.alarm": gettext_lazy("Alarm"),
}


def model_for(target_type: str):
    """The model of an allowed, installed link type, or None."""
    if target_type not in LINKABLE:
        return None
    app_label, _sep, model_name = target_type.partition(".")
    if not apps.is_installed(app_label):
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def available_types() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, label in LINKABLE.items() if model_for(name) is not None]


def parse(text: str) -> tuple[str, str]:
    target_type, sep, target_id = text.strip().partition(":")
    if not sep or not target_id.strip():
        raise DomainError(_("A linked record is written type:id, for example risks.risk:12."), field="links")
    return target_type.strip().lower(), target_id.strip()


def resolve(actor, target_type: str, target_id) -> object:
    """The record named by a link, if its type is allowed and the actor may see it."""
    model = model_for(target_type)
    if model is None:
        raise DomainError(_("Records of type %(type)s cannot be linked.") % {"type": target_type}, field="links")
    queryset = model._default_manager.all()
    if target_type == "decisions.alarm":
        from decisions.selectors import alarms_visible_to

        queryset = alarms_visible_to(actor)
    elif any(f.name == "unit" for f in model._meta.get_fields()):
        queryset = access.visible_to(queryset, actor)
    try:
        return queryset.get(pk=target_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("There is no %(type)s %(id)s that you can see.") % {"type": target_type, "id": target_id},
                          field="links") from None


def label_of(target_type: str) -> str:
    return str(LINKABLE.get(target_type, target_type))


def url_of(target_type: str, target_id) -> str:
    """The record's page, when its app has one named ``<app>:<model>_detail``."""
    app_label, _sep, model_name = target_type.partition(".")
    try:
        return reverse(f"{app_label}:{model_name}_detail", kwargs={"pk": target_id})
    except NoReverseMatch:
        return ""
