"""Origins: the record an action comes from, kept as ("app_label.model", id).

The reference is text so this app does not depend on the apps it links to (they are built beside
it); a reference is accepted only for a model on the allow-list that is installed and exists.
"""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from actions.choices import OriginType
from core.exceptions import DomainError
from core.ledger import label_for


def model_for(origin_type: str):
    """The model class of an allowed origin type, or None when its app is not installed."""
    if origin_type not in OriginType.values:
        return None
    try:
        return apps.get_model(origin_type)
    except (LookupError, ValueError):
        return None


def describe(obj) -> str:
    return str(obj)[:300]


def reference_of(origin) -> tuple[str, str, str]:
    """(origin_type, origin_id, label) of a record given as origin; ("", "", "") for none."""
    if origin is None:
        return "", "", ""
    origin_type = label_for(origin)
    if origin_type not in OriginType.values:
        raise DomainError(_("An action cannot come from this kind of record."), field="origin")
    if origin.pk is None:
        raise DomainError(_("The origin record is not saved."), field="origin")
    return origin_type, str(origin.pk), describe(origin)


def resolve(origin_type: str, origin_id: str):
    """The origin record named by a reference (API and forms), or a DomainError."""
    if not origin_type and not origin_id:
        return None
    model = model_for(origin_type)
    if model is None:
        raise DomainError(_("Unknown origin type."), field="origin_type")
    try:
        return model._default_manager.get(pk=origin_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("There is no such origin record."), field="origin_id") from None


def fetch(action):
    """The origin record of an action if its app is installed and it still exists, else None."""
    model = model_for(action.origin_type)
    if model is None or not action.origin_id:
        return None
    return model._default_manager.filter(pk=action.origin_id).first()


def url_of(obj) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    if getter is None:
        return ""
    try:
        return getter()
    except NoReverseMatch:  # the other app's screens are not wired yet: show the origin unlinked
        return ""


def check_visible(origin, user) -> None:
    """An origin given by a person must be a record they can see (404 otherwise)."""
    if origin is None:
        return
    from core import access

    if getattr(origin, "unit_id", None) is not None:
        access.get_for_user(type(origin)._default_manager.all(), user, origin.pk)
