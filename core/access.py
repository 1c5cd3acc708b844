"""The one place that decides who sees and does what.

A person sees what belongs to the units where they hold an active role, and to the units below.
Screens, API endpoints, exports, dossiers and downloads all go through ``visible_to`` and
``get_for_user``; outsiders get 404 (the record's existence is not revealed), insiders without the
right role get 403.

Apps declare their object actions once with ``register_action`` (``"risk.assess": {QSE, ADMIN}``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from organisation.choices import Role

READ_ROLES = frozenset(Role.values)
WRITE_ROLES = frozenset({Role.ADMINISTRATOR, Role.QSE_MANAGER})

_ACTIONS: dict[str, frozenset[str]] = {
    "view": READ_ROLES,
    "edit": WRITE_ROLES,
    "administer": frozenset({Role.ADMINISTRATOR}),
    "ledger.view": frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.QSE_MANAGER}),
}


def register_action(action: str, roles) -> None:
    """Declare which roles may perform an object action. Auditors never write."""
    roles = frozenset(roles)
    if Role.AUDITOR in roles and action != "view" and not action.endswith((".view", ".download")):
        raise ValueError(f"auditors are read-only; {action} cannot include them")
    _ACTIONS[action] = roles


def roles_for(action: str) -> frozenset[str]:
    try:
        return _ACTIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}: declare it with core.access.register_action") from None


@dataclass(frozen=True)
class Grant:
    unit_id: int
    path: str
    role: str


def grants(user) -> list[Grant]:
    """The user's active roles today, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_siris_grants", None)
    today = timezone.localdate()
    if cached is not None and cached[0] == today:
        return cached[1]
    from organisation.models import Membership

    rows = (
        Membership.objects.active(today)
        .filter(user=user, unit__is_active=True)
        .values_list("unit_id", "unit__path", "role")
    )
    result = [Grant(unit_id, path, role) for unit_id, path, role in rows]
    user._siris_grants = (today, result)
    return result


def forget(user) -> None:
    """Drop the cached grants (after a membership change in the same request)."""
    if hasattr(user, "_siris_grants"):
        del user._siris_grants


def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _paths(user, roles: frozenset[str] | None = None) -> list[str]:
    paths = sorted({g.path for g in grants(user) if roles is None or g.role in roles})
    # A path below another adds nothing to a prefix match.
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def visible_to(queryset: QuerySet, user, unit_field: str = "unit", roles=None) -> QuerySet:
    """Filter a queryset to records in the units the user holds a role on (or below).

    ``unit_field`` is the lookup path to the record's unit ("unit", "requirement__unit"); use ""
    when the queryset is of units themselves.
    """
    if is_superuser(user):
        return queryset
    paths = _paths(user, frozenset(roles) if roles else None)
    if not paths:
        return queryset.none()
    lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    condition = Q()
    for path in paths:
        condition |= Q(**{lookup: path})
    return queryset.filter(condition)


def units_visible_to(user, roles=None) -> QuerySet:
    from organisation.models import Unit

    return visible_to(Unit.objects.filter(is_active=True), user, unit_field="", roles=roles)


def can(user, action: str, unit) -> bool:
    """Whether the user holds, on ``unit`` or an ancestor, a role allowed to perform ``action``."""
    if is_superuser(user):
        return True
    allowed = roles_for(action)
    path = unit.path if unit is not None else ""
    return any(g.role in allowed and path.startswith(g.path) for g in grants(user))


def can_anywhere(user, action: str) -> bool:
    """Whether the user may perform ``action`` on at least one unit (to show a 'New' button)."""
    if is_superuser(user):
        return True
    allowed = roles_for(action)
    return any(g.role in allowed for g in grants(user))


def is_auditor_only(user) -> bool:
    held = {g.role for g in grants(user)}
    return bool(held) and held <= {Role.AUDITOR} and not is_superuser(user)


def unit_of(obj: Model, unit_field: str = "unit"):
    value = obj
    for part in unit_field.split("__") if unit_field else []:
        value = getattr(value, part)
    return value


def get_for_user(queryset: QuerySet, user, pk, action: str = "view", unit_field: str = "unit"):
    """Fetch one record the user may see, then check the action: 404 outside scope, 403 inside."""
    try:
        obj = visible_to(queryset, user, unit_field).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.") from None
    require(user, action, unit_of(obj, unit_field))
    return obj


def require(user, action: str, unit) -> None:
    if not can(user, action, unit):
        raise PermissionDenied("Your role on this unit does not allow this.")
