"""Any governed record can hold evidence and have a dossier: "app_label.model" + id.

A record belongs to a unit, which decides who sees it. Most records have a ``unit`` field; a
record that reaches its unit through another one (an inspection through its control) is found
automatically one level deep, or its app declares the path with ``register_unit_field``.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.http import Http404

from core import access
from core.ledger import label_for  # noqa: F401 (re-exported for the services)
from core.models import GovernedModel

_UNIT_FIELDS: dict[str, str] = {"organisation.unit": ""}

# Records whose visibility is narrower than their unit's: an alarm is seen by its author, its
# addressees and the unit's QSE managers, administrators and auditors only.
_VISIBLE_QUERYSETS: dict[str, str] = {"decisions.alarm": "decisions.selectors.alarms_visible_to"}


def register_visible_queryset(model_label: str, dotted_path: str) -> None:
    """Declare ``func(user) -> queryset`` narrowing who may see a kind of record."""
    _VISIBLE_QUERYSETS[model_label.lower()] = dotted_path


def register_unit_field(model_label: str, unit_field: str) -> None:
    """Declare the lookup path from a model to its unit ("control__unit")."""
    _UNIT_FIELDS[model_label.lower()] = unit_field


def _is_unit_fk(field) -> bool:
    return (isinstance(field, models.ForeignKey) and field.related_model is not None
            and field.related_model._meta.label_lower == "organisation.unit")


def unit_field_of(model) -> str | None:
    label = model._meta.label_lower
    if label in _UNIT_FIELDS:
        return _UNIT_FIELDS[label]
    fields = {f.name: f for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    if "unit" in fields and _is_unit_fk(fields["unit"]):
        return "unit"
    for field in fields.values():
        if isinstance(field, models.ForeignKey) and field.related_model is not None:
            inner = {f.name: f for f in field.related_model._meta.get_fields() if getattr(f, "concrete", False)}
            if "unit" in inner and _is_unit_fk(inner["unit"]):
                return f"{field.name}__unit"
    return None


def governed_model(target_type: str):
    """The governed model named "app_label.model", or 404 (unknown, or not a governed record)."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        raise Http404("No such kind of record.") from None
    if not issubclass(model, GovernedModel) or unit_field_of(model) is None:
        raise Http404("This kind of record cannot hold evidence.")
    return model


def resolve(user, target_type: str, target_id, action: str = "view"):
    """The record the user may act on, with its unit: 404 outside scope, 403 without the role."""
    model = governed_model(target_type)
    unit_field = unit_field_of(model)
    queryset = model._default_manager.all()
    narrower = _VISIBLE_QUERYSETS.get(model._meta.label_lower)
    if narrower:
        from django.utils.module_loading import import_string

        queryset = queryset.filter(pk__in=import_string(narrower)(user).values("pk"))
    obj = access.get_for_user(queryset, user, target_id, action, unit_field)
    return obj, unit_of(obj)


def unit_of(obj):
    unit_field = unit_field_of(type(obj))
    if unit_field is None:
        raise Http404("This kind of record cannot hold evidence.")
    return obj if unit_field == "" else access.unit_of(obj, unit_field)


def label_of(obj) -> str:
    return f"{obj._meta.verbose_name.capitalize()}: {obj}"[:300]


def parse(value: str) -> tuple[str, str]:
    """ "risks.risk:12" -> ("risks.risk", "12")."""
    target_type, _sep, target_id = (value or "").partition(":")
    return target_type.strip().lower(), target_id.strip()
